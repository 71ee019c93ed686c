/**
 * One department's subgraph for the HTTP benchmark: the same startSubgraph as the service's index.ts, plus an
 * IPC channel on which the bench asks for the number of SQL statements the database has received so far
 * (shared/src/database.ts StatementCounter: the instrumented driver, exact per department, unlike
 * MariaDB's server-wide counters which include every other client of the server).
 */
import "reflect-metadata";
import { isDepartment } from "./departments";
import { databaseUrlFor, portFor } from "../shared/src/config";
import { startSubgraph } from "../shared/src/service";
import { SUBGRAPHS } from "../shared/scripts/departments";

async function main() {
  const name = process.argv[2];
  if (!isDepartment(name)) throw new Error(`unknown department ${name}`);
  const service = await startSubgraph(SUBGRAPHS[name], { databaseUrl: databaseUrlFor(name), port: portFor(name), host: "127.0.0.1" });
  process.on("message", (message: { type?: string; id?: number }) => {
    if (message?.type === "statements") process.send?.({ type: "statements", id: message.id, count: service.db?.statements.count ?? 0 });
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
