/**
 * Loaders for record kinds added after context.ts: created on first use in a request and kept for that request
 * only (keyed by the request's loader object, which context.ts makes afresh for every request), so they batch
 * and cache exactly like the loaders of context.ts without touching it.
 */
const perRequest = new WeakMap<object, Map<string, unknown>>();

export function requestLoader<L>(requestKey: object, name: string, create: () => L): L {
  let loaders = perRequest.get(requestKey);
  if (!loaders) perRequest.set(requestKey, (loaders = new Map()));
  let loader = loaders.get(name) as L | undefined;
  if (loader === undefined) loaders.set(name, (loader = create()));
  return loader;
}
