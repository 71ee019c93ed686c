import { DataSource } from "typeorm";
import type { Caller } from "../../shared/src/auth/caller";
import { AccessLogRecord } from "../../shared/src/audit/access-log.entity";
import { verifyChain } from "../../shared/src/audit/chain";
import { AuditRecorder, ensureAccessLogHead } from "../../shared/src/audit/recorder";
import { boundQueries, openDatabase, parseDatabaseUrl, type Database } from "../../shared/src/database";
import { SUBGRAPHS } from "../../shared/scripts/departments";
import { MYSQL_SERVER_URL, createTestDatabases, isMysqlAvailable, type TestDatabases } from "../helpers/databases";

// The access log's append on MySQL (shared/src/audit/mysql-append.ts): one round trip on its own connection
// with several statements per query. What it must still do: stop before inserting when the head is not where
// it thought, survive the server dropping its connection, give up within the query bound, and keep a large
// append, sent in several round trips, all or nothing.

const department = SUBGRAPHS.health;
const caller: Caller = { sub: "clerk-1", dept: "health", scopes: [], region: "", purpose: "case", requestId: "request-1" };

function reading(people: string[]): AuditRecorder {
  const recorder = new AuditRecorder();
  for (const person of people) recorder.record(person, "name");
  return recorder;
}

const people = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(5, "0")}`);

const mysqlHere = process.env.SKIP_MYSQL !== "1";
(mysqlHere ? describe : describe.skip)("access-log append on MySQL", () => {
  let databases: TestDatabases | undefined;
  let db: Database | undefined;
  let admin: DataSource | undefined;
  let databaseName = "";

  beforeAll(async () => {
    if (!(await isMysqlAvailable())) return;
    databases = await createTestDatabases("mysql");
    databaseName = (parseDatabaseUrl(databases.urls.health) as { database: string }).database;
    db = await openDatabase({ ...department.database, url: databases.urls.health });
    await ensureAccessLogHead(db);
    admin = new DataSource({ type: "mysql", url: MYSQL_SERVER_URL });
    await admin.initialize();
  }, 120_000);
  afterAll(async () => {
    if (db?.dataSource.isInitialized) await db.dataSource.destroy();
    if (admin?.isInitialized) await admin.destroy();
    await databases?.drop();
  });

  const logged = async (prefix: string) =>
    (await db!.dataSource.getRepository(AccessLogRecord).createQueryBuilder("e").where("e.person_id LIKE :p", { p: `${prefix}%` }).getCount());

  it("appends again after the server dropped every connection of the database", async () => {
    if (!db) return;
    expect(await reading(["before-the-drop"]).flush(db, caller)).toBe(1);
    const connections: { id: number }[] = await admin!.query("SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()", [databaseName]);
    expect(connections.length).toBeGreaterThanOrEqual(2); // typeorm's pool and the append's own connection
    for (const { id } of connections) await admin!.query(`KILL CONNECTION ${Number(id)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await reading(["after-the-drop"]).flush(db, caller)).toBe(1);
    expect(await logged("after-the-drop")).toBe(1);
    expect(await verifyChain(db.dataSource)).toMatchObject({ ok: true });
  });

  it("gives up within the query bound when the head stays locked, and appends once it is free", async () => {
    if (!db) return;
    const holder = admin!.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query(`SELECT last_seq FROM \`${databaseName}\`.access_log_head WHERE id = 1 FOR UPDATE`);
    boundQueries(db, 300);
    const started = Date.now();
    try {
      await expect(reading(["while-locked"]).flush(db, caller)).rejects.toMatchObject({ code: "PROTOCOL_SEQUENCE_TIMEOUT" });
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
    // The abandoned batch may still commit once the lock is free (the server notices the dropped connection
    // only when it answers): then the log names a read whose data was withheld, never the other way round.
    await new Promise((resolve) => setTimeout(resolve, 200));
    boundQueries(db, 10_000);
    expect(await reading(["after-the-lock"]).flush(db, caller)).toBe(1);
    expect(await logged("after-the-lock")).toBe(1);
    expect(await logged("while-locked")).toBeLessThanOrEqual(1);
    expect(await verifyChain(db.dataSource)).toMatchObject({ ok: true });
  });

  it("sends a large append in several round trips, one transaction", async () => {
    if (!db) return;
    const before = { statements: db.statements.count, roundTrips: db.statements.roundTrips };
    expect(await reading(people("large", 13_000)).flush(db, caller)).toBe(13_000);
    const statements = db.statements.count - before.statements;
    const roundTrips = db.statements.roundTrips - before.roundTrips;
    // START, UPDATE, the head's check, three INSERTs of at most 6,000 rows, COMMIT.
    expect(statements).toBe(7);
    expect(roundTrips).toBeGreaterThan(1);
    expect(roundTrips).toBeLessThan(statements);
    expect(await logged("large")).toBe(13_000);
    expect(await verifyChain(db.dataSource)).toMatchObject({ ok: true });
  });

  it("writes none of a large append when one of its later INSERTs fails, and appends the next", async () => {
    if (!db) return;
    const [{ mode }] = await admin!.query("SELECT @@GLOBAL.sql_mode AS mode");
    expect(String(mode)).toMatch(/STRICT_TRANS_TABLES|STRICT_ALL_TABLES/); // a too-long value is then an error
    const before = await verifyChain(db.dataSource);
    // Sorted by person id, the too-long one (the column holds 32 characters) falls in the second INSERT.
    const batch = [...people("atomic", 7000), `atomic-06500-${"x".repeat(40)}`];
    await expect(reading(batch).flush(db, caller)).rejects.toMatchObject({ code: "ER_DATA_TOO_LONG" });
    expect(await logged("atomic")).toBe(0);
    expect(await reading(["after-the-failure"]).flush(db, caller)).toBe(1);
    expect(await verifyChain(db.dataSource)).toEqual({ ok: true, entries: (before as { entries: number }).entries + 1 });
  });

  it("closes its own connection with the database", async () => {
    if (!databases) return;
    const count = async () => Number(((await admin!.query("SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = ?", [databaseName])) as { n: string }[])[0].n);
    const before = await count();
    const other = await openDatabase({ ...department.database, url: databases.urls.health });
    await ensureAccessLogHead(other);
    await reading(["from-a-short-lived-instance"]).flush(other, caller);
    expect(await count()).toBeGreaterThanOrEqual(before + 2);
    await other.dataSource.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await count()).toBe(before);
  });
});
