/**
 * `npm run seed -- --county 522328 --people 330000 --seed 7 [--anomaly-rate 0.02] [--manifest path.json] [--sex-ratio 112] [--today 2025-12-31]`
 *
 * Generates the deterministic synthetic county and writes it into the four departments' databases named by
 * <NAME>_DATABASE_URL (default: SQLite files under data/). Refuses databases that already hold a county.
 * With --anomaly-rate, the county carries anomalies of every kind the reports look for (anomalies.ts), and
 * the ground-truth manifest (per kind, the affected records' keys) is written as JSON beside the data.
 */
import "reflect-metadata";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { DEPARTMENTS, type DepartmentName, databaseUrlFor } from "../src/config";
import { parseDatabaseUrl, redactUrl } from "../src/database";
import { findRegion, seedCounties } from "../src/regions";
import { DEFAULT_SEX_RATIO, DEFAULT_TODAY } from "../src/synthetic/county";
import { seedCounty } from "../src/synthetic/seed";

const USAGE = `usage: node dist/shared/scripts/seed.js --county <code> --people <n> --seed <n> [--anomaly-rate <0..0.2>] [--manifest <file>]
                                     [--hukou-history] [--sex-ratio <m per 100 f>] [--today YYYY-MM-DD]
  --county        six-digit county code from the division extract: ${seedCounties().join(", ")}
  --people        persons in the hukou register (1 to 5,000,000)
  --seed          whole number; the same arguments always give the same county
  --anomaly-rate  share of each anomaly kind's population made anomalous (default 0: none), e.g. 0.02
  --manifest      where to write the anomaly manifest (JSON); default manifest-<county>-<seed>.json beside the first
                  department's SQLite file, or under data/ (DATA_DIR) for MySQL
  --hukou-history also write each person's hukou history (public-security's hukou_event); default: none
  --sex-ratio     male births per 100 female births (default ${DEFAULT_SEX_RATIO})
  --today         the county's "now" (default ${DEFAULT_TODAY})
Databases: ${DEPARTMENTS.map((d) => `${d.toUpperCase().replace(/-/g, "_")}_DATABASE_URL`).join(", ")} (mysql://... or sqlite:path; default sqlite:data/<name>.sqlite)`;

class UsageError extends Error {}

interface Arguments {
  county: string;
  people: number;
  seed: number;
  sexRatio: number;
  today: string;
  anomalyRate: number;
  manifest: string | null;
  hukouHistory: boolean;
}

function parseArguments(argv: string[]): Arguments {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") throw new UsageError("");
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
    const [, name, inline] = m;
    if (name === "hukou-history") {
      if (inline !== undefined) throw new UsageError("--hukou-history takes no value");
      if (values.has(name)) throw new UsageError(`--${name} given twice`);
      values.set(name, "true");
      continue;
    }
    if (!["county", "people", "seed", "sex-ratio", "today", "anomaly-rate", "manifest"].includes(name)) throw new UsageError(`unknown option --${name}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith("--")) throw new UsageError(`--${name} needs a value`);
    if (values.has(name)) throw new UsageError(`--${name} given twice`);
    values.set(name, value);
  }
  for (const required of ["county", "people", "seed"]) {
    if (!values.has(required)) throw new UsageError(`--${required} is required`);
  }
  const county = values.get("county")!.trim();
  if (!seedCounties().includes(county)) {
    const known = seedCounties().map((c) => `${c} ${findRegion(c)?.name ?? ""}`.trim());
    const found = findRegion(county);
    const what = found ? `${county} (${found.name}, a ${found.level.toLowerCase()})` : county;
    throw new UsageError(`--county ${what} is not one of the extract's counties: ${known.join(", ")}`);
  }
  const people = wholeNumber("people", values.get("people")!);
  if (people < 1 || people > 5_000_000) throw new UsageError(`--people must be from 1 to 5,000,000, got ${people}`);
  const seed = wholeNumber("seed", values.get("seed")!);
  const sexRatio = values.has("sex-ratio") ? Number(values.get("sex-ratio")) : DEFAULT_SEX_RATIO;
  if (!Number.isFinite(sexRatio) || sexRatio < 50 || sexRatio > 200) {
    throw new UsageError(`--sex-ratio must be a number from 50 to 200 (male births per 100 female births), got ${values.get("sex-ratio")}`);
  }
  const today = values.get("today") ?? DEFAULT_TODAY;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new UsageError(`--today must be a date YYYY-MM-DD, got ${today}`);
  const rawRate = values.get("anomaly-rate");
  const anomalyRate = rawRate === undefined ? 0 : /^\s*\d*\.?\d+(e-?\d+)?\s*$/i.test(rawRate) ? Number(rawRate) : NaN;
  if (!Number.isFinite(anomalyRate) || anomalyRate < 0 || anomalyRate > 0.2) {
    throw new UsageError(`--anomaly-rate must be a number from 0 to 0.2 (the share of each anomaly kind's population), got ${rawRate}`);
  }
  const manifest = values.get("manifest")?.trim() || null;
  return { county, people, seed, sexRatio, today, anomalyRate, manifest, hukouHistory: values.has("hukou-history") };
}

function wholeNumber(name: string, raw: string): number {
  if (!/^-?\d+$/.test(raw.trim())) throw new UsageError(`--${name} must be a whole number, got ${JSON.stringify(raw)}`);
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new UsageError(`--${name} is out of range: ${raw}`);
  return n;
}

/** --manifest, else beside the first department's SQLite file, else under DATA_DIR (default data/). */
function manifestPath(args: Arguments, urls: Record<DepartmentName, string>): string {
  if (args.manifest) return args.manifest;
  const name = `manifest-${args.county}-${args.seed}.json`;
  const first = parseDatabaseUrl(urls[DEPARTMENTS[0]]);
  if (first.dialect === "sqlite" && first.path !== ":memory:") return join(dirname(first.path), name);
  return join(process.env.DATA_DIR ?? "data", name);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

async function main(): Promise<void> {
  let args: Arguments;
  try {
    args = parseArguments(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      if (error.message) console.error(`seed: ${error.message}\n`);
      console.error(USAGE);
      process.exit(error.message ? 2 : 0);
    }
    throw error;
  }

  const urls = Object.fromEntries(DEPARTMENTS.map((d) => [d, databaseUrlFor(d)])) as Record<DepartmentName, string>;
  const manifestFile = manifestPath(args, urls);
  console.log(
    `Seeding ${args.county} ${findRegion(args.county)?.name ?? ""}: ${args.people.toLocaleString("en")} people, seed ${args.seed}, ` +
      `sex ratio at birth ${args.sexRatio}, today ${args.today}, anomaly rate ${args.anomalyRate}${args.hukouHistory ? ", with hukou history" : ""}`,
  );
  for (const d of DEPARTMENTS) console.log(`  ${d.padEnd(16)} ${redactUrl(urls[d])}`);

  const started = Date.now();
  const summary = await seedCounty(
    { countyCode: args.county, people: args.people, seed: args.seed, sexRatioAtBirth: args.sexRatio, today: args.today, anomalyRate: args.anomalyRate, hukouHistory: args.hukouHistory },
    urls,
    {
      onGenerated(county, ms) {
        console.log(`Generated in ${seconds(ms)}: ${county.tables["public-security"].household.length.toLocaleString("en")} households; ${county.nonResidents.length.toLocaleString("en")} inflow persons from other counties (population and health records only).`);
      },
      onDepartmentWritten(report) {
        const rows = Object.entries(report.rows)
          .map(([table, n]) => `${table} ${n.toLocaleString("en")}`)
          .join(", ");
        console.log(`  ${report.department.padEnd(16)} ${seconds(report.milliseconds).padStart(8)}  ${rows}`);
      },
    },
  );
  mkdirSync(dirname(manifestFile) || ".", { recursive: true });
  writeFileSync(manifestFile, JSON.stringify(summary.manifest, null, 2) + "\n");
  const kinds = Object.entries(summary.manifest.kinds).map(([kind, entry]) => `${kind} ${entry.ids.length.toLocaleString("en")}`);
  console.log(`Anomaly manifest ${manifestFile}: ${kinds.join(", ")}`);
  const written = summary.departments.reduce((s, d) => s + d.milliseconds, 0);
  console.log(`Done in ${seconds(Date.now() - started)} (generating ${seconds(summary.generateMilliseconds)}, inserting ${seconds(written)}).`);
}

main().catch((error) => {
  console.error(`seed failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
