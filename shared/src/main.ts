import { databaseUrlFor, migrationDatabaseUrlFor, portFor } from "./config";
import { ensureMysqlDatabase, redactUrl } from "./database";
import { stopOnSignals } from "./http";
import { logError } from "./log";
import { startSubgraph, type SubgraphDefinition } from "./service";

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
    // Before the ready line: whoever waits for it may send SIGTERM at once, and must get a graceful stop.
    stopOnSignals(service);
    console.log(`[${definition.name}] ready at ${service.url} (database ${redactUrl(databaseUrl)}${migrations})`);
  } catch (error) {
    logError(definition.name, "failed to start", error);
    process.exit(1);
  }
}
