import "reflect-metadata";
import { createConnection } from "mysql2/promise";
import { DataSource, EntitySchema } from "typeorm";
import { makeIdNumber } from "../../shared/src/id-number";
import { describeError, logError, serviceLogger } from "../../shared/src/log";
import { isMysqlAvailable, MYSQL_SERVER_URL } from "../helpers/databases";

// What the services print about errors (shared/src/log.ts): one line, ID numbers masked, a driver's error by
// its code only — drivers quote the failed statement's values, and operators reading logs are not entitled to them.

const ID_NUMBER = makeIdNumber("522328", "1986-03-09", 417);
const MASKED = `${ID_NUMBER.slice(0, 6)}********${ID_NUMBER.slice(-4)}`;

function printed(run: () => void): string[] {
  const lines: string[] = [];
  const spies = (["log", "warn", "error"] as const).map((method) =>
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" "))),
  );
  try {
    run();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lines;
}

const expectClean = (line: string) => {
  expect(line).not.toContain("\n");
  expect(line).not.toContain(ID_NUMBER);
  expect(line).not.toMatch(/(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])/);
  expect(line).not.toMatch(/\bINSERT\b|\bSELECT\b|Duplicate entry|constraint failed/i);
};

describe("log lines", () => {
  it("mask ID numbers and drop the stack of an ordinary error", () => {
    const error = new Error(`lookup of ${ID_NUMBER} failed\n    at Database.query (database.ts:12:3)`);
    const [line] = printed(() => logError("population", "internal error", error));
    expect(line).toBe(`[population] internal error: lookup of ${MASKED} failed`);
    expectClean(line);
    // A GraphQL error's original error is the one described; Apollo's logger goes through the same scrubbing.
    expect(describeError({ originalError: error })).toBe(`lookup of ${MASKED} failed`);
    const [apollo] = printed(() => serviceLogger("health").error(error));
    expect(apollo).toBe(`[health] lookup of ${MASKED} failed`);
  });

  it("name a SQLite driver error (wrapped by typeorm with its SQL and parameters) by its code", async () => {
    const person = new EntitySchema<{ idNumber: string }>({ name: "person", columns: { idNumber: { type: "varchar", primary: true } } });
    const dataSource = await new DataSource({ type: "better-sqlite3", database: ":memory:", entities: [person], synchronize: true }).initialize();
    try {
      await dataSource.query("INSERT INTO person (idNumber) VALUES (?)", [ID_NUMBER]);
      const failure = await dataSource.query("INSERT INTO person (idNumber) VALUES (?)", [ID_NUMBER]).catch((error: unknown) => error);
      expect((failure as { parameters?: unknown[] }).parameters).toEqual([ID_NUMBER]); // what must not be printed
      const [line] = printed(() => logError("population", "write failed", failure));
      expect(line).toMatch(/^\[population\] write failed: database error SQLITE_CONSTRAINT/);
      expectClean(line);
    } finally {
      await dataSource.destroy();
    }
  });

  it("name a MySQL driver error, whose text quotes the duplicate value, by its code", async () => {
    if (!(await isMysqlAvailable())) return;
    const schema = `log_lines_${process.pid}_${Date.now()}`;
    const connection = await createConnection(MYSQL_SERVER_URL);
    try {
      await connection.query(`CREATE DATABASE ${schema}`);
      await connection.query(`CREATE TABLE ${schema}.person (id_number VARCHAR(18) PRIMARY KEY)`);
      await connection.query(`INSERT INTO ${schema}.person VALUES (?)`, [ID_NUMBER]);
      const failure = await connection.query(`INSERT INTO ${schema}.person VALUES (?)`, [ID_NUMBER]).catch((error: unknown) => error);
      expect(String((failure as Error).message)).toContain(`Duplicate entry '${ID_NUMBER}'`); // what must not be printed
      const [line] = printed(() => logError("public-security", "write failed", failure));
      expect(line).toBe("[public-security] write failed: database error ER_DUP_ENTRY (1062)");
      expectClean(line);
    } finally {
      await connection.query(`DROP DATABASE IF EXISTS ${schema}`);
      await connection.end();
    }
  });

  it("name a network error by its code, not by the address it failed on", async () => {
    const failure = await createConnection({ host: "127.0.0.1", port: 1, connectTimeout: 2000 }).catch((error: unknown) => error);
    const [line] = printed(() => logError("gateway", "failed to start", failure));
    expect(line).toBe("[gateway] failed to start: network error ECONNREFUSED (connect)");
    expect(line).not.toContain("127.0.0.1");
  });

  it("keep the text of other errors with a code (a missing file names its path, which is no one's data)", () => {
    const missing = Object.assign(new Error("ENOENT: no such file or directory, open '/etc/platform/jwks.json'"), { code: "ENOENT", syscall: "open" });
    expect(describeError(missing)).toBe("ENOENT: no such file or directory, open '/etc/platform/jwks.json'");
  });
});
