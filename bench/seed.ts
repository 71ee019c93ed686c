/**
 * `npm run bench:seed [-- --people 330000 --targets mysql,sqlite]`: times `seed.js` writing the synthetic
 * county (issue 3: 330,000 people, seed 7, anomaly rate 0.02, within 3 minutes each) into fresh MariaDB
 * databases bench_seed_* that it creates and drops, and into SQLite files in a temporary folder it removes.
 * It never touches the bench_* databases the HTTP benchmark reads.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createConnection } from "mysql2/promise";
import { DEPARTMENTS, envPrefix } from "../shared/src/config";
import { DIST, machine, parseOptions, round, sampleRss, startNode, writeResults } from "./lib";

const OPTIONS = {
  people: "people in the county (default 330000)",
  county: "county code (default 522328)",
  seed: "generator seed (default 7)",
  "anomaly-rate": "anomaly rate (default 0.02)",
  targets: "comma-separated: mysql,sqlite (default both)",
  mysql: "MariaDB server URL (default mysql://root@127.0.0.1:3306)",
  "target-seconds": "the target per target (default 180)",
};

interface SeedTiming {
  target: "mysql" | "sqlite";
  wallSeconds: number;
  peakRssMiB: number;
  exitCode: number | null;
  withinTarget: boolean;
  output: string;
}

async function timeSeed(target: "mysql" | "sqlite", args: string[], urls: Record<string, string>, targetSeconds: number): Promise<SeedTiming> {
  const env: NodeJS.ProcessEnv = {};
  for (const d of DEPARTMENTS) env[`${envPrefix(d)}_DATABASE_URL`] = urls[d];
  console.log(`[bench:seed] ${target}: node dist/shared/scripts/seed.js ${args.join(" ")}`);
  const started = process.hrtime.bigint();
  const child = startNode(`seed ${target}`, join(DIST, "shared", "scripts", "seed.js"), env, { echo: true, args });
  const stopSampling = sampleRss(child.process.pid!, 500);
  const exitCode = await new Promise<number | null>((resolve) => child.process.once("exit", (code) => resolve(code)));
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { maxMiB } = stopSampling();
  console.log(`[bench:seed] ${target}: ${wallSeconds.toFixed(1)} s wall, peak RSS ${maxMiB} MiB, exit ${exitCode}`);
  return { target, wallSeconds: round(wallSeconds, 1), peakRssMiB: maxMiB, exitCode, withinTarget: exitCode === 0 && wallSeconds <= targetSeconds, output: child.output().slice(-1500) };
}

async function main() {
  const options = parseOptions(process.argv.slice(2), OPTIONS);
  const people = options.get("people") ?? "330000";
  const county = options.get("county") ?? "522328";
  const seed = options.get("seed") ?? "7";
  const anomalyRate = options.get("anomaly-rate") ?? "0.02";
  const targets = (options.get("targets") ?? "mysql,sqlite").split(",").map((t) => t.trim()) as ("mysql" | "sqlite")[];
  const server = (options.get("mysql") ?? process.env.BENCH_MYSQL_URL ?? "mysql://root@127.0.0.1:3306").replace(/\/+$/, "");
  const targetSeconds = Number(options.get("target-seconds") ?? 180);
  const folder = mkdtempSync(join(tmpdir(), "bench-seed-"));
  const baseArgs = ["--county", county, "--people", people, "--seed", seed, "--anomaly-rate", anomalyRate];
  const timings: SeedTiming[] = [];
  try {
    for (const target of targets) {
      if (target === "mysql") {
        // Fresh databases with a per-run suffix, so that two runs (or a crashed one) never collide.
        const suffix = `${process.pid}`;
        const names = Object.fromEntries(DEPARTMENTS.map((d) => [d, `bench_seed_${suffix}_${d.replace(/-/g, "_")}`]));
        const admin = await createConnection(server);
        try {
          for (const name of Object.values(names)) await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
          const urls = Object.fromEntries(DEPARTMENTS.map((d) => [d, `${server}/${names[d]}`]));
          timings.push(await timeSeed("mysql", [...baseArgs, "--manifest", join(folder, "manifest-mysql.json")], urls, targetSeconds));
        } finally {
          for (const name of Object.values(names)) await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
          await admin.end();
        }
      } else if (target === "sqlite") {
        const urls = Object.fromEntries(DEPARTMENTS.map((d) => [d, `sqlite:${join(folder, `${d}.sqlite`)}`]));
        timings.push(await timeSeed("sqlite", [...baseArgs, "--manifest", join(folder, "manifest-sqlite.json")], urls, targetSeconds));
      } else {
        throw new Error(`unknown target ${target} (mysql or sqlite)`);
      }
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  const file = writeResults("seed", {
    kind: "seed",
    date: new Date().toISOString(),
    machine: machine(),
    command: `npm run bench:seed -- ${process.argv.slice(2).join(" ")}`.trim(),
    arguments: baseArgs.join(" "),
    targetSeconds,
    timings,
  });
  console.log(`\n| target | wall (s) | peak RSS (MiB) | within ${targetSeconds} s |\n|---|---|---|---|`);
  for (const t of timings) console.log(`| ${t.target} | ${t.wallSeconds} | ${t.peakRssMiB} | ${t.withinTarget ? "yes" : "no"} |`);
  console.log(`results: ${file}`);
  if (timings.some((t) => t.exitCode !== 0)) process.exit(1);
}

main().catch((error) => {
  console.error(`[bench:seed] failed: ${error instanceof Error ? error.stack : error}`);
  process.exit(1);
});
