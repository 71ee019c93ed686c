/**
 * Writes a generated county into the four departments' databases: each database is opened with openDatabase
 * (so its migrations run, and the department's reference data such as civil-affairs' division list is loaded),
 * all four are checked to be empty first, and then each department's rows go in as multi-row INSERTs inside
 * one transaction per department, so a failure leaves that department's database as it was.
 */
import "reflect-metadata";
import type { EntityManager, ObjectLiteral } from "typeorm";
import { DEPARTMENTS, type DepartmentName } from "../config";
import { openDatabase, redactUrl, type Database } from "../database";
import type { SubgraphDefinition } from "../service";
import { DeathRegistrationRecord } from "../../../subgraphs/civil-affairs/src/death/death.entity";
import { MarriageRecordRow } from "../../../subgraphs/civil-affairs/src/marriage/marriage.entity";
import { ReliefEnrollmentRecord } from "../../../subgraphs/civil-affairs/src/relief/relief.entity";
import { civilAffairsSubgraph } from "../../../subgraphs/civil-affairs/src/subgraph";
import { BirthCertificateRecord } from "../../../subgraphs/health/src/birth-certificate/birth-certificate.entity";
import { PrePregnancyCheckTargetRecord } from "../../../subgraphs/health/src/pre-pregnancy-check/pre-pregnancy-check-target.entity";
import { PrePregnancyCheckRecord } from "../../../subgraphs/health/src/pre-pregnancy-check/pre-pregnancy-check.entity";
import { healthSubgraph } from "../../../subgraphs/health/src/subgraph";
import { AssistanceEnrollmentRecord } from "../../../subgraphs/population/src/assistance/assistance-enrollment.entity";
import { AssociationMemberRecord } from "../../../subgraphs/population/src/association/association-member.entity";
import { BirthPermitRecord } from "../../../subgraphs/population/src/birth-permit/birth-permit.entity";
import { CareVisitRecord } from "../../../subgraphs/population/src/care-visit/care-visit.entity";
import { DisabilityCertificateRecord } from "../../../subgraphs/civil-affairs/src/disability/disability-certificate.entity";
import { InterCountyNoticeRecord } from "../../../subgraphs/population/src/inter-county-notice/inter-county-notice.entity";
import { MigrationRecord } from "../../../subgraphs/population/src/migrant/migrant-record.entity";
import { PopulationRegisterRecord } from "../../../subgraphs/population/src/population-register/population-register.entity";
import { SocialMaintenanceFeeRecord } from "../../../subgraphs/population/src/social-maintenance-fee/social-maintenance-fee.entity";
import { OnlyChildCertificateRecord } from "../../../subgraphs/population/src/only-child-certificate/only-child-certificate.entity";
import { populationSubgraph } from "../../../subgraphs/population/src/subgraph";
import { BirthRegistrationRecord } from "../../../subgraphs/public-security/src/birth-registration/birth-registration.entity";
import { HouseholdRecord } from "../../../subgraphs/public-security/src/household/household.entity";
import { HukouEventRecord } from "../../../subgraphs/public-security/src/hukou/hukou-event.entity";
import { PersonRecord } from "../../../subgraphs/public-security/src/person/person.entity";
import { publicSecuritySubgraph } from "../../../subgraphs/public-security/src/subgraph";
import type { County, CountyTables } from "./county";

type EntityClass = new () => ObjectLiteral;

/** The entity each of the model's tables is written to. */
export const COUNTY_TABLE_ENTITIES: { [D in DepartmentName]: { [T in keyof CountyTables[D]]: EntityClass } } = {
  "public-security": { person: PersonRecord, household: HouseholdRecord, birthRegistration: BirthRegistrationRecord, hukouEvent: HukouEventRecord },
  "civil-affairs": {
    marriageRecord: MarriageRecordRow,
    deathRegistration: DeathRegistrationRecord,
    reliefEnrollment: ReliefEnrollmentRecord,
    disabilityCertificate: DisabilityCertificateRecord,
  },
  health: { birthCertificate: BirthCertificateRecord, prePregnancyCheck: PrePregnancyCheckRecord, prePregnancyCheckTarget: PrePregnancyCheckTargetRecord },
  population: {
    onlyChildCertificate: OnlyChildCertificateRecord,
    birthPermit: BirthPermitRecord,
    assistanceEnrollment: AssistanceEnrollmentRecord,
    migrantRecord: MigrationRecord,
    associationMember: AssociationMemberRecord,
    populationRegister: PopulationRegisterRecord,
    socialMaintenanceFee: SocialMaintenanceFeeRecord,
    careVisit: CareVisitRecord,
    interCountyNotice: InterCountyNoticeRecord,
  },
};

const SUBGRAPHS: Record<DepartmentName, SubgraphDefinition<unknown>> = {
  population: populationSubgraph as SubgraphDefinition<unknown>,
  "public-security": publicSecuritySubgraph as SubgraphDefinition<unknown>,
  "civil-affairs": civilAffairsSubgraph as SubgraphDefinition<unknown>,
  health: healthSubgraph as SubgraphDefinition<unknown>,
};

/** SQLite allows 32,766 bound parameters per statement (SQLITE_MAX_VARIABLE_NUMBER since 3.32). */
const SQLITE_MAX_PARAMETERS = 32_766;

export interface WriteCountyOptions {
  /** Rows per INSERT statement (an upper bound; SQLite's parameter limit may lower it). Default 1,000 (SQLite), 2,000 (MySQL). */
  rowsPerStatement?: number;
  /** Called as each department is written (the CLI prints it). */
  onDepartmentWritten?(report: DepartmentWriteReport): void;
}

export interface DepartmentWriteReport {
  department: DepartmentName;
  /** The database URL with any password redacted. */
  database: string;
  rows: Record<string, number>;
  /** Time to insert and commit the rows (opening and migrating are not included). */
  milliseconds: number;
}

export class CountyAlreadySeededError extends Error {
  constructor(readonly occupied: { department: DepartmentName; database: string; tables: string[] }[]) {
    super(
      "refusing to seed: the target databases already hold data (" +
        occupied.map((o) => `${o.department} at ${o.database}: ${o.tables.join(", ")}`).join("; ") +
        "). Seed into empty databases (new SQLite files or fresh MySQL databases) so that two counties are never mixed.",
    );
    this.name = "CountyAlreadySeededError";
  }
}

/** Writes the county; throws CountyAlreadySeededError (writing nothing) if any department's tables already hold rows. */
export async function writeCounty(
  county: County,
  urls: Record<DepartmentName, string>,
  options: WriteCountyOptions = {},
): Promise<DepartmentWriteReport[]> {
  return withCountyDatabases(urls, async (opened) => {
    await refuseOccupied(opened, urls);
    const reports: DepartmentWriteReport[] = [];
    for (const department of DEPARTMENTS) {
      const report = await writeDepartment(department, county, opened.get(department)!, urls[department], options);
      reports.push(report);
      options.onDepartmentWritten?.(report);
    }
    return reports;
  });
}

/**
 * Opens (and migrates) the four databases and throws CountyAlreadySeededError if any of them holds rows in a
 * table the county would be written to. Lets a caller refuse before spending time generating a county.
 */
export async function assertCountyDatabasesEmpty(urls: Record<DepartmentName, string>): Promise<void> {
  await withCountyDatabases(urls, (opened) => refuseOccupied(opened, urls));
}

async function withCountyDatabases<T>(urls: Record<DepartmentName, string>, use: (opened: Map<DepartmentName, Database>) => Promise<T>): Promise<T> {
  for (const department of DEPARTMENTS) {
    if (!urls[department]) throw new Error(`no database URL for ${department}`);
  }
  const opened = new Map<DepartmentName, Database>();
  try {
    for (const department of DEPARTMENTS) {
      const definition = SUBGRAPHS[department];
      const db = await openDatabase({ ...definition.database, url: urls[department] });
      opened.set(department, db);
      // The department's own reference data (civil-affairs' division list), as its service does on start.
      await definition.afterMigrations?.(db);
    }
    return await use(opened);
  } finally {
    for (const db of opened.values()) {
      if (db.dataSource.isInitialized) await db.dataSource.destroy();
    }
  }
}

async function refuseOccupied(opened: Map<DepartmentName, Database>, urls: Record<DepartmentName, string>): Promise<void> {
  const occupied: CountyAlreadySeededError["occupied"] = [];
  for (const department of DEPARTMENTS) {
    const db = opened.get(department)!;
    const tables: string[] = [];
    for (const entity of Object.values(COUNTY_TABLE_ENTITIES[department]) as EntityClass[]) {
      const row = await db.dataSource.createQueryBuilder(entity, "t").select("1", "one").limit(1).getRawOne();
      if (row !== undefined) tables.push(db.dataSource.getMetadata(entity).tableName);
    }
    if (tables.length > 0) occupied.push({ department, database: redactUrl(urls[department]), tables });
  }
  if (occupied.length > 0) throw new CountyAlreadySeededError(occupied);
}

async function writeDepartment(
  department: DepartmentName,
  county: County,
  db: Database,
  url: string,
  options: WriteCountyOptions,
): Promise<DepartmentWriteReport> {
  const tables = county.tables[department] as unknown as Record<string, ObjectLiteral[]>;
  const entities = COUNTY_TABLE_ENTITIES[department] as Record<string, EntityClass>;
  const started = process.hrtime.bigint();
  if (db.dialect === "sqlite") {
    // This connection only seeds and is closed afterwards; a crash mid-seed leaves a file to delete anyway.
    await db.dataSource.query("PRAGMA synchronous = OFF");
  }
  const rows: Record<string, number> = {};
  await db.dataSource.transaction(async (manager) => {
    for (const [table, entity] of Object.entries(entities)) {
      const list = tables[table];
      rows[table] = list.length;
      if (list.length === 0) continue;
      const plan = insertPlan(db, entity, list[0], `${department}.${table}`);
      const wanted = options.rowsPerStatement ?? (db.dialect === "sqlite" ? 1000 : 2000);
      const perStatement =
        db.dialect === "sqlite" ? Math.max(1, Math.min(wanted, Math.floor(SQLITE_MAX_PARAMETERS / plan.properties.length))) : Math.max(1, wanted);
      await insertAll(manager, plan, inKeyOrder(db, entity, list), perStatement);
    }
  });
  const milliseconds = Number(process.hrtime.bigint() - started) / 1e6;
  return { department, database: redactUrl(url), rows, milliseconds };
}

interface InsertPlan {
  /** `INSERT INTO "table" ("a", "b", "version") VALUES ` */
  prefix: string;
  /** `(?, ?, 1)` */
  tuple: string;
  properties: string[];
}

/**
 * A multi-row INSERT built from the entity's metadata (table and column names come from TypeORM and the naming
 * strategy; the version column is 1 as TypeORM inserts it; create/update dates take the column default).
 * Building the statement directly rather than through InsertQueryBuilder costs a fraction of the time: the
 * builder spends about 50 µs per person row normalising values, which is most of a 330,000-person seed.
 */
function insertPlan(db: Database, entity: EntityClass, sample: ObjectLiteral, label: string): InsertPlan {
  checkRowShape(db, entity, sample, label);
  const metadata = db.dataSource.getMetadata(entity);
  const driver = db.dataSource.driver;
  const columns = metadata.columns.filter((c) => Object.prototype.hasOwnProperty.call(sample, c.propertyName));
  const version = metadata.versionColumn;
  const names = columns.map((c) => driver.escape(c.databaseName));
  if (version) names.push(driver.escape(version.databaseName));
  return {
    prefix: `INSERT INTO ${driver.escape(metadata.tablePath)} (${names.join(", ")}) VALUES `,
    tuple: `(${columns.map(() => "?").join(", ")}${version ? ", 1" : ""})`,
    properties: columns.map((c) => c.propertyName),
  };
}

/**
 * The rows in primary-key order (a sorted copy) when the key is one string column the database does not
 * generate. InnoDB clusters a table by its primary key and SQLite keeps an index on it, so inserting in key
 * order appends to the last page instead of splitting pages all over the table: for the random-looking person
 * ids this roughly halves the time of a large seed. Tables with generated keys keep the model's order.
 */
function inKeyOrder(db: Database, entity: EntityClass, list: ObjectLiteral[]): ObjectLiteral[] {
  const primary = db.dataSource.getMetadata(entity).primaryColumns;
  if (primary.length !== 1 || primary[0].isGenerated) return list;
  const key = primary[0].propertyName;
  if (typeof list[0][key] !== "string") return list;
  return list.slice().sort((a, b) => (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0));
}

async function insertAll(manager: EntityManager, plan: InsertPlan, list: ObjectLiteral[], perStatement: number): Promise<void> {
  const { properties } = plan;
  const width = properties.length;
  let fullStatement: string | undefined;
  for (let start = 0; start < list.length; start += perStatement) {
    const end = Math.min(list.length, start + perStatement);
    const count = end - start;
    const parameters: unknown[] = new Array(count * width);
    let k = 0;
    for (let i = start; i < end; i++) {
      const row = list[i];
      for (let j = 0; j < width; j++) {
        const value = row[properties[j]];
        // Booleans as 1/0 (better-sqlite3 binds no booleans; MySQL stores them as tinyint anyway).
        parameters[k++] = value === undefined ? null : value === true ? 1 : value === false ? 0 : value;
      }
    }
    const sql =
      count === perStatement
        ? (fullStatement ??= plan.prefix + new Array(count).fill(plan.tuple).join(", "))
        : plan.prefix + new Array(count).fill(plan.tuple).join(", ");
    await manager.query(sql, parameters);
  }
}

/**
 * Guards against the model and the entity drifting apart: every property of the row must be a column, and
 * every column the database cannot fill itself must be present.
 */
function checkRowShape(db: Database, entity: EntityClass, row: ObjectLiteral, label: string): void {
  const metadata = db.dataSource.getMetadata(entity);
  const byProperty = new Map(metadata.columns.map((c) => [c.propertyName, c]));
  const keys = Object.keys(row);
  const unknown = keys.filter((k) => !byProperty.has(k));
  const missing = metadata.columns
    .filter((c) => !c.isVersion && !c.isCreateDate && !c.isUpdateDate && !c.isGenerated && c.default === undefined && !c.isNullable)
    .map((c) => c.propertyName)
    .filter((p) => !keys.includes(p));
  if (unknown.length > 0 || missing.length > 0) {
    throw new Error(
      `${label}: the synthetic rows do not match the entity ${metadata.name}` +
        (unknown.length ? `; not columns: ${unknown.join(", ")}` : "") +
        (missing.length ? `; required columns missing: ${missing.join(", ")}` : ""),
    );
  }
}
