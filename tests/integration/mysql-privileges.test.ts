import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { DataSource } from "typeorm";
import type { Caller } from "../../shared/src/auth/caller";
import { AccessLogRecord } from "../../shared/src/audit/access-log.entity";
import { AuditRecorder, ensureAccessLogHead } from "../../shared/src/audit/recorder";
import { accessLogModifyPrivileges, openDatabase, runtimeGrantStatements, type Database } from "../../shared/src/database";
import { SUBGRAPHS } from "../../shared/scripts/departments";
import { MYSQL_SERVER_URL, isMysqlAvailable } from "../helpers/databases";

// The MySQL deployment's access control (docker/mysql-init/01-databases.sh): the service's runtime user can
// read and append to the access log but never UPDATE or DELETE its rows, while its other tables stay
// writable. The users and the database are created with exactly the init script's statements: the script
// prints them in its --print-department mode, so the test and the script cannot drift apart.

const INIT_SCRIPT = join(__dirname, "../../docker/mysql-init/01-databases.sh");
const ER_TABLEACCESS_DENIED_ERROR = 1142;

const suffix = randomBytes(4).toString("hex");
const database = `pis_priv_${suffix}`;
const runtimeUser = `pis_priv_${suffix}`;
const ownerUser = `pis_priv_${suffix}_owner`;
const runtimePassword = randomBytes(12).toString("hex");
const ownerPassword = randomBytes(12).toString("hex");

function urlFor(user: string, password: string): string {
  const url = new URL(MYSQL_SERVER_URL);
  url.username = user;
  url.password = password;
  url.pathname = `/${database}`;
  return url.toString();
}

/** The statements the init script runs for one department, here for the throwaway database and users. */
function initScriptStatements(): string[] {
  const sql = execFileSync("bash", [INIT_SCRIPT, "--print-department", database, runtimeUser, ownerUser], {
    env: { ...process.env, PIS_DB_PASSWORD: runtimePassword, PIS_DB_OWNER_PASSWORD: ownerPassword },
    encoding: "utf8",
  });
  return sql
    .split(/;\s*\n/)
    .map((statement) => statement.trim())
    .filter(Boolean);
}

async function expectDenied(promise: Promise<unknown>): Promise<void> {
  await expect(promise).rejects.toMatchObject({ errno: ER_TABLEACCESS_DENIED_ERROR });
}

const caller: Caller = {
  sub: "clerk-01",
  dept: "civil_affairs",
  scopes: [],
  region: "",
  purpose: "privilege test",
  requestId: `req-${suffix}`,
};

describe("MySQL deployment: the runtime user cannot change the access log", () => {
  let available = false;
  let root: DataSource | undefined;
  let db: Database | undefined;
  let warn: jest.SpyInstance | undefined;
  const department = SUBGRAPHS["civil-affairs"];

  beforeAll(async () => {
    available = process.env.SKIP_MYSQL !== "1" && (await isMysqlAvailable());
    if (!available) return;
    root = new DataSource({ type: "mysql", url: MYSQL_SERVER_URL });
    await root.initialize();
    for (const statement of initScriptStatements()) await root.query(statement);
    warn = jest.spyOn(console, "warn");
    db = await openDatabase({ ...department.database, url: urlFor(runtimeUser, runtimePassword), migrationUrl: urlFor(ownerUser, ownerPassword) });
    // What startSubgraph does next, as the runtime user.
    await ensureAccessLogHead(db);
    await department.afterMigrations?.(db);
  });

  afterAll(async () => {
    warn?.mockRestore();
    if (db?.dataSource.isInitialized) await db.dataSource.destroy();
    if (!root) return;
    await root.query(`DROP USER IF EXISTS '${runtimeUser}'@'%', '${ownerUser}'@'%'`);
    await root.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await root.destroy();
  });

  it("the service connects as the runtime user, not the owner", async () => {
    if (!available) return;
    const [row] = await db!.dataSource.query("SELECT CURRENT_USER() AS account");
    expect(String(row.account)).toBe(`${runtimeUser}@%`);
    // No "can still modify the access log" warning at start.
    expect(warn!.mock.calls.map((args) => String(args[0])).filter((m) => m.includes("access log"))).toEqual([]);
  });

  it("the grants come from the entities: every table but access_log, and access_log_head without DELETE", () => {
    if (!available) return;
    const statements = runtimeGrantStatements(db!.dataSource, database, { user: runtimeUser, host: "%" });
    expect(statements).toContain(`GRANT UPDATE, DELETE ON \`${database}\`.\`marriage_record\` TO '${runtimeUser}'@'%'`);
    expect(statements).toContain(`GRANT UPDATE ON \`${database}\`.\`access_log_head\` TO '${runtimeUser}'@'%'`);
    expect(statements.filter((s) => s.includes("`access_log`"))).toEqual([]);
    expect(statements.filter((s) => s.includes("`migrations`"))).toEqual([]);
    expect(statements).toHaveLength(db!.dataSource.entityMetadatas.length - 1);
  });

  it("the audit flush appends to the access log", async () => {
    if (!available) return;
    const recorder = new AuditRecorder();
    recorder.record("person-a", "name");
    recorder.record("person-b", "idNumber");
    expect(await recorder.flush(db!, caller)).toBe(2);
    const second = new AuditRecorder();
    second.record("person-a", "birthDate");
    expect(await second.flush(db!, caller)).toBe(1);
    const rows = await db!.dataSource.getRepository(AccessLogRecord).find({ order: { seq: "ASC" } });
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3]);
  });

  it("UPDATE, DELETE and DROP on access_log are refused by privilege (errno 1142)", async () => {
    if (!available) return;
    const query = (sql: string) => db!.dataSource.query(sql);
    await expectDenied(query("UPDATE access_log SET purpose = 'rewritten' WHERE seq = 1"));
    await expectDenied(query("DELETE FROM access_log WHERE seq = 1"));
    await expectDenied(query("DELETE FROM access_log"));
    await expectDenied(query("DELETE FROM access_log_head"));
    await expectDenied(query("DROP TABLE access_log"));
    await expectDenied(query("DROP TRIGGER access_log_no_update"));
    const [count] = await query("SELECT COUNT(*) AS n FROM access_log");
    expect(Number(count.n)).toBe(3);
    // The start-up check that warns about leftover grants finds none for the runtime user, and does see root's.
    expect(await accessLogModifyPrivileges(db!.dataSource, database)).toEqual([]);
    expect(await accessLogModifyPrivileges(root!, database)).toContain("DELETE on *.*");
  });

  it("the department's other tables stay writable", async () => {
    if (!available) return;
    const query = (sql: string, parameters?: unknown[]) => db!.dataSource.query(sql, parameters);
    await query(
      `INSERT INTO marriage_record (registration_number, kind, registered_on, husband_person_id, husband_id_number, wife_person_id, wife_id_number, region_code, version)
       VALUES ('J522328-TEST-1', 'marriage', '2024-05-20', 'h', '522328199001011234', 'w', '522328199202021240', '522328', 1)`,
    );
    await query("UPDATE marriage_record SET region_code = '522301' WHERE registration_number = 'J522328-TEST-1'");
    const [row] = await query("SELECT region_code FROM marriage_record WHERE registration_number = 'J522328-TEST-1'");
    expect(row.region_code).toBe("522301");
    await query("DELETE FROM marriage_record WHERE registration_number = 'J522328-TEST-1'");
    const [count] = await query("SELECT COUNT(*) AS n FROM marriage_record");
    expect(Number(count.n)).toBe(0);
  });

  it("a second start re-applies the grants (idempotent) and leaves the log intact", async () => {
    if (!available) return;
    const again = await openDatabase({ ...department.database, url: urlFor(runtimeUser, runtimePassword), migrationUrl: urlFor(ownerUser, ownerPassword) });
    try {
      await expectDenied(again.dataSource.query("DELETE FROM access_log"));
      await again.dataSource.query("UPDATE marriage_record SET region_code = region_code");
      const [count] = await again.dataSource.query("SELECT COUNT(*) AS n FROM access_log");
      expect(Number(count.n)).toBe(3);
    } finally {
      await again.dataSource.destroy();
    }
  });

  it("the runtime user cannot run the migrations itself", async () => {
    if (!available) return;
    const [row] = await root!.query(`SELECT COUNT(*) AS n FROM \`${database}\`.migrations`);
    expect(Number(row.n)).toBeGreaterThan(0);
    await expect(db!.dataSource.query("CREATE TABLE sneaky (id INT PRIMARY KEY)")).rejects.toMatchObject({ errno: ER_TABLEACCESS_DENIED_ERROR });
  });
});
