import { databaseUrlFor, migrationDatabaseUrlFor, portFor } from "./config";
import { ensureMysqlDatabase, redactUrl } from "./database";
import { SHUTDOWN_GRACE_MS, startSubgraph, type RunningService, type SubgraphDefinition } from "./service";

/**
 * Runs a service until SIGTERM/SIGINT: stop accepting, let in-flight requests finish, close the database,
 * exit 0 (see GracefulShutdown in service.ts). Used by every subgraph's index.ts and by the gateway.
 */
export function stopOnSignals(service: RunningService): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[${service.name}] ${signal}: finishing in-flight requests`);
    // The drain cuts what is left after SHUTDOWN_GRACE_MS; this is the last resort should closing hang.
    const forceExit = setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS + 2000);
    forceExit.unref();
    try {
      await service.stop();
      process.exit(0);
    } catch (error) {
      console.error(`[${service.name}] error while stopping:`, error);
      process.exit(1);
    }
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

export async function runSubgraphMain<L>(definition: SubgraphDefinition<L>): Promise<void> {
  const databaseUrl = databaseUrlFor(definition.name);
  // With a separate owner for the schema (the MySQL deployment), the runtime user may not create databases.
  const migrationDatabaseUrl = migrationDatabaseUrlFor(definition.name);
  try {
    await ensureMysqlDatabase(migrationDatabaseUrl ?? databaseUrl);
    const service = await startSubgraph(definition, {
      databaseUrl,
      migrationDatabaseUrl,
      port: portFor(definition.name),
      host: process.env.HOST ?? "127.0.0.1",
    });
    const migrations = migrationDatabaseUrl ? `, migrations as ${redactUrl(migrationDatabaseUrl)}` : "";
    console.log(`[${definition.name}] ready at ${service.url} (database ${redactUrl(databaseUrl)}${migrations})`);
    stopOnSignals(service);
  } catch (error) {
    console.error(`[${definition.name}] failed to start:`, error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
