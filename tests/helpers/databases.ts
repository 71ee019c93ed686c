import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataSource } from "typeorm";
import { DEPARTMENTS, type DepartmentName } from "../../shared/src/config";
import type { Dialect } from "../../shared/src/database";

export const MYSQL_SERVER_URL = process.env.TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306";

let mysqlAvailable: boolean | undefined;

/**
 * Whether the MySQL/MariaDB server answers. With REQUIRE_MYSQL=1 (CI) its absence fails the suites
 * instead of skipping them, so a missing set-up step cannot pass unnoticed.
 */
export async function isMysqlAvailable(): Promise<boolean> {
  if (mysqlAvailable !== undefined) return mysqlAvailable;
  const probe = new DataSource({ type: "mysql", url: MYSQL_SERVER_URL, connectTimeout: 2000 });
  try {
    await probe.initialize();
    await probe.destroy();
    mysqlAvailable = true;
  } catch (error) {
    if (process.env.REQUIRE_MYSQL === "1") throw new Error(`REQUIRE_MYSQL=1 but ${MYSQL_SERVER_URL} is unreachable: ${(error as Error).message}`);
    mysqlAvailable = false;
  }
  return mysqlAvailable;
}

/** The dialects a test file should run against: SQLite always, MySQL when the server is there (or required). */
export function dialectsUnderTest(): Dialect[] {
  return process.env.SKIP_MYSQL === "1" ? ["sqlite"] : ["sqlite", "mysql"];
}

export interface TestDatabases {
  urls: Record<DepartmentName, string>;
  drop(): Promise<void>;
}

/** Fresh, empty databases for the four departments; `drop()` removes them. Nothing is shared between runs. */
export async function createTestDatabases(dialect: Dialect): Promise<TestDatabases> {
  const suffix = `${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`;
  if (dialect === "sqlite") {
    const folder = mkdtempSync(join(tmpdir(), "pis-test-"));
    const urls = Object.fromEntries(DEPARTMENTS.map((d) => [d, `sqlite:${join(folder, `${d}.sqlite`)}`])) as Record<DepartmentName, string>;
    return { urls, drop: async () => rmSync(folder, { recursive: true, force: true }) };
  }
  const names = Object.fromEntries(DEPARTMENTS.map((d) => [d, `pis_test_${d.replace(/-/g, "_")}_${suffix}`])) as Record<DepartmentName, string>;
  const admin = new DataSource({ type: "mysql", url: MYSQL_SERVER_URL });
  await admin.initialize();
  for (const name of Object.values(names)) {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  }
  await admin.destroy();
  const base = MYSQL_SERVER_URL.replace(/\/$/, "");
  const urls = Object.fromEntries(DEPARTMENTS.map((d) => [d, `${base}/${names[d]}`])) as Record<DepartmentName, string>;
  return {
    urls,
    async drop() {
      const dropper = new DataSource({ type: "mysql", url: MYSQL_SERVER_URL });
      await dropper.initialize();
      for (const name of Object.values(names)) await dropper.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await dropper.destroy();
    },
  };
}
