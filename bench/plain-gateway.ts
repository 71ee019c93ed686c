/**
 * The baseline a user would start from: @apollo/server's standalone server + ApolloGateway over the same
 * committed supergraph with the default RemoteGraphQLDataSource (its own fetcher, no timeout, no keep-alive
 * tuning, default query-plan cache). The only additions are what the subgraphs demand to accept a call:
 * the caller is verified from the bearer token (the same callerFromHeaders as our gateway) and forwarded
 * in the signed identity header.
 */
import "reflect-metadata";
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import type { Caller } from "../shared/src/auth/caller";
import { IDENTITY_HEADER, signIdentity } from "../shared/src/auth/identity-header";
import { DEPARTMENTS, subgraphUrlFor, secret, type DepartmentName } from "../shared/src/config";
import { callerFromHeaders } from "../gateway/src/identity";
import { readCommittedSupergraph } from "../gateway/src/supergraph";

interface Context {
  caller: Caller;
}

async function main() {
  const jwtSecret = secret("JWT_SECRET");
  const signingKey = secret("IDENTITY_SIGNING_SECRET");
  const gateway = new ApolloGateway({
    supergraphSdl: readCommittedSupergraph(),
    buildService: ({ name }) =>
      new (class extends RemoteGraphQLDataSource<Context> {
        override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<Context>) {
          if ((context as Partial<Context>).caller) request.http?.headers.set(IDENTITY_HEADER, signIdentity((context as Context).caller, signingKey));
        }
      })({ url: subgraphUrlFor(name as DepartmentName) }),
  });
  const server = new ApolloServer<Context>({ gateway });
  const port = Number(process.env.GATEWAY_PORT ?? 4000);
  const { url } = await startStandaloneServer(server, {
    listen: { port, host: "127.0.0.1" },
    context: async ({ req }) => ({
      caller: await callerFromHeaders({ get: (name) => (req.headers[name.toLowerCase()] as string | undefined) ?? undefined }, jwtSecret, signingKey),
    }),
  });
  console.log(`[plain gateway] ready at ${url} (subgraphs ${DEPARTMENTS.map((d) => subgraphUrlFor(d)).join(", ")})`);
  process.on("SIGTERM", () => void server.stop().finally(() => process.exit(0)));
}

main().catch((error) => {
  console.error(`[plain gateway] failed to start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
