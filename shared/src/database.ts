import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DataSource, DefaultNamingStrategy, type Logger, type MixedList, type EntitySchema, type QueryRunner } from "typeorm";
import { AccessLogHead, AccessLogRecord } from "./audit/access-log.entity";
import { serializeTransactions } from "./sqlite-transactions";
import { logLine } from "./log";

/** Tables and columns are snake_case in every department's database (`birth_date`), properties camelCase. */
export class SnakeNamingStrategy extends DefaultNamingStrategy {
  override columnName(propertyName: string, customName: string | undefined, embeddedPrefixes: string[]): string {
    const name = customName ?? [...embeddedPrefixes, propertyName].join("_");
    return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
  }
}

export type Dialect = "mysql" | "sqlite";

export type DatabaseLocation = { dialect: "mysql"; url: string; database: string } | { dialect: "sqlite"; path: string };

/** `mysql://user:pass@host:port/db` or `sqlite:relative/or/absolute/path.sqlite` (`sqlite::memory:` for a throwaway one). */
export function parseDatabaseUrl(url: string): DatabaseLocation {
  if (url.startsWith("mysql://") || url.startsWith("mariadb://")) {
    const parsed = new URL(url.replace(/^mariadb:/, "mysql:"));
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
    if (!database) throw new Error(`database URL ${redactUrl(url)} names no database`);
    return { dialect: "mysql", url: parsed.toString(), database };
  }
  if (url.startsWith("sqlite:")) return { dialect: "sqlite", path: url.slice("sqlite:".length) };
  throw new Error(`unsupported database URL ${redactUrl(url)}: use mysql://... or sqlite:path`);
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}

/**
 * Counts the SQL statements a department's database receives. The batching test and the benchmark read it
 * to prove that a list of N people costs the same number of statements as a list of 10.
 */
export class StatementCounter implements Logger {
  count = 0;
  /** The most recent statements (tests check which tables a request touched). */
  readonly recent: string[] = [];
  constructor(private readonly printQueries = process.env.LOG_SQL === "1") {}
  logQuery(query: string) {
    this.count++;
    this.recent.push(query);
    if (this.recent.length > 2000) this.recent.splice(0, this.recent.length - 1000);
    if (this.printQueries) console.log(`[sql] ${query}`);
  }
  logQueryError(error: string | Error, query: string, _parameters?: unknown, queryRunner?: QueryRunner) {
    if (this.printQueries) console.error(`[sql error] ${error instanceof Error ? error.message : error} in ${query}`);
    // A statement that outlived the query timeout leaves its connection waiting for an answer that may never
    // come (a frozen server, a dropped route): take that connection out of the pool instead of reusing it.
    if ((error as { code?: unknown }).code === "PROTOCOL_SEQUENCE_TIMEOUT") {
      (queryRunner as { databaseConnection?: { destroy?: () => void } } | undefined)?.databaseConnection?.destroy?.();
    }
  }
  logQuerySlow() {}
  logSchemaBuild() {}
  logMigration(message: string) {
    if (this.printQueries) console.log(`[migration] ${message}`);
  }
  log(level: "log" | "info" | "warn", message: unknown) {
    if (level === "warn") console.warn(logLine(`[typeorm] ${String(message)}`));
  }
}

export interface DatabaseOptions {
  url: string;
  entities: MixedList<Function | string | EntitySchema>;
  /** Migrations per dialect: generated from the entities by `npm run migrations:generate`. */
  migrations: Record<Dialect, Function[]>;
}

export interface Database {
  dataSource: DataSource;
  dialect: Dialect;
  statements: StatementCounter;
}

/**
 * MariaDB and MySQL answer schema questions differently (MariaDB reports a nullable column's default as
 * 'NULL'), so typeorm must be told which one it talks to or it sees changes that are not there.
 */
export type MysqlFlavor = "mysql" | "mariadb";

export async function detectMysqlFlavor(url: string): Promise<MysqlFlavor> {
  const location = parseDatabaseUrl(url);
  if (location.dialect !== "mysql") throw new Error("not a MySQL URL");
  const serverUrl = new URL(location.url);
  serverUrl.pathname = "/";
  const probe = new DataSource({ type: "mysql", url: serverUrl.toString(), connectTimeout: 5000 });
  await probe.initialize();
  try {
    const [row] = await probe.query("SELECT VERSION() AS version");
    return /mariadb/i.test(String(row.version)) ? "mariadb" : "mysql";
  } finally {
    await probe.destroy();
  }
}

export function createDataSource(options: DatabaseOptions, mysqlFlavor: MysqlFlavor = "mysql"): Database {
  const location = parseDatabaseUrl(options.url);
  const statements = new StatementCounter();
  const common = {
    entities: options.entities,
    logger: statements,
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
  } as const;
  const dataSource =
    location.dialect === "mysql"
      ? new DataSource({
          ...common,
          type: mysqlFlavor,
          url: location.url,
          // utf8mb4 so that names with characters outside the BMP (𠮷) round-trip.
          charset: "utf8mb4_unicode_ci",
          timezone: "Z",
          supportBigNumbers: true,
          bigNumberStrings: false,
          poolSize: Number(process.env.DATABASE_POOL_SIZE ?? 10),
          connectTimeout: 5000,
          // mysql2 otherwise captures a stack trace (new Error) for every statement, to put the caller's
          // frames on a failed statement's error: a measurable share of a subgraph's CPU per request
          // (docs/performance.md). Statement errors keep their code and message; they never reach clients.
          trace: false,
          migrations: options.migrations.mysql,
          migrationsTransactionMode: "each",
        })
      : new DataSource({
          ...common,
          type: "better-sqlite3",
          database: location.path === ":memory:" ? ":memory:" : location.path,
          enableWAL: location.path !== ":memory:",
          timeout: 10_000,
          migrations: options.migrations.sqlite,
          migrationsTransactionMode: "each",
          prepareDatabase: (db: { pragma(sql: string): unknown }) => {
            db.pragma("foreign_keys = ON");
          },
        });
  if (location.dialect === "sqlite") serializeTransactions(dataSource);
  return { dataSource, dialect: location.dialect, statements };
}

export interface OpenDatabaseOptions extends DatabaseOptions {
  /**
   * The schema owner's connection (`<NAME>_MIGRATION_DATABASE_URL`), same database as `url`. When set, the
   * migrations run through it instead of through `url`, and on MySQL it then grants the runtime user (the
   * user of `url`) what the service needs beyond the init script's database-wide SELECT, INSERT: see
   * runtimeGrantStatements. Unset: one user does both, as before.
   */
  migrationUrl?: string;
}

/**
 * Opens the database, creating the SQLite file's folder if needed, and applies pending migrations (through
 * `migrationUrl` when it is given, see OpenDatabaseOptions). The returned database uses `url`.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const { migrationUrl, ...databaseOptions } = options;
  const location = parseDatabaseUrl(options.url);
  if (migrationUrl) checkSameDatabase(location, parseDatabaseUrl(migrationUrl));
  const flavor = location.dialect === "mysql" ? await detectMysqlFlavor(options.url) : undefined;
  const database = createDataSource(databaseOptions, flavor);
  if (location.dialect === "sqlite" && location.path !== ":memory:") mkdirSync(dirname(location.path), { recursive: true });
  await database.dataSource.initialize();
  try {
    if (migrationUrl) await migrateAsOwner({ ...databaseOptions, url: migrationUrl }, database.dataSource, flavor);
    else await database.dataSource.runMigrations({ transaction: "each" });
  } catch (error) {
    await database.dataSource.destroy();
    throw error;
  }
  return database;
}

/**
 * From now on every MySQL statement of the database fails after `ms` (mysql2's query timeout, error
 * PROTOCOL_SEQUENCE_TIMEOUT, answered DATABASE_UNAVAILABLE) and its connection is dropped (see
 * StatementCounter.logQueryError). A serving subgraph sets it after the migrations, which (like the
 * seeder's bulk writes) may legitimately take longer. 0: no bound; SQLite: nothing to bound.
 */
export function boundQueries({ dataSource, dialect }: Database, ms: number): void {
  if (dialect !== "mysql" || !(ms > 0)) return;
  // typeorm reads these per statement from the driver's copy of the options.
  Object.assign((dataSource.driver as unknown as { options: Record<string, unknown> }).options, { enableQueryTimeout: true, maxQueryExecutionTime: ms });
}

function checkSameDatabase(runtime: DatabaseLocation, owner: DatabaseLocation): void {
  if (runtime.dialect === "mysql" && owner.dialect === "mysql") {
    if (runtime.database !== owner.database) {
      throw new Error(`the migration database URL names database ${owner.database}, the database URL ${runtime.database}: they must name the same`);
    }
  } else if (runtime.dialect === "sqlite" && owner.dialect === "sqlite") {
    // SQLite has no users: a second connection only makes sense on the same file.
    if (runtime.path === ":memory:" || owner.path !== runtime.path) {
      throw new Error("on SQLite the migration database URL must name the same file as the database URL");
    }
  } else {
    throw new Error("the migration database URL and the database URL must use the same dialect");
  }
}

/** A MySQL account as CURRENT_USER() names it: `user@host`. */
export interface MysqlAccount {
  user: string;
  host: string;
}

async function currentAccount(dataSource: DataSource): Promise<MysqlAccount> {
  const [row] = await dataSource.query("SELECT CURRENT_USER() AS account");
  const account = String(row.account);
  const at = account.lastIndexOf("@");
  return at < 0 ? { user: account, host: "%" } : { user: account.slice(0, at), host: account.slice(at + 1) };
}

const quoteIdentifier = (name: string) => `\`${name.replace(/`/g, "``")}\``;
const quoteString = (value: string) => `'${value.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
const quoteAccount = (account: MysqlAccount) => `${quoteString(account.user)}@${quoteString(account.host)}`;

/**
 * The table privileges the runtime user gets on top of the init script's `SELECT, INSERT ON <db>.*`,
 * derived from the department's entities so that a new table needs no change here: UPDATE and DELETE on
 * every entity table except the append-only access log (SELECT and INSERT only) and its chain head
 * (UPDATE, never DELETE). typeorm's `migrations` table is no entity: the runtime user only reads it.
 */
export function runtimeGrantStatements(dataSource: DataSource, database: string, runtime: MysqlAccount): string[] {
  const grants = new Map<string, string>();
  for (const metadata of dataSource.entityMetadatas) {
    if (metadata.tableType === "view" || metadata.target === AccessLogRecord) continue;
    grants.set(metadata.tableName, metadata.target === AccessLogHead ? "UPDATE" : "UPDATE, DELETE");
  }
  return [...grants.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([table, privileges]) => `GRANT ${privileges} ON ${quoteIdentifier(database)}.${quoteIdentifier(table)} TO ${quoteAccount(runtime)}`);
}

/** Table privileges that must not stay, should an earlier grant have given them: they are revoked on every start. */
function runtimeRevokeStatements(dataSource: DataSource, database: string, runtime: MysqlAccount): string[] {
  const statements: string[] = [];
  for (const metadata of dataSource.entityMetadatas) {
    const table = `${quoteIdentifier(database)}.${quoteIdentifier(metadata.tableName)}`;
    if (metadata.target === AccessLogRecord) statements.push(`REVOKE UPDATE, DELETE ON ${table} FROM ${quoteAccount(runtime)}`);
    if (metadata.target === AccessLogHead) statements.push(`REVOKE DELETE ON ${table} FROM ${quoteAccount(runtime)}`);
  }
  return statements;
}

/** ER_NONEXISTING_TABLE_GRANT: REVOKE of a table privilege the account never had. */
const NO_SUCH_TABLE_GRANT = 1147;

/**
 * Runs the migrations through the owner's connection; then, on MySQL, through the same connection,
 * (re)grants the runtime user (the account `runtime` is connected as) its table privileges. Idempotent.
 */
async function migrateAsOwner(ownerOptions: DatabaseOptions, runtime: DataSource, flavor: MysqlFlavor | undefined): Promise<void> {
  const ownerLocation = parseDatabaseUrl(ownerOptions.url);
  const owner = createDataSource(ownerOptions, flavor);
  await owner.dataSource.initialize();
  try {
    await owner.dataSource.runMigrations({ transaction: "each" });
    if (ownerLocation.dialect !== "mysql") return;
    const runtimeAccount = await currentAccount(runtime);
    const ownerAccount = await currentAccount(owner.dataSource);
    if (runtimeAccount.user === ownerAccount.user && runtimeAccount.host === ownerAccount.host) return;
    for (const statement of runtimeRevokeStatements(owner.dataSource, ownerLocation.database, runtimeAccount)) {
      try {
        await owner.dataSource.query(statement);
      } catch (error) {
        if ((error as { errno?: number }).errno !== NO_SUCH_TABLE_GRANT) throw error;
      }
    }
    for (const statement of runtimeGrantStatements(owner.dataSource, ownerLocation.database, runtimeAccount)) await owner.dataSource.query(statement);
    const loopholes = await accessLogModifyPrivileges(runtime, ownerLocation.database);
    if (loopholes.length > 0) {
      console.warn(
        `[database] the runtime user ${runtimeAccount.user}@${runtimeAccount.host} can still modify the access log (${loopholes.join(", ")}): ` +
          "revoke these grants (the triggers still refuse UPDATE and DELETE, but only for users that cannot drop them)",
      );
    }
  } finally {
    await owner.dataSource.destroy();
  }
}

/** UPDATE and DELETE, and what would get round the triggers: dropping them or the table, altering it. */
const ACCESS_LOG_MODIFYING = ["UPDATE", "DELETE", "DROP", "ALTER", "TRIGGER"].map((p) => `'${p}'`).join(", ");

/**
 * The privileges through which the connection's own account could change or remove `access_log` rows in
 * `database` (global, database or table grants; roles are not followed), e.g. `["DELETE on *.*"]`.
 * Empty for the runtime user of the split MySQL deployment.
 */
export async function accessLogModifyPrivileges(dataSource: DataSource, database: string): Promise<string[]> {
  const table = dataSource.hasMetadata(AccessLogRecord) ? dataSource.getMetadata(AccessLogRecord).tableName : "access_log";
  const account = await currentAccount(dataSource);
  const grantee = `'${account.user}'@'${account.host}'`;
  const rows: { privilege: string; scope: string }[] = await dataSource.query(
    `SELECT PRIVILEGE_TYPE AS privilege, '*.*' AS scope FROM information_schema.USER_PRIVILEGES
       WHERE GRANTEE = ? AND PRIVILEGE_TYPE IN (${ACCESS_LOG_MODIFYING})
     UNION ALL
     SELECT PRIVILEGE_TYPE, CONCAT(TABLE_SCHEMA, '.*') FROM information_schema.SCHEMA_PRIVILEGES
       WHERE GRANTEE = ? AND ? LIKE TABLE_SCHEMA AND PRIVILEGE_TYPE IN (${ACCESS_LOG_MODIFYING})
     UNION ALL
     SELECT PRIVILEGE_TYPE, CONCAT(TABLE_SCHEMA, '.', TABLE_NAME) FROM information_schema.TABLE_PRIVILEGES
       WHERE GRANTEE = ? AND TABLE_SCHEMA = ? AND TABLE_NAME = ? AND PRIVILEGE_TYPE IN (${ACCESS_LOG_MODIFYING})`,
    [grantee, grantee, database, grantee, database, table],
  );
  return rows.map((row) => `${row.privilege} on ${row.scope}`);
}

/** Creates a MySQL database (utf8mb4) if it does not exist. Used by tests, the seeder and first start. */
export async function ensureMysqlDatabase(url: string): Promise<void> {
  const location = parseDatabaseUrl(url);
  if (location.dialect !== "mysql") return;
  const serverUrl = new URL(location.url);
  serverUrl.pathname = "/";
  const admin = new DataSource({ type: "mysql", url: serverUrl.toString(), charset: "utf8mb4_unicode_ci" });
  await admin.initialize();
  try {
    await admin.query(
      `CREATE DATABASE IF NOT EXISTS \`${location.database.replace(/`/g, "")}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await admin.destroy();
  }
}
