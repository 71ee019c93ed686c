import type { Caller } from "../../shared/src/auth/caller";
import { AccessLogRecord } from "../../shared/src/audit/access-log.entity";
import { verifyChain } from "../../shared/src/audit/chain";
import { AuditRecorder, ensureAccessLogHead } from "../../shared/src/audit/recorder";
import { ensureMysqlDatabase, openDatabase, type Database } from "../../shared/src/database";
import { SUBGRAPHS } from "../../shared/scripts/departments";
import { createTestDatabases, dialectsUnderTest, isMysqlAvailable, type TestDatabases } from "../helpers/databases";

// The access log's group commit (shared/src/audit/recorder.ts, AccessLogWriter): requests that flush while
// an append transaction runs share the next one, each still waiting for the commit that holds its entries.

const department = SUBGRAPHS.health;

function callerFor(i: number): Caller {
  return { sub: `clerk-${i}`, dept: "health", scopes: [], region: "", purpose: `case ${i}`, requestId: `request-${i}` };
}

function recorderReading(people: string[]): AuditRecorder {
  const recorder = new AuditRecorder();
  for (const person of people) recorder.record(person, "name");
  return recorder;
}

const transactionsIn = (db: Database, from: number) =>
  db.statements.recent.slice(from).filter((sql) => /^(START TRANSACTION|BEGIN)/i.test(sql)).length;

describe.each(dialectsUnderTest())("access-log group commit on %s", (dialect) => {
  let databases: TestDatabases | undefined;
  let db: Database | undefined;
  let second: Database | undefined;

  beforeAll(async () => {
    if (dialect === "mysql" && !(await isMysqlAvailable())) return;
    databases = await createTestDatabases(dialect);
    await ensureMysqlDatabase(databases.urls.health);
    db = await openDatabase({ ...department.database, url: databases.urls.health });
    await ensureAccessLogHead(db);
  }, 120_000);
  afterAll(async () => {
    for (const open of [db, second]) if (open?.dataSource.isInitialized) await open.dataSource.destroy();
    await databases?.drop();
  });

  it("appends concurrent requests' entries in shared transactions, each request's entries together, the chain intact", async () => {
    if (!db) return;
    const from = db.statements.recent.length;
    const requests = Array.from({ length: 20 }, (_, i) => Array.from({ length: 3 }, (_, k) => `person-${i}-${k}`));
    const counts = await Promise.all(requests.map((people, i) => recorderReading(people).flush(db!, callerFor(i))));
    expect(counts).toEqual(requests.map(() => 3));
    // The first request's transaction starts at once; the 19 that flushed meanwhile share the next one.
    expect(transactionsIn(db, from)).toBe(2);
    const rows = await db.dataSource.getRepository(AccessLogRecord).find({ order: { seq: "ASC" } });
    expect(rows).toHaveLength(60);
    for (let i = 0; i < 20; i++) {
      const mine = rows.filter((r) => r.requestId === `request-${i}`);
      expect(mine.map((r) => r.personId)).toEqual(requests[i]);
      expect(mine.every((r) => r.operator === `clerk-${i}` && r.purpose === `case ${i}`)).toBe(true);
      // One request's entries are consecutive in the chain.
      expect(mine[2].seq - mine[0].seq).toBe(2);
    }
    expect(await verifyChain(db.dataSource)).toEqual({ ok: true, entries: 60 });
  });

  it("fails every request whose entries the failed transaction held, writes none of them, and serves the next", async () => {
    if (!db) return;
    const before = await verifyChain(db.dataSource);
    await db.dataSource.query("ALTER TABLE access_log RENAME TO access_log_moved");
    let outcomes: PromiseSettledResult<number>[];
    try {
      outcomes = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => recorderReading([`failed-${i}`]).flush(db!, callerFor(100 + i))));
    } finally {
      await db.dataSource.query("ALTER TABLE access_log_moved RENAME TO access_log");
    }
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected", "rejected", "rejected", "rejected"]);
    expect(await recorderReading(["after-the-failure"]).flush(db, callerFor(200))).toBe(1);
    const rows = await db.dataSource.getRepository(AccessLogRecord).find({ order: { seq: "ASC" } });
    expect(rows.filter((r) => r.personId.startsWith("failed-"))).toEqual([]);
    expect(await verifyChain(db.dataSource)).toEqual({ ok: true, entries: (before as { entries: number }).entries + 1 });
  });

  it("moves the head from where it left it in one UPDATE, and reads it under lock when another writer moved it", async () => {
    if (!db) return;
    await recorderReading(["warm"]).flush(db, callerFor(400));
    const from = db.statements.recent.length;
    await recorderReading(["steady-a", "steady-b"]).flush(db, callerFor(401));
    const steady = db.statements.recent.slice(from);
    expect(steady.map((sql) => sql.split(" ")[0].toUpperCase())).toEqual([expect.stringMatching(/^(START|BEGIN)/), "UPDATE", "INSERT", "COMMIT"]);
    expect(steady.some((sql) => /FOR UPDATE/.test(sql))).toBe(false);
    // Another instance appends: this writer's idea of the head is stale, its next append reads the head first.
    const other = await openDatabase({ ...department.database, url: databases!.urls.health });
    try {
      await ensureAccessLogHead(other);
      await recorderReading(["from-the-other-instance"]).flush(other, callerFor(402));
    } finally {
      await other.dataSource.destroy();
    }
    const next = db.statements.recent.length;
    await recorderReading(["after-the-other"]).flush(db, callerFor(403));
    expect(db.statements.recent.slice(next).filter((sql) => /^SELECT/i.test(sql))).toHaveLength(1);
    const verdict = await verifyChain(db.dataSource);
    expect(verdict.ok).toBe(true);
    const rows = await db.dataSource.getRepository(AccessLogRecord).find({ order: { seq: "DESC" }, take: 2 });
    expect(rows.map((r) => r.personId)).toEqual(["after-the-other", "from-the-other-instance"]);
  });

  it("keeps one chain when two service instances append to the same log at once (MySQL: the head row lock)", async () => {
    if (!db || dialect !== "mysql") return;
    second = await openDatabase({ ...department.database, url: databases!.urls.health });
    const before = (await verifyChain(db.dataSource)) as { entries: number };
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => recorderReading([`both-${i}-a`, `both-${i}-b`]).flush(i % 2 === 0 ? db! : second!, callerFor(300 + i))),
    );
    expect(await verifyChain(db.dataSource)).toEqual({ ok: true, entries: before.entries + 60 });
  });
});
