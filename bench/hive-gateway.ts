/**
 * The best Node peer, for the benchmark only: Hive Gateway's runtime (@graphql-hive/gateway-runtime) serving the
 * same committed supergraph in front of the same subgraphs. It is not a dependency of the project: bench/hive.ts
 * installs pinned versions into a cache folder (HIVE_GATEWAY_MODULES) and this file loads them from there.
 *
 * Like the plain gateway, its only additions are what the subgraphs require: the caller is verified from the
 * bearer token (the same callerFromHeaders as our gateway) and forwarded in the signed identity header, signed
 * afresh for every subgraph call. `HIVE_DEDUPLICATE=no` turns its in-flight deduplication of identical subgraph
 * requests off (it is on by default). Its key is the URL, method and body (@graphql-tools/executor-http), not the
 * headers an onFetch hook adds: two callers' identical reads at the same moment become one subgraph call made
 * with the first caller's identity, the second caller gets that answer, and the department logs one read. On
 * this platform that is a leak and a hole in the audit trail, so the figure to compare is `hive-nodedup`. The
 * benchmark's report sends the same document and variables on two connections (from different analysts): with
 * deduplication on, Hive merges them, and its report figure counts requests the departments never saw.
 */
import "reflect-metadata";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Caller } from "../shared/src/auth/caller";
import { IDENTITY_HEADER, signIdentity } from "../shared/src/auth/identity-header";
import { DEPARTMENTS, subgraphUrlFor, secret, type DepartmentName } from "../shared/src/config";
import { callerFromHeaders } from "../gateway/src/identity";
import { readCommittedSupergraph } from "../gateway/src/supergraph";

/** The committed supergraph with each department's URL as this run has it (the committed ones are defaults). */
function supergraphForThisRun(): string {
  return readCommittedSupergraph().replace(/@join__graph\(name: "([a-z-]+)", url: "[^"]*"\)/g, (whole, name: string) =>
    (DEPARTMENTS as readonly string[]).includes(name) ? `@join__graph(name: "${name}", url: "${subgraphUrlFor(name as DepartmentName)}")` : whole,
  );
}

async function main() {
  const modules = process.env.HIVE_GATEWAY_MODULES;
  if (!modules) throw new Error("HIVE_GATEWAY_MODULES: the folder bench/hive.ts installed Hive Gateway into");
  const jwtSecret = secret("JWT_SECRET");
  const signingKey = secret("IDENTITY_SIGNING_SECRET");
  const deduplicate = process.env.HIVE_DEDUPLICATE !== "no";
  // An ES module: imported by file URL from the cache folder, resolved as that folder's own dependency.
  const entry = createRequire(join(modules, "package.json")).resolve("@graphql-hive/gateway-runtime");
  // The Function keeps tsc (CommonJS output) from turning this dynamic import into a require().
  const importModule = new Function("url", "return import(url)") as (url: string) => Promise<any>;
  const { createGatewayRuntime } = await importModule(pathToFileURL(entry).href);

  const gateway = createGatewayRuntime({
    supergraph: supergraphForThisRun(),
    logging: "error",
    landingPage: false,
    graphiql: false,
    transportEntries: { "*.http": { options: { deduplicateInflightRequests: deduplicate } } },
    plugins: () => [
      {
        async onContextBuilding({ context, extendContext }: { context: { request: Request }; extendContext(extra: { caller: Caller }): void }) {
          const caller = await callerFromHeaders({ get: (name) => context.request.headers.get(name) ?? undefined }, jwtSecret, signingKey);
          extendContext({ caller });
        },
        onFetch({ context, options, setOptions }: { context?: { caller?: Caller }; options: { headers?: Record<string, string> }; setOptions(options: unknown): void }) {
          if (context?.caller) setOptions({ ...options, headers: { ...options.headers, [IDENTITY_HEADER]: signIdentity(context.caller, signingKey) } });
        },
      },
    ],
  });
  const port = Number(process.env.GATEWAY_PORT ?? 4000);
  const server = createServer(gateway);
  server.listen(port, "127.0.0.1", () => console.log(`[hive gateway] ready at http://127.0.0.1:${port}/graphql (deduplication ${deduplicate ? "on" : "off"})`));
  process.on("SIGTERM", () => {
    server.close();
    void Promise.resolve(gateway.dispose?.()).finally(() => process.exit(0));
  });
}

main().catch((error) => {
  console.error(`[hive gateway] failed to start: ${error instanceof Error ? error.stack : error}`);
  process.exit(1);
});
