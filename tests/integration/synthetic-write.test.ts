import { DEPARTMENTS, type DepartmentName } from "../../shared/src/config";
import { openDatabase, type Database } from "../../shared/src/database";
import { ANOMALY_KINDS } from "../../shared/src/synthetic/anomalies";
import { type CountyTables, generateCounty } from "../../shared/src/synthetic/county";
import { dayOf, iso } from "../../shared/src/synthetic/dates";
import { findAnomalies } from "../../shared/src/synthetic/oracle";
import { COUNTY_TABLE_ENTITIES, CountyAlreadySeededError, writeCounty } from "../../shared/src/synthetic/write";
import type { SubgraphDefinition } from "../../shared/src/service";
import { civilAffairsSubgraph } from "../../subgraphs/civil-affairs/src/subgraph";
import { healthSubgraph } from "../../subgraphs/health/src/subgraph";
import { populationSubgraph } from "../../subgraphs/population/src/subgraph";
import { publicSecuritySubgraph } from "../../subgraphs/public-security/src/subgraph";
import { createTestDatabases, dialectsUnderTest, isMysqlAvailable, type TestDatabases } from "../helpers/databases";

const SUBGRAPHS: Record<DepartmentName, SubgraphDefinition<any>> = {
  population: populationSubgraph,
  "public-security": publicSecuritySubgraph,
  "civil-affairs": civilAffairsSubgraph,
  health: healthSubgraph,
};

const OUTSIDE_BMP_NAME = "𠮷㛃";

async function withDatabase<T>(department: DepartmentName, url: string, use: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase({ ...SUBGRAPHS[department].database, url });
  try {
    return await use(db);
  } finally {
    await db.dataSource.destroy();
  }
}

async function rowCounts(urls: Record<DepartmentName, string>): Promise<Record<string, Record<string, number>>> {
  const counts: Record<string, Record<string, number>> = {};
  for (const department of DEPARTMENTS) {
    counts[department] = await withDatabase(department, urls[department], async (db) => {
      const result: Record<string, number> = {};
      for (const [table, entity] of Object.entries(COUNTY_TABLE_ENTITIES[department])) {
        result[table] = await db.dataSource.getRepository(entity as Function).count();
      }
      return result;
    });
  }
  return counts;
}

describe.each(dialectsUnderTest())("writing a synthetic county into %s", (dialect) => {
  let databases: TestDatabases | undefined;

  beforeAll(async () => {
    if (dialect === "mysql" && !(await isMysqlAvailable())) return;
    databases = await createTestDatabases(dialect);
  }, 60_000);

  afterAll(async () => {
    await databases?.drop();
  }, 60_000);

  it("writes every row of the model, keeps names outside the BMP, and refuses to write a second county", async () => {
    if (!databases) return; // MySQL not reachable (REQUIRE_MYSQL=1 turns this into a failure)
    const county = generateCounty({ countyCode: "522328", people: 2000, seed: 3, hukouHistory: true });
    const person = county.tables["public-security"].person[0];
    person.name = OUTSIDE_BMP_NAME;

    const reports = await writeCounty(county, databases.urls);
    expect(reports.map((r) => r.department)).toEqual([...DEPARTMENTS]);

    const expected = Object.fromEntries(
      DEPARTMENTS.map((d) => [d, Object.fromEntries(Object.entries(county.tables[d]).map(([t, rows]) => [t, (rows as unknown[]).length]))]),
    );
    expect(await rowCounts(databases.urls)).toEqual(expected);

    await withDatabase("public-security", databases.urls["public-security"], async (db) => {
      const [row] = await db.dataSource.query("SELECT name FROM person WHERE id = ?", [person.id]);
      expect(row.name).toBe(OUTSIDE_BMP_NAME);
    });
    // Civil-affairs got its division list too (from the subgraph's reference data step).
    await withDatabase("civil-affairs", databases.urls["civil-affairs"], async (db) => {
      const [row] = await db.dataSource.query("SELECT name FROM region WHERE code = ?", ["522328"]);
      expect(row.name).toBe("安龙县");
    });

    // Rows read back through the entities equal the model's (dates, booleans, nulls, numbers).
    for (const department of DEPARTMENTS) {
      await withDatabase(department, databases.urls[department], async (db) => {
        for (const [table, entity] of Object.entries(COUNTY_TABLE_ENTITIES[department])) {
          const list = (county.tables[department] as unknown as Record<string, Record<string, unknown>[]>)[table];
          expect({ table, rows: list.length > 0 }).toEqual({ table, rows: true });
          const repository = db.dataSource.getRepository(entity as Function);
          const metadata = repository.metadata;
          const generated = metadata.primaryColumns.some((c) => c.isGenerated);
          for (const index of [0, list.length - 1]) {
            const expected = list[index];
            const found = generated
              ? (await repository.find({ order: { id: "ASC" }, skip: index, take: 1 }))[0]
              : await repository.findOneBy(Object.fromEntries(metadata.primaryColumns.map((c) => [c.propertyName, expected[c.propertyName]])));
            expect(found).toBeTruthy();
            const actual = Object.fromEntries(Object.keys(expected).map((k) => [k, (found as Record<string, unknown>)[k]]));
            expect({ table, row: actual }).toEqual({ table, row: expected });
            if (metadata.versionColumn) expect((found as Record<string, unknown>)[metadata.versionColumn.propertyName]).toBe(1);
          }
        }
      });
    }

    await expect(writeCounty(county, databases.urls)).rejects.toThrow(CountyAlreadySeededError);
    expect(await rowCounts(databases.urls)).toEqual(expected);
  }, 180_000);

  it("writes a county with anomalies (rate 0.05) in which the reports' SQL finds exactly the manifest's records", async () => {
    if (!databases) return;
    const fresh = await createTestDatabases(dialect);
    try {
      const county = generateCounty({ countyCode: "522328", people: 10_000, seed: 1, anomalyRate: 0.05, hukouHistory: true });
      const kinds = county.manifest.kinds;
      for (const kind of ANOMALY_KINDS) expect(kinds[kind].ids.length).toBeGreaterThan(0);
      await writeCounty(county, fresh.urls);
      const query = (department: DepartmentName, sql: string, parameters: unknown[] = []): Promise<Record<string, any>[]> =>
        withDatabase(department, fresh.urls[department], (db) => db.dataSource.query(sql, parameters));
      const sorted = (rows: Record<string, any>[], column: string) => rows.map((r) => String(r[column])).sort();

      // 落户 (report 1): certificates of local mothers born more than 30 days ago with no birth registration.
      const cutoff = iso(dayOf(county.options.today) - 30);
      const certificates = await query("health", "SELECT certificate_number AS number, mother_person_id AS mother FROM birth_certificate WHERE birth_date < ?", [cutoff]);
      const persons = await query("public-security", "SELECT id, id_number AS idNumber, status FROM person");
      const local = new Set(persons.map((p) => p.id));
      const registered = new Set(sorted(await query("public-security", "SELECT certificate_number AS number FROM birth_registration"), "number"));
      expect(certificates.filter((c) => local.has(c.mother) && !registered.has(c.number)).map((c) => c.number).sort()).toEqual(kinds.birthNotRegistered.ids);

      // Sex and birth date against the ID number, in public-security's database alone (report 13).
      expect(sorted(await query("public-security", "SELECT id_number AS n FROM person WHERE REPLACE(birth_date, '-', '') <> SUBSTR(id_number, 7, 8)"), "n")).toEqual(
        kinds.birthDateMismatch.ids,
      );
      expect(
        sorted(
          await query("public-security", "SELECT id_number AS n FROM person WHERE (CASE WHEN CAST(SUBSTR(id_number, 17, 1) AS SIGNED INTEGER) % 2 = 1 THEN 'MALE' ELSE 'FEMALE' END) <> sex"),
          "n",
        ),
      ).toEqual(kinds.sexMismatch.ids);

      // Legacy records without a name, in either register (report 13's empty-field rules).
      expect(sorted(await query("public-security", "SELECT id_number AS n FROM person WHERE TRIM(name) = ''"), "n")).toEqual(kinds.hukouNameEmpty.ids);
      expect(sorted(await query("population", "SELECT id_number AS n FROM population_register WHERE TRIM(name) = ''"), "n")).toEqual(kinds.registerNameEmpty.ids);

      // Deaths registered by civil-affairs whose hukou is still active (report 14).
      const active = new Set(persons.filter((p) => p.status === "ACTIVE").map((p) => p.id));
      const deaths = await query("civil-affairs", "SELECT person_id AS person, id_number AS n FROM death_registration");
      expect(deaths.filter((d) => active.has(d.person)).map((d) => d.n).sort()).toEqual(kinds.deathNotCancelled.ids);

      // 户不漏人 / 居不漏户: the hukou register against population's register (report 13).
      const register = await query("population", "SELECT person_id AS person, id_number AS n FROM population_register WHERE household_number IS NOT NULL");
      const inRegister = new Set(register.map((r) => r.person));
      expect(persons.filter((p) => p.status === "ACTIVE" && !inRegister.has(p.id)).map((p) => p.idNumber).sort()).toEqual(kinds.missingFromPopulationRegister.ids);
      expect(register.filter((r) => !local.has(r.person)).map((r) => r.n).sort()).toEqual(kinds.missingFromHukou.ids);

      // And every kind, from the rows as read back through the entities.
      const tables: Record<string, Record<string, unknown[]>> = {};
      for (const department of DEPARTMENTS) {
        tables[department] = await withDatabase(department, fresh.urls[department], async (db) => {
          const result: Record<string, unknown[]> = {};
          for (const [table, entity] of Object.entries(COUNTY_TABLE_ENTITIES[department])) result[table] = await db.dataSource.getRepository(entity as Function).find();
          return result;
        });
      }
      expect(findAnomalies(tables as unknown as CountyTables, county.options.today)).toEqual(Object.fromEntries(ANOMALY_KINDS.map((k) => [k, kinds[k].ids])));
    } finally {
      await fresh.drop();
    }
  }, 180_000);

  it("leaves a department's database untouched when its write fails", async () => {
    if (!databases) return;
    const fresh = await createTestDatabases(dialect);
    try {
      const county = generateCounty({ countyCode: "522328", people: 300, seed: 5 });
      // A duplicate primary key in public-security's last table fails its transaction after person and household went in.
      const registrations = county.tables["public-security"].birthRegistration;
      registrations.push({ ...registrations[0], personId: county.tables["public-security"].person[0].id });
      await expect(writeCounty(county, fresh.urls)).rejects.toThrow();
      const counts = await rowCounts(fresh.urls);
      expect(counts["public-security"]).toEqual({ person: 0, household: 0, birthRegistration: 0, hukouEvent: 0 });
      // Departments are written one after another: population (first) is complete, the later ones empty.
      expect(counts.population.migrantRecord).toBe(county.tables.population.migrantRecord.length);
      expect(counts.health.birthCertificate).toBe(0);
    } finally {
      await fresh.drop();
    }
  }, 180_000);
});
