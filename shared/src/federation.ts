import { buildSubgraphSchema } from "@apollo/subgraph";
import { printSchemaWithDirectives } from "@graphql-tools/utils";
import { parse, type GraphQLFieldResolver, type GraphQLSchema } from "graphql";
import { AuthorizationError, buildSchema, createResolversMap, getMetadataStorage, type BuildSchemaOptions, type ResolverData } from "type-graphql";
import { authChecker, type AuthorizationContext } from "./auth/authorize";
import type { Scope } from "./auth/grants";

/** Federation 2 directives the subgraphs may use (imported into every subgraph's SDL). */
const FEDERATION_LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@tag"])`;

// Reference resolvers are plain functions per type (`{ Person: { __resolveReference } }`), merged into the
// resolvers type-graphql generates, as in type-graphql's apollo-federation-2 example.
type ReferenceResolvers = Record<string, Record<string, unknown>>;

function mergeResolvers(generated: Record<string, any>, extra: ReferenceResolvers): Record<string, any> {
  const merged: Record<string, any> = { ...generated };
  for (const [typeName, fields] of Object.entries(extra)) {
    merged[typeName] = { ...(merged[typeName] ?? {}), ...fields };
  }
  return merged;
}

/**
 * Builds a subgraph schema from type-graphql classes. `skipCheck` lets a subgraph that only extends
 * entities have no own query; the schema is printed with its directives (@key, @shareable ...) and handed
 * to @apollo/subgraph, which adds `_entities` and `_service`.
 */
export async function buildFederatedSchema(
  options: Omit<BuildSchemaOptions, "skipCheck" | "authChecker" | "authMode">,
  referenceResolvers: ReferenceResolvers = {},
): Promise<GraphQLSchema> {
  // authMode "error": a denied field resolves to null with a FORBIDDEN error (fields are nullable by contract).
  const schema = await buildSchema({ ...options, skipCheck: true, validate: false, authChecker, authMode: "error" });
  const typeDefs = parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(schema)}`);
  const resolvers = createResolversMap(schema) as Record<string, any>;
  checkPlainFieldsSynchronously(resolvers, objectClassesOf(options));
  return buildSubgraphSchema({ typeDefs, resolvers: mergeResolvers(resolvers, referenceResolvers) as any });
}

/**
 * On each resolver put in place by checkPlainFieldsSynchronously: the roles it checks and type-graphql's
 * resolver it replaced (tests/unit/authorization-fast-path.test.ts compares the two).
 */
export const SYNCHRONOUS_PLAIN_FIELD = Symbol("synchronous plain field");

export interface SynchronousPlainField {
  roles: readonly Scope[];
  replaced: GraphQLFieldResolver<unknown, unknown>;
}

/**
 * type-graphql checks `@Authorized` through an async middleware: every authorized field of every record
 * becomes a chain of four or five promises, even a plain property read (`sex`, `birthDate`, `deathDate`),
 * and graphql-js then completes each record asynchronously. For a page of people that is thousands of
 * promises per request (docs/performance.md). A plain field (an `@Field` property with `@Authorized`, no
 * field resolver, no other middleware) is therefore resolved here without it: the same authChecker with the
 * same roles (type-graphql's own metadata, as its resolver uses them), called synchronously, then the
 * property. Field resolvers and fields with other middlewares keep type-graphql's resolver. The access log,
 * FORBIDDEN and PURPOSE_REQUIRED come from authChecker either way; tests/unit/authorization-fast-path.test.ts
 * checks every replaced field against type-graphql's resolver.
 */
function checkPlainFieldsSynchronously(resolvers: Record<string, Record<string, unknown>>, classes: Set<Function>): void {
  const storage = getMetadataStorage();
  // type-graphql's metadata holds every department's classes loaded in this process (composition and the
  // tests build all four schemas): only those of this schema count, and a name two of them share is skipped.
  const objectTypes = storage.objectTypes.filter((o) => classes.has(o.target));
  const names = objectTypes.map((o) => o.name);
  for (const objectType of objectTypes) {
    const fields = resolvers[objectType.name];
    if (!fields || objectType.simpleResolvers || names.indexOf(objectType.name) !== names.lastIndexOf(objectType.name)) continue;
    for (const field of objectType.fields ?? []) {
      const roles = field.roles as Scope[] | undefined;
      if (!roles || field.simple || (field.middlewares?.length ?? 0) > 0 || typeof fields[field.schemaName] !== "function") continue;
      const hasFieldResolver = storage.fieldResolvers.some((r) => r.getObjectType?.() === field.target && r.methodName === field.name);
      if (hasFieldResolver) continue;
      const property = field.name;
      const resolve: GraphQLFieldResolver<Record<string, unknown>, AuthorizationContext> = (root, args, context, info) => {
        if (!authChecker({ root, args, context, info } as ResolverData<AuthorizationContext>, roles)) throw new AuthorizationError();
        return root[property];
      };
      const replaced = fields[field.schemaName] as GraphQLFieldResolver<unknown, unknown>;
      fields[field.schemaName] = Object.assign(resolve, { [SYNCHRONOUS_PLAIN_FIELD]: { roles, replaced } satisfies SynchronousPlainField });
    }
  }
}

/** The SDL a subgraph contributes to composition (what `_service { sdl }` would answer). */
export function subgraphSdl(schema: GraphQLSchema): string {
  return printSchemaWithDirectives(schema);
}

/** The object-type classes a schema built from `options` contains: reachable from its resolvers and orphaned types. */
function objectClassesOf(options: Pick<BuildSchemaOptions, "resolvers" | "orphanedTypes">): Set<Function> {
  const storage = getMetadataStorage();
  const objectTypes = new Map(storage.objectTypes.map((o) => [o.target, o]));
  const resolverClasses = new Set<unknown>(options.resolvers as unknown[]);
  const typeOf = (thunk: (() => unknown) | undefined): unknown => {
    try {
      return thunk?.();
    } catch {
      return undefined; // a resolver class without an object type
    }
  };
  const pending: unknown[] = [...(options.orphanedTypes ?? [])];
  for (const r of storage.resolverClasses) if (resolverClasses.has(r.target)) pending.push(typeOf(r.getObjectType));
  for (const h of [...storage.queries, ...storage.mutations]) if (resolverClasses.has(h.target)) pending.push(typeOf(h.getReturnType as () => unknown));
  for (const h of storage.fieldResolvers) if (resolverClasses.has(h.target)) pending.push(typeOf(h.getType as () => unknown), typeOf(h.getObjectType));
  const found = new Set<Function>();
  while (pending.length > 0) {
    let type = pending.pop();
    while (Array.isArray(type)) type = type[0];
    if (typeof type !== "function" || found.has(type)) continue;
    const metadata = objectTypes.get(type);
    if (!metadata) continue; // a scalar, an enum, an input type
    found.add(type);
    for (const field of metadata.fields ?? []) pending.push(typeOf(field.getType as () => unknown));
  }
  return found;
}
