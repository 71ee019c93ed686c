#!/usr/bin/env node
// Sends each operation of bench/report-operations/*.graphql (or those named on the command line) RUNS times to a
// running gateway with a population clerk's token and prints the median and the spread. Start the platform first
// (e.g. over the bench_* databases); GATEWAY (default http://127.0.0.1:4000/graphql) and TOKEN are read from the
// environment: TOKEN=$(npm run --silent token -- --dept population --region 522328) node bench/measure-reports.mjs
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";

const dir = new URL("./report-operations/", import.meta.url).pathname;
const gateway = process.env.GATEWAY ?? "http://127.0.0.1:4000/graphql";
const token = process.env.TOKEN;
const runs = Number(process.env.RUNS ?? 7);
if (!token) throw new Error("set TOKEN (npm run --silent token -- --dept population --region 522328)");
const names = process.argv.slice(2);
const files = readdirSync(dir).filter((f) => f.endsWith(".graphql") && (names.length === 0 || names.includes(basename(f, ".graphql"))));

for (const file of files.sort()) {
  const query = readFileSync(join(dir, file), "utf8");
  const times = [];
  let size = 0;
  for (let i = 0; i < runs + 1; i++) {
    const started = process.hrtime.bigint();
    const response = await fetch(gateway, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "x-purpose": "benchmark" },
      body: JSON.stringify({ query }),
    });
    const body = await response.json();
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (body.errors) throw new Error(`${file}: ${JSON.stringify(body.errors).slice(0, 300)}`);
    if (i > 0) times.push(ms); // the first run warms caches and connections
    const data = Object.values(body.data)[0];
    size = Array.isArray(data) ? data.length : Array.isArray(data?.followUps) ? data.followUps.length : 1;
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(`${basename(file, ".graphql").padEnd(40)} median ${median.toFixed(0).padStart(6)} ms  min ${times[0].toFixed(0).padStart(6)}  max ${times[times.length - 1].toFixed(0).padStart(6)}  rows ${size}`);
}
