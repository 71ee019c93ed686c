/**
 * One department's subgraph for the HTTP benchmark: the same startSubgraph as the service's index.ts, plus an
 * IPC channel on which the bench asks for the number of SQL statements the database has received so far
 * (shared/src/database.ts StatementCounter: the instrumented driver, exact per department, unlike
 * MariaDB's server-wide counters which include every other client of the server), and for the number of TCP
 * connections it has accepted (a gateway that keeps its connections to the departments alive opens a few; one
 * that does not makes every department accept, and tear down, a connection per call).
 */
import "reflect-metadata";
import { subscribe } from "node:diagnostics_channel";
import { isDepartment } from "./departments";
import { databaseUrlFor, portFor } from "../shared/src/config";
import { startSubgraph } from "../shared/src/service";
import { SUBGRAPHS } from "../shared/scripts/departments";

let connectionsAccepted = 0;
// Node publishes every connection a net (and so http) server accepts on this channel.
subscribe("net.server.socket", () => {
  connectionsAccepted++;
});

async function main() {
  const name = process.argv[2];
  if (!isDepartment(name)) throw new Error(`unknown department ${name}`);
  const service = await startSubgraph(SUBGRAPHS[name], { databaseUrl: databaseUrlFor(name), port: portFor(name), host: "127.0.0.1" });
  process.on("message", (message: { type?: string; id?: number }) => {
    if (message?.type === "counters") process.send?.({ type: "counters", id: message.id, statements: service.db?.statements.count ?? 0, connections: connectionsAccepted });
  });
  const stop = () => {
    service.stop().finally(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  process.on("disconnect", stop);
  console.log(`[${name}] ready at ${service.url}`);
}

main().catch((error) => {
  console.error(`[bench subgraph] failed to start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
