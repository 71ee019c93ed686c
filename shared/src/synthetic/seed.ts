/**
 * Seeding = generating the synthetic county and writing it into the four departments' databases. Used by
 * `npm start` (the small demo county below, on first start) and by `npm run seed` (any size).
 */
import type { DepartmentName } from "../config";
import { DEPARTMENTS } from "../config";
import { ensureMysqlDatabase, parseDatabaseUrl } from "../database";
import type { AnomalyManifest } from "./anomalies";
import { type County, type GenerateCountyOptions, generateCounty, resolveCountyOptions, type ResolvedCountyOptions } from "./county";
import { assertCountyDatabasesEmpty, type DepartmentWriteReport, type WriteCountyOptions, writeCounty } from "./write";

export interface ExampleVariables {
  /** A married woman of the demo county with births since 2015 (so Person.birthsGiven etc. show something). */
  idNumber: string;
  /** Her town (9 digits). */
  regionCode: string;
  /** The county. */
  code: string;
  bornFrom: string;
  bornTo: string;
}

const DEMO_OPTIONS = { countyCode: "522328", people: 3000, seed: 7 } as const;
let demoVariables: ExampleVariables | undefined;

/**
 * The county `npm start` seeds. `exampleVariables` (the playground's example operations use idNumber,
 * regionCode, code, bornFrom, bornTo) are computed from the generated county on first use.
 */
export const DEMO_COUNTY = {
  ...DEMO_OPTIONS,
  get exampleVariables(): ExampleVariables {
    return (demoVariables ??= exampleVariablesFor(generateCounty(DEMO_OPTIONS), "2015-01-01", "2025-12-31"));
  },
};

/**
 * Example variables for a county: the first (by ID number) married, living woman with at least two birth
 * certificates, one of them dated within [bornFrom, bornTo], and her town. Independent of PERSON_KEY_SECRET.
 */
export function exampleVariablesFor(county: County, bornFrom: string, bornTo: string): ExampleVariables {
  const ps = county.tables["public-security"];
  const people = new Map(ps.person.map((p) => [p.idNumber, p]));
  const divorced = new Set(county.tables["civil-affairs"].marriageRecord.filter((m) => m.kind === "DIVORCE").map((m) => m.wifeIdNumber));
  const married = new Set(county.tables["civil-affairs"].marriageRecord.filter((m) => m.kind === "MARRIAGE").map((m) => m.wifeIdNumber));
  const certificates = new Map<string, { total: number; inRange: number }>();
  for (const c of county.tables.health.birthCertificate) {
    const entry = certificates.get(c.motherIdNumber) ?? { total: 0, inRange: 0 };
    entry.total++;
    if (c.birthDate >= bornFrom && c.birthDate <= bornTo) entry.inRange++;
    certificates.set(c.motherIdNumber, entry);
  }
  const candidates = [...certificates.entries()]
    .filter(([idNumber, n]) => {
      const person = people.get(idNumber);
      return n.total >= 2 && n.inRange >= 1 && person?.status === "ACTIVE" && married.has(idNumber) && !divorced.has(idNumber);
    })
    .map(([idNumber]) => idNumber)
    .sort();
  if (candidates.length === 0) throw new Error(`county ${county.options.countyCode} has no married woman with births in ${bornFrom}..${bornTo}`);
  const woman = people.get(candidates[0])!;
  return { idNumber: woman.idNumber, regionCode: woman.hukouRegionCode.slice(0, 9), code: county.options.countyCode, bornFrom, bornTo };
}

export interface SeedSummary {
  options: ResolvedCountyOptions;
  countyName: string;
  /** Rows per department and table. */
  rows: Record<DepartmentName, Record<string, number>>;
  /** Inflow persons from other counties (in population's and health's records only). */
  nonResidents: number;
  generateMilliseconds: number;
  departments: DepartmentWriteReport[];
  /** The injected anomalies (every kind empty when anomalyRate is 0). */
  manifest: AnomalyManifest;
}

export interface SeedCountyOptions extends WriteCountyOptions {
  /** Called once the county is generated, before anything is written. */
  onGenerated?(county: County, milliseconds: number): void;
}

/** Generates the county and writes it; creates MySQL databases that do not exist yet; refuses databases holding data. */
export async function seedCounty(
  options: GenerateCountyOptions,
  urls: Record<DepartmentName, string>,
  writeOptions: SeedCountyOptions = {},
): Promise<SeedSummary> {
  const resolved = resolveCountyOptions({
    countyCode: options.countyCode,
    people: options.people,
    seed: options.seed,
    sexRatioAtBirth: options.sexRatioAtBirth,
    today: options.today,
    outflowShare: options.outflowShare,
    inflowShare: options.inflowShare,
    anomalyRate: options.anomalyRate,
    hukouHistory: options.hukouHistory,
  });
  for (const department of DEPARTMENTS) {
    if (parseDatabaseUrl(urls[department]).dialect === "mysql") await ensureMysqlDatabase(urls[department]);
  }
  // Refuse before generating (a large county takes seconds); writeCounty checks again before writing.
  await assertCountyDatabasesEmpty(urls);
  const started = process.hrtime.bigint();
  const county = generateCounty(resolved);
  const generateMilliseconds = Number(process.hrtime.bigint() - started) / 1e6;
  writeOptions.onGenerated?.(county, generateMilliseconds);
  const departments = await writeCounty(county, urls, writeOptions);
  const rows = Object.fromEntries(
    DEPARTMENTS.map((d) => [d, Object.fromEntries(Object.entries(county.tables[d]).map(([table, list]) => [table, (list as unknown[]).length]))]),
  ) as Record<DepartmentName, Record<string, number>>;
  return {
    options: resolved,
    countyName: county.countyName,
    rows,
    nonResidents: county.nonResidents.length,
    generateMilliseconds,
    departments,
    manifest: county.manifest,
  };
}
