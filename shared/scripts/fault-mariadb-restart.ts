/**
 * `npm run fault:mariadb`: restarts the machine's MariaDB under load and measures what a client sees.
 * Starts a civil-affairs subgraph (a real process) on a fresh database, sends it a steady stream of queries,
 * stops MariaDB (`mysqladmin shutdown`), keeps the load on for OUTAGE_MS, starts MariaDB again
 * (`start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd`, as .ci/run does) and
 * measures the time from MariaDB answering again to full service (FULL_SERVICE_RUN consecutive successes).
 *
 * It stops the server every other client of the machine uses too: not part of `npm test`. Prints one JSON
 * object and exits non-zero when a criterion fails: an error coded other than DATABASE_UNAVAILABLE, a
 * request unanswered within REQUEST_BOUND_MS, the subgraph process dying, or full service later than 10 s.
 *
 * MariaDB's buffer pool size, when it was set at run time (SET GLOBAL, lost at a restart), is set back once
 * the measurement is over, so that a benchmark run afterwards meets the server as it was.
 *
 * Options (environment): MYSQL_URL (mysql://root@127.0.0.1:3306), OUTAGE_MS (4000), MARIADB_BIN (/usr/sbin/mariadbd).
 */
import "reflect-metadata";
import { execFile, spawn } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { DataSource } from "typeorm";
import { IDENTITY_HEADER, signIdentity } from "../src/auth/identity-header";
import type { Caller } from "../src/auth/caller";
import { ensureMysqlDatabase } from "../src/database";
import { repositoryRoot } from "../src/paths";

const run = promisify(execFile);
const ROOT = repositoryRoot();
const SERVER_URL = (process.env.MYSQL_URL ?? "mysql://root@127.0.0.1:3306").replace(/\/$/, "");
const OUTAGE_MS = Number(process.env.OUTAGE_MS ?? 4000);
const MARIADB_BIN = process.env.MARIADB_BIN ?? "/usr/sbin/mariadbd";
const REQUEST_BOUND_MS = 15_000;
const FULL_SERVICE_RUN = 40;
const FULL_SERVICE_LIMIT_MS = 10_000;
const SIGNING_SECRET = "fault-script-identity-signing-secret";
const CALLER: Caller = { sub: "fault-script", dept: "civil_affairs", scopes: [], region: "", purpose: "fault drill", requestId: "fault-script" };
const QUERY = `{ region(code: "522328") { name } }`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const server = new URL(SERVER_URL);
const adminArgs = ["--host", server.hostname, "--port", server.port || "3306", "--user", decodeURIComponent(server.username || "root")];

async function mariadbAnswers(): Promise<boolean> {
  try {
    await run("mysqladmin", [...adminArgs, "--connect-timeout=1", "ping"], { timeout: 3000 });
    return true;
  } catch {
    return false;
  }
}

/** Runs one statement on the server (no database) and returns its rows. */
async function serverQuery<Row>(sql: string): Promise<Row[]> {
  const admin = new DataSource({ type: "mysql", url: SERVER_URL });
  await admin.initialize();
  try {
    return (await admin.query(sql)) as Row[];
  } finally {
    await admin.destroy();
  }
}

const bufferPoolBytes = async () => Number((await serverQuery<{ size: string }>("SELECT @@GLOBAL.innodb_buffer_pool_size AS size"))[0].size);

async function startMariadb(): Promise<void> {
  await run("start-stop-daemon", ["--start", "--oknodo", "--background", "--exec", MARIADB_BIN], { timeout: 10_000 });
}

type Sample = { at: number; outcome: string; ms: number };

async function ask(url: string): Promise<string> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", [IDENTITY_HEADER]: signIdentity(CALLER, SIGNING_SECRET) },
      body: JSON.stringify({ query: QUERY }),
      signal: AbortSignal.timeout(REQUEST_BOUND_MS),
    });
    const body = (await response.json()) as { data?: { region?: { name?: string } | null }; errors?: { extensions?: { code?: string } }[] };
    if (!body.errors && body.data?.region?.name) return "ok";
    return body.errors?.map((e) => String(e.extensions?.code)).join("+") ?? `status ${response.status}`;
  } catch (error) {
    return (error as Error).name === "TimeoutError" ? "unanswered" : "connection failed";
  }
}

async function main() {
  const database = `pis_fault_drill_${Date.now().toString(36)}`;
  const databaseUrl = `${SERVER_URL}/${database}`;
  if (!(await mariadbAnswers())) throw new Error(`MariaDB at ${server.host} does not answer: start it first`);
  await ensureMysqlDatabase(databaseUrl);

  const child = spawn(process.execPath, [join(ROOT, "dist/subgraphs/civil-affairs/src/index.js")], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "test", CIVIL_AFFAIRS_DATABASE_URL: databaseUrl, CIVIL_AFFAIRS_PORT: "0", IDENTITY_SIGNING_SECRET: SIGNING_SECRET },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let exitCode: number | string | null = null;
  child.on("exit", (code, signal) => (exitCode = code ?? signal));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the subgraph did not start:\n${output}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /ready at (http:\/\/\S+\/graphql)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
  });
  const readyUrl = url.replace(/\/graphql$/, "/ready");

  const t0 = Date.now();
  const samples: Sample[] = [];
  const readiness: { at: number; status: number }[] = [];
  let running = true;
  const workers = Array.from({ length: 4 }, async () => {
    while (running) {
      const started = Date.now();
      const outcome = await ask(url);
      samples.push({ at: started - t0, outcome, ms: Date.now() - started });
      if (outcome !== "ok") await sleep(20);
    }
  });
  const readinessProbe = (async () => {
    while (running) {
      const status = await fetch(readyUrl, { signal: AbortSignal.timeout(5000) }).then((r) => r.status, () => 0);
      readiness.push({ at: Date.now() - t0, status });
      await sleep(250);
    }
  })();

  const bufferPoolBefore = await bufferPoolBytes();
  let stoppedAt = 0;
  let startedAt = 0;
  let answersAt = 0;
  try {
    await sleep(3000);
    stoppedAt = Date.now() - t0;
    await run("mysqladmin", [...adminArgs, "shutdown"], { timeout: 30_000 });
    await sleep(OUTAGE_MS);
  } finally {
    // Whatever happened, MariaDB is started again: other clients of this machine need it.
    startedAt = Date.now() - t0;
    await startMariadb();
    const deadline = Date.now() + 60_000;
    while (!(await mariadbAnswers()) && Date.now() < deadline) await sleep(100);
    answersAt = Date.now() - t0;
  }
  // Full service: the first moment from which FULL_SERVICE_RUN consecutive requests (by start time) succeed.
  const fullDeadline = Date.now() + 30_000;
  const fullAt = () => {
    const after = samples.filter((s) => s.at >= answersAt).sort((a, b) => a.at - b.at);
    for (let i = 0; i + FULL_SERVICE_RUN <= after.length; i++) {
      if (after.slice(i, i + FULL_SERVICE_RUN).every((s) => s.outcome === "ok")) return after[i].at;
    }
    return undefined;
  };
  while (fullAt() === undefined && Date.now() < fullDeadline) await sleep(100);
  await sleep(500);
  running = false;
  await Promise.all([...workers, readinessProbe]);
  const full = fullAt();
  const bufferPoolAfterRestart = await bufferPoolBytes();
  if (bufferPoolAfterRestart !== bufferPoolBefore) await serverQuery(`SET GLOBAL innodb_buffer_pool_size = ${bufferPoolBefore}`);

  const outage = samples.filter((s) => s.at >= stoppedAt && s.at < answersAt);
  const count = (list: Sample[]) => list.reduce<Record<string, number>>((acc, s) => ({ ...acc, [s.outcome]: (acc[s.outcome] ?? 0) + 1 }), {});
  const stillUp = exitCode === null;
  const report = {
    database,
    outageMs: OUTAGE_MS,
    timeline: { mariadbStoppedAt: stoppedAt, mariadbStartCommandAt: startedAt, mariadbAnswersAt: answersAt, fullServiceAt: full ?? null },
    fullServiceAfterMariadbAnswersMs: full === undefined ? null : Math.max(0, full - answersAt),
    requests: samples.length,
    duringOutage: count(outage),
    slowestDuringOutageMs: Math.max(0, ...outage.map((s) => s.ms)),
    overall: count(samples),
    readyDuringOutage: [...new Set(readiness.filter((r) => r.at > stoppedAt + 500 && r.at < startedAt).map((r) => r.status))],
    bufferPoolMiB: { before: bufferPoolBefore / 2 ** 20, afterRestart: bufferPoolAfterRestart / 2 ** 20, setBack: bufferPoolAfterRestart !== bufferPoolBefore },
    subgraphStillRunning: stillUp,
    unhandledInLog: /Unhandled|uncaught/i.test(output),
  };
  console.log(JSON.stringify(report, null, 2));

  child.kill("SIGTERM");
  await new Promise((resolve) => (exitCode !== null ? resolve(null) : child.once("exit", resolve)));
  await serverQuery(`DROP DATABASE IF EXISTS \`${database}\``);

  const badCodes = Object.keys(report.overall).filter((k) => k !== "ok" && k !== "DATABASE_UNAVAILABLE");
  const failures = [
    ...(badCodes.length ? [`outcomes other than ok and DATABASE_UNAVAILABLE: ${badCodes.join(", ")}`] : []),
    ...(!outage.some((s) => s.outcome === "DATABASE_UNAVAILABLE") ? ["no DATABASE_UNAVAILABLE observed during the outage"] : []),
    ...(!stillUp ? ["the subgraph process died"] : []),
    ...(report.unhandledInLog ? ["an unhandled error was logged"] : []),
    ...(report.fullServiceAfterMariadbAnswersMs === null || report.fullServiceAfterMariadbAnswersMs > FULL_SERVICE_LIMIT_MS
      ? [`full service not within ${FULL_SERVICE_LIMIT_MS / 1000} s of MariaDB's return`]
      : []),
  ];
  if (failures.length) {
    console.error(`FAILED: ${failures.join("; ")}`);
    process.exit(1);
  }
  console.log("OK: DATABASE_UNAVAILABLE during the outage, no hang, process up, full service within 10 s");
  process.exit(0);
}

main().catch(async (error) => {
  console.error("[fault:mariadb] failed:", error instanceof Error ? error.message : error);
  if (!(await mariadbAnswers())) await startMariadb().catch(() => undefined);
  process.exit(1);
});
