import { In, type ObjectLiteral, type Repository } from "typeorm";
import { DEPARTMENTS } from "../../shared/src/config";
import type { Database } from "../../shared/src/database";
import { findAll } from "../../shared/src/loaders";
import { generateCounty } from "../../shared/src/synthetic/county";
import { writeCounty } from "../../shared/src/synthetic/write";
import { dialectsUnderTest, isMysqlAvailable } from "../helpers/databases";
import { startPlatform, type Platform } from "../helpers/platform";

// shared/src/loaders.ts findAll reads the loaders' batches without typeorm's query builder. For every entity
// of every department and every column, on a seeded county, it must return what typeorm's find returns:
// the same rows, in the same order, as instances of the same class with the same hydrated values.

describe.each(dialectsUnderTest())("batch reads on %s", (dialect) => {
  let platform: Platform | undefined;

  beforeAll(async () => {
    if (dialect === "mysql" && !(await isMysqlAvailable())) return;
    const county = generateCounty({ countyCode: "522328", people: 600, seed: 5 });
    platform = await startPlatform(dialect, { seed: (urls) => writeCounty(county, urls).then(() => undefined) });
  }, 300_000);
  afterAll(async () => {
    await platform?.stop();
  });

  it.each(DEPARTMENTS)("%s: findAll returns what typeorm's find returns, for every entity and column", async (department) => {
    if (!platform) return;
    const db: Database = platform.subgraphs[department].db!;
    let compared = 0;
    for (const metadata of db.dataSource.entityMetadatas) {
      const repository: Repository<ObjectLiteral> = db.dataSource.getRepository(metadata.target);
      const order = Object.fromEntries(metadata.primaryColumns.map((c) => [c.propertyName, "ASC" as const]));
      const sample = await repository.find({ take: 40, order });
      if (sample.length === 0) continue;
      const valuesOf = (property: string) => [...new Set(sample.map((row) => row[property]).filter((v) => typeof v === "string" || typeof v === "number"))];
      const columns = metadata.columns.map((c) => c.propertyName).filter((p) => valuesOf(p).length > 0);
      for (const property of columns) {
        const values = valuesOf(property);
        const where = { [property]: In(values) };
        const before = db.statements.recent.length;
        const fast = await findAll(repository, where, order);
        // The fast path ran (typeorm's own SELECT aliases every column: `person`.`id` AS `PersonRecord_id`).
        expect({ entity: metadata.name, sql: db.statements.recent.slice(before).some((sql) => / AS /.test(sql)) }).toEqual({ entity: metadata.name, sql: false });
        expect({ entity: metadata.name, property, rows: fast }).toStrictEqual({ entity: metadata.name, property, rows: await repository.find({ where, order }) });
        compared++;
      }
      // Alternatives (OR) and a plain value, as the loaders of records about two people use them.
      const [first, second] = columns;
      if (first && second) {
        const where = [{ [first]: In(valuesOf(first).slice(0, 3)) }, { [second]: valuesOf(second)[0] }];
        expect({ entity: metadata.name, rows: await findAll(repository, where, order) }).toStrictEqual({ entity: metadata.name, rows: await repository.find({ where, order }) });
      }
    }
    expect(compared).toBeGreaterThan(10);
  });
});
