/**
 * `npm run bench [-- --duration 10 --connections 10,32 --workloads lookup,profile50,list10,list1000,report]`
 *
 * Starts the four subgraphs (bench/subgraph-process.ts) over the 330,000-person MariaDB county
 * (bench_population, bench_public_security, bench_civil_affairs, bench_health: read only, apart from the
 * access-log rows every read appends) or, with `--dialect sqlite`, over a smaller county it seeds into a
 * temporary folder; then our gateway and a plain @apollo/gateway (bench/plain-gateway.ts) in front of the same
 * subgraphs, and drives each workload through each with autocannon on 127.0.0.1. The four-department profile
 * is also read by direct SQL in this process (bench/direct-sql.ts): the physical limit.
 *
 * Per workload and gateway: requests/s, p50/p99 latency, errors (non-2xx and GraphQL errors), the gateway's
 * RSS (sampled from /proc/<pid>/status), and SQL statements per request (counted by the subgraphs'
 * instrumented driver, and MariaDB's server-wide Questions/Com_select deltas, which include other clients).
 * Results: bench/results/<date>-http.json; the table for docs/performance.md is printed at the end.
 */
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { defaultScopes } from "../shared/src/auth/grants";
import type { Caller } from "../shared/src/auth/caller";
import { IDENTITY_HEADER, signIdentity } from "../shared/src/auth/identity-header";
import { issueAccessToken } from "../shared/src/auth/tokens";
import { DEPARTMENTS, envPrefix, type DepartmentName } from "../shared/src/config";
import { GATEWAY_NODE_FLAGS } from "../gateway/src/node-flags";
import { readCommittedSupergraph } from "../gateway/src/supergraph";
import { directProfileBenchmark, type DirectResult } from "./direct-sql";
import { ensureHiveInstalled } from "./hive";
import { describeProfileStages, measureProfileStages, type ProfileStages } from "./profile-stages";
import { DIST, ROOT, cpuMs, databaseServerPid, machine, median, mysqlCounters, mysqlServerFacts, parseOptions, round, sampleRss, startNode, waitForHealth, writeResults, type Child } from "./lib";
import { PEOPLE_FOUR_DEPARTMENTS, PEOPLE_IDS, PERSON_LOOKUP, REPORT_VARIABLE_DEFAULTS } from "./workloads";

const OPTIONS = {
  dialect: "mysql (default: the bench_* county) or sqlite (a fresh county in a temp folder)",
  people: "with --dialect sqlite: people to seed (default 20000)",
  mysql: "MariaDB server URL (default mysql://root@127.0.0.1:3306)",
  databases: "prefix of the four MariaDB databases (default bench_)",
  duration: "seconds measured per workload and gateway (default 10)",
  warmup: "seconds of discarded warm-up before each measurement (default 2)",
  connections:
    "concurrent connections, one level or several separated by commas (default 10,32: 10 as a county office's clerks, 32 to saturate the cores); every level is measured; list1000 uses at most 4 and the report at most 2",
  workloads: "comma-separated: lookup,profile50,list10,list1000,report (default all)",
  gateways: "comma-separated: ours,plain,hive,hive-nodedup (default ours,plain; hive: Hive Gateway, installed into a cache folder on first use, with its in-flight deduplication on; hive-nodedup: the same with it off)",
  direct: "read the profile by direct SQL too: yes/no (default yes on MySQL)",
  report: "an operation file to use as the report (default the first under bench/report-operations/)",
  name: "results file name suffix (default http)",
  "subgraph-timeout": "our gateway's SUBGRAPH_TIMEOUT_MS (default 30000: the plain gateway has none, and a loaded 2-core machine passes the 5 s default)",
  "log-sql": "print the SQL of one profile request and exit",
  "cpu-prof": "write a V8 CPU profile of every subgraph and of our gateway into this folder (node --cpu-prof)",
  rounds: "rounds per workload, the gateways alternating (ours, plain, then plain, ours, ...) so that drift in the machine hits both alike; figures combine the rounds (default 1)",
  "gateway-node-options": "NODE_OPTIONS for our gateway's process only (default its GATEWAY_NODE_FLAGS, as deployed; \"\" for none)",
  "subgraph-node-options": "NODE_OPTIONS for the four subgraph processes (default: inherited, as deployed, V8's own defaults)",
};

/** The workloads, in the order they run. */
const WORKLOAD_NAMES = ["lookup", "profile50", "list10", "list1000", "report"];

/** The Hive Gateway variants --gateways may name. */
const HIVE_GATEWAYS: Record<string, { deduplicate: boolean }> = { hive: { deduplicate: true }, "hive-nodedup": { deduplicate: false } };

const JWT_SECRET = process.env.JWT_SECRET ?? "bench-jwt-secret-at-least-32-bytes-long!!";
const IDENTITY_SIGNING_SECRET = process.env.IDENTITY_SIGNING_SECRET ?? "bench-identity-signing-secret";
const COUNTY = "522328";

interface Request {
  body: string;
  headers: Record<string, string>;
}

interface Workload {
  name: string;
  description: string;
  connections: number;
  /** Slow workloads run longer than --duration so that they complete more than a handful of requests. */
  durationFactor?: number;
  /** A fresh request each time (distinct variables, a freshly signed identity where needed). */
  next(): Request;
}

/** A workload before its concurrency is chosen: --connections may name several levels. */
type WorkloadKind = Omit<Workload, "connections"> & { maxConnections?: number };

/** --connections: one or more levels, lowest first. */
function connectionLevels(value: string): number[] {
  const levels = value.split(",").map((part) => Number(part.trim()));
  if (levels.some((n) => !Number.isInteger(n) || n < 1)) throw new Error("--connections: whole numbers of at least 1, separated by commas");
  return [...new Set(levels)].sort((a, b) => a - b);
}

interface Measurement {
  workload: string;
  gateway: string;
  description: string;
  connections: number;
  durationSeconds: number;
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; mean: number; max: number };
  errors: { non2xx: number; graphql: number; transport: number; timeouts: number; firstError?: string };
  gatewayRssMiB: { max: number; end: number };
  /**
   * CPU time per request (user + system, from /proc) of the gateway, the four subgraphs together and the local
   * MariaDB server, over the measured seconds: what each part costs, which requests/s alone cannot show when
   * they all share two cores. Null where /proc could not be read.
   */
  cpuMsPerRequest: {
    gateway: number | null;
    subgraphs: number | null;
    database: number | null;
    /**
     * Our gateway's CPU while another gateway is measured: the departments' own cross-department calls (the
     * reports' feeds) always go through our gateway (GATEWAY_URL), so this is shared work, not the measured
     * gateway's. Zero for workloads without such calls; null when our gateway is the one measured.
     */
    departmentCallsThroughOurGateway: number | null;
  };
  sqlPerRequest: { sequentialMedianMs: number; counted: number; byDepartment: Record<string, number>; mariadbQuestions: number | null; mariadbComSelect: number | null };
  /**
   * TCP connections the four departments accepted over the measured seconds, per request: near 0 for a
   * gateway that keeps its connections alive, up to the fetches per request for one that opens one per call.
   * Each costs the department (and the gateway) a handshake, a new HTTP parser and a teardown.
   */
  departmentConnectionsPerRequest: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** What a bench subgraph has counted so far: SQL statements sent to its database and TCP connections accepted. */
interface SubgraphCounters {
  statements: number;
  connections: number;
}

/** Asks a bench subgraph for its counters over IPC. */
function subgraphCounters(child: Child): Promise<SubgraphCounters> {
  return new Promise((resolve, reject) => {
    const id = Math.random();
    const timer = setTimeout(() => reject(new Error(`${child.label} did not answer its counters`)), 5000);
    const onMessage = (message: { type?: string; id?: number } & Partial<SubgraphCounters>) => {
      if (message?.type === "counters" && message.id === id) {
        clearTimeout(timer);
        child.process.off("message", onMessage);
        resolve({ statements: message.statements ?? 0, connections: message.connections ?? 0 });
      }
    };
    child.process.on("message", onMessage);
    child.process.send({ type: "counters", id });
  });
}

async function countersOf(subgraphs: Record<DepartmentName, Child>): Promise<Record<DepartmentName, SubgraphCounters>> {
  const out = {} as Record<DepartmentName, SubgraphCounters>;
  for (const d of DEPARTMENTS) out[d] = await subgraphCounters(subgraphs[d]);
  return out;
}

async function statementCounts(subgraphs: Record<DepartmentName, Child>): Promise<Record<DepartmentName, number>> {
  const counters = await countersOf(subgraphs);
  return Object.fromEntries(DEPARTMENTS.map((d) => [d, counters[d].statements])) as Record<DepartmentName, number>;
}

/** TCP connections the four departments have accepted so far, together. */
async function connectionsAccepted(subgraphs: Record<DepartmentName, Child>): Promise<number> {
  const counters = await countersOf(subgraphs);
  return DEPARTMENTS.reduce((sum, d) => sum + counters[d].connections, 0);
}

function serviceIdentity(): Caller {
  // A department's service identity: it may page in thousands (shared/src/pagination.ts), as reports do.
  return { sub: "service:population", dept: "population", scopes: defaultScopes("population"), region: COUNTY, purpose: "benchmark", requestId: randomUUID() };
}

async function post(url: string, request: Request): Promise<any> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...request.headers }, body: request.body });
  const body = (await response.json()) as { data?: any; errors?: unknown[] };
  if (response.status !== 200 || body.errors?.length) throw new Error(`setup query failed (${response.status}): ${JSON.stringify(body.errors ?? body).slice(0, 500)}`);
  return body.data;
}

/** Person ids and page cursors to rotate through, so that workloads do not read one row over and over. */
async function collectKeys(gatewayUrl: string): Promise<{ ids: string[]; cursors50: (string | null)[]; cursors10: (string | null)[]; cursors1000: (string | null)[] }> {
  const ids: string[] = [];
  const cursorsAt: (string | null)[] = [null];
  let after: string | null = null;
  for (let page = 0; page < 4; page++) {
    const data: any = await post(gatewayUrl, {
      body: JSON.stringify({ query: PEOPLE_IDS, variables: { first: 5000, after } }),
      headers: { [IDENTITY_HEADER]: signIdentity(serviceIdentity(), IDENTITY_SIGNING_SECRET) },
    });
    for (const node of data.people.nodes) ids.push(node.id);
    after = data.people.pageInfo.endCursor;
    cursorsAt.push(after);
    if (!data.people.pageInfo.hasNextPage) break;
  }
  // Cursors of pages further apart than the page size are obtained by asking for the id page ending there.
  const cursorsEvery = async (size: number, count: number) => {
    const out: (string | null)[] = [null];
    let cursor: string | null = null;
    for (let i = 1; i < count; i++) {
      const data: any = await post(gatewayUrl, {
        body: JSON.stringify({ query: PEOPLE_IDS, variables: { first: size, after: cursor } }),
        headers: { [IDENTITY_HEADER]: signIdentity(serviceIdentity(), IDENTITY_SIGNING_SECRET) },
      });
      if (!data.people.pageInfo.hasNextPage) break;
      cursor = data.people.pageInfo.endCursor;
      out.push(cursor);
    }
    return out;
  };
  return { ids: ids.slice(0, 2000), cursors50: await cursorsEvery(50, 40), cursors10: await cursorsEvery(10, 40), cursors1000: await cursorsEvery(1000, 10) };
}

function rotate<T>(items: T[]): () => T {
  let i = 0;
  return () => items[i++ % items.length];
}

async function buildWorkloads(gatewayUrl: string, levels: number[], reportFile: string | null): Promise<{ workloads: Workload[]; keys: Awaited<ReturnType<typeof collectKeys>>; notes: string[] }> {
  const notes: string[] = [];
  const keys = await collectKeys(gatewayUrl);
  // Clerks send many requests with one token: 50 clerks' tokens, rotated, so a token cache cannot hold just one.
  const clerkTokens = await Promise.all(
    Array.from({ length: 50 }, (_, i) => issueAccessToken({ sub: `bench-clerk-${i}`, dept: "population", scope: defaultScopes("population").join(" "), region: COUNTY }, JWT_SECRET, "2h")),
  );
  // Analysts too: 50 of them in turn, so that two reports running at once are never one caller's, as in a county
  // office. (A gateway that merges identical in-flight subgraph requests without regard to the caller, Hive
  // Gateway's default, still merges them: bench/hive-gateway.ts.)
  const analystTokens = await Promise.all(
    Array.from({ length: 50 }, (_, i) => issueAccessToken({ sub: `bench-analyst-${i}`, dept: "analyst", scope: defaultScopes("analyst").join(" "), region: COUNTY }, JWT_SECRET, "2h")),
  );
  const analyst = rotate(analystTokens);
  const clerk = rotate(clerkTokens);
  const clerkHeaders = () => ({ authorization: `Bearer ${clerk()}`, "x-purpose": "benchmark" });
  const serviceHeaders = () => ({ [IDENTITY_HEADER]: signIdentity(serviceIdentity(), IDENTITY_SIGNING_SECRET) });
  const id = rotate(keys.ids);
  const page = (cursors: (string | null)[]) => rotate(cursors);
  const p50 = page(keys.cursors50);
  const p10 = page(keys.cursors10);
  const p1000 = page(keys.cursors1000);
  const kinds: WorkloadKind[] = [
    {
      name: "lookup",
      description: "person(id) with public-security fields only (one subgraph fetch), population clerk token",
      next: () => ({ body: JSON.stringify({ query: PERSON_LOOKUP, variables: { id: id() } }), headers: clerkHeaders() }),
    },
    {
      name: "profile50",
      description: "people(first: 50) with fields from all four departments, population clerk token",
      next: () => ({ body: JSON.stringify({ query: PEOPLE_FOUR_DEPARTMENTS, variables: { first: 50, after: p50() } }), headers: clerkHeaders() }),
    },
    {
      name: "list10",
      description: "people(first: 10), all four departments, service identity",
      next: () => ({ body: JSON.stringify({ query: PEOPLE_FOUR_DEPARTMENTS, variables: { first: 10, after: p10() } }), headers: serviceHeaders() }),
    },
    {
      name: "list1000",
      description: "people(first: 1000), all four departments, service identity (one request; clerks are capped at 200)",
      maxConnections: 4,
      durationFactor: 3,
      next: () => ({ body: JSON.stringify({ query: PEOPLE_FOUR_DEPARTMENTS, variables: { first: 1000, after: p1000() } }), headers: serviceHeaders() }),
    },
  ];
  const reportPath = reportFile ?? firstReportOperation();
  if (reportPath) {
    const query = readFileSync(reportPath, "utf8");
    const variablesFile = reportPath.replace(/\.graphql$/, ".variables.json");
    const declared = [...query.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)\s*:/g)].map((m) => m[1]);
    const variables = existsSync(variablesFile)
      ? JSON.parse(readFileSync(variablesFile, "utf8"))
      : Object.fromEntries(declared.filter((v) => v in REPORT_VARIABLE_DEFAULTS).map((v) => [v, REPORT_VARIABLE_DEFAULTS[v]]));
    kinds.push({
      name: "report",
      description: `${reportPath.slice(ROOT.length + 1)} as an analyst, variables ${JSON.stringify(variables)}`,
      maxConnections: 2,
      durationFactor: 3,
      next: () => ({ body: JSON.stringify({ query, variables }), headers: { authorization: `Bearer ${analyst()}`, "x-purpose": "benchmark" } }),
    });
  } else {
    notes.push("report: skipped, no operation file under bench/report-operations/ (the analyst-report work adds them)");
  }
  // One workload per concurrency level, lowest first; a kind capped below a level runs once at its cap.
  const workloads = kinds.flatMap(({ maxConnections, ...kind }) =>
    [...new Set(levels.map((level) => Math.min(level, maxConnections ?? level)))].map((connections) => ({ ...kind, connections })),
  );
  return { workloads, keys, notes };
}

function firstReportOperation(): string | null {
  const dir = join(ROOT, "bench", "report-operations");
  if (!existsSync(dir)) return null;
  const files = readdirSync(dir).filter((f) => f.endsWith(".graphql")).sort();
  return files.length ? join(dir, files[0]) : null;
}

async function runAutocannon(url: string, workload: Workload, durationSeconds: number, onBody?: (status: number, body: string) => void): Promise<autocannon.Result> {
  const first = workload.next();
  return autocannon({
    url,
    connections: workload.connections,
    duration: durationSeconds,
    timeout: 30,
    requests: [
      {
        method: "POST",
        path: new URL(url).pathname,
        headers: { "content-type": "application/json", ...first.headers },
        body: first.body,
        setupRequest: (request: any) => {
          const next = workload.next();
          return { ...request, body: next.body, headers: { ...request.headers, ...next.headers } };
        },
        onResponse: (status: number, body: string) => onBody?.(status, body),
      } as any,
    ],
  });
}

/**
 * Waits until no subgraph's statement count has moved for `quietMs` (2 s unless told): requests cut off at the
 * end of a run are still being served (on a loaded machine a request can sit between two statements for over
 * a second, and one queued inside a gateway for longer).
 */
async function settle(subgraphs: Record<DepartmentName, Child>, quietMs = 2000, maxMs = 90_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  let last = JSON.stringify(await statementCounts(subgraphs));
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = JSON.stringify(await statementCounts(subgraphs));
    if (now !== last) {
      last = now;
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= quietMs) return;
  }
}

/**
 * SQL statements per request, exactly: a few requests one after another on a quiet platform, the subgraphs'
 * counted statements divided by them (MariaDB's server-wide Questions over the same requests alongside).
 */
async function probeStatements(url: string, workload: Workload, subgraphs: Record<DepartmentName, Child>, mysqlServer: string | null, quietMs: number, count = 3) {
  await settle(subgraphs, quietMs);
  const before = await statementCounts(subgraphs);
  const mysqlBefore = mysqlServer ? await mysqlCounters(mysqlServer) : null;
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const request = workload.next();
    const started = performance.now();
    await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...request.headers }, body: request.body }).then((r) => r.arrayBuffer());
    latencies.push(performance.now() - started);
  }
  await settle(subgraphs);
  const after = await statementCounts(subgraphs);
  const mysqlAfter = mysqlServer ? await mysqlCounters(mysqlServer) : null;
  const byDepartment = Object.fromEntries(DEPARTMENTS.map((d) => [d, round((after[d] - before[d]) / count, 2)]));
  return {
    // One request at a time: the latency without queueing behind other requests.
    sequentialMedianMs: round([...latencies].sort((a, b) => a - b)[Math.floor(count / 2)], 1),
    counted: round(DEPARTMENTS.reduce((s, d) => s + after[d] - before[d], 0) / count, 2),
    byDepartment,
    mariadbQuestions: mysqlBefore && mysqlAfter ? round((mysqlAfter.Questions - mysqlBefore.Questions) / count, 2) : null,
    mariadbComSelect: mysqlBefore && mysqlAfter ? round((mysqlAfter.Com_select - mysqlBefore.Com_select) / count, 2) : null,
  };
}

/** The median of some numbers. */
/**
 * One gateway's rounds of one workload as one measurement: requests/s over the whole time measured, the median
 * of the rounds' latency percentiles (each round's own p99, not a p99 of all requests), errors summed, the
 * largest RSS, the statement counts of the first round (the rounds' counts are kept in `rounds`) and the median
 * of the rounds' one-at-a-time latencies (the first round's alone would be the one right after start-up).
 */
function combineRounds(runs: Measurement[]): Measurement & { rounds?: Measurement[] } {
  if (runs.length === 1) return runs[0];
  const seconds = runs.reduce((sum, m) => sum + m.durationSeconds, 0);
  const requests = runs.reduce((sum, m) => sum + m.requests, 0);
  const sum = (pick: (m: Measurement) => number) => runs.reduce((total, m) => total + pick(m), 0);
  return {
    ...runs[0],
    durationSeconds: seconds,
    requests,
    requestsPerSecond: round(requests / seconds, 1),
    latencyMs: {
      p50: median(runs.map((m) => m.latencyMs.p50)),
      p90: median(runs.map((m) => m.latencyMs.p90)),
      p99: median(runs.map((m) => m.latencyMs.p99)),
      mean: round(sum((m) => m.latencyMs.mean * m.requests) / Math.max(1, requests), 1),
      max: Math.max(...runs.map((m) => m.latencyMs.max)),
    },
    errors: {
      non2xx: sum((m) => m.errors.non2xx),
      graphql: sum((m) => m.errors.graphql),
      transport: sum((m) => m.errors.transport),
      timeouts: sum((m) => m.errors.timeouts),
      firstError: runs.find((m) => m.errors.firstError)?.errors.firstError,
    },
    gatewayRssMiB: { max: Math.max(...runs.map((m) => m.gatewayRssMiB.max)), end: runs[runs.length - 1].gatewayRssMiB.end },
    cpuMsPerRequest: {
      gateway: weightedCpu(runs, "gateway"),
      subgraphs: weightedCpu(runs, "subgraphs"),
      database: weightedCpu(runs, "database"),
      departmentCallsThroughOurGateway: weightedCpu(runs, "departmentCallsThroughOurGateway"),
    },
    sqlPerRequest: { ...runs[0].sqlPerRequest, sequentialMedianMs: round(median(runs.map((m) => m.sqlPerRequest.sequentialMedianMs)), 1) },
    departmentConnectionsPerRequest: round(sum((m) => m.departmentConnectionsPerRequest * m.requests) / Math.max(1, requests), 3),
    rounds: runs,
  };
}

/** A CPU figure of several rounds: their CPU added up over their requests added up (null if any round lacks it). */
function weightedCpu(runs: Measurement[], part: keyof Measurement["cpuMsPerRequest"]): number | null {
  let total = 0;
  let requests = 0;
  for (const m of runs) {
    const value = m.cpuMsPerRequest[part];
    if (value === null) return null;
    total += value * m.requests;
    requests += m.requests;
  }
  return requests > 0 ? round(total / requests, 2) : null;
}

/** CPU used so far by the gateway, by the subgraphs together and by the database server (ms, null if unknown). */
function cpuSnapshot(gateway: Child, ourGateway: Child, subgraphs: Record<DepartmentName, Child>, databasePid: number | null) {
  const subgraphTimes = DEPARTMENTS.map((d) => cpuMs(subgraphs[d].process.pid!));
  return {
    gateway: cpuMs(gateway.process.pid!),
    departmentCallsThroughOurGateway: gateway === ourGateway ? null : cpuMs(ourGateway.process.pid!),
    subgraphs: subgraphTimes.some((t) => t === null) ? null : subgraphTimes.reduce<number>((sum, t) => sum + t!, 0),
    database: databasePid === null ? null : cpuMs(databasePid),
  };
}

async function measure(
  gatewayName: string,
  gateway: Child,
  url: string,
  workload: Workload,
  subgraphs: Record<DepartmentName, Child>,
  options: { duration: number; warmup: number; mysqlServer: string | null; databasePid: number | null; ourGateway: Child },
): Promise<Measurement> {
  // The warm-up first: the one-at-a-time latency is then that of a warm gateway, whichever gateway runs first.
  const warmup = options.warmup > 0 ? await runAutocannon(url, workload, options.warmup) : null;
  // A request the warm-up cut off can wait inside a loaded gateway (the plain one queues fetches for its
  // sockets) as long as the slowest answer took, then reach the departments during the probe: 2 s of quiet
  // is not enough when answers took seconds (seen: 26 statements per list10 request instead of 24).
  const quietMs = Math.max(2000, Math.ceil(1.5 * (warmup?.latency.max ?? 0)));
  const sqlPerRequest = await probeStatements(url, workload, subgraphs, options.mysqlServer, quietMs);
  await settle(subgraphs);
  let responses = 0;
  let graphqlErrors = 0;
  let firstError: string | undefined;
  const stopRss = sampleRss(gateway.process.pid!);
  const connectionsBefore = await connectionsAccepted(subgraphs);
  const cpuBefore = cpuSnapshot(gateway, options.ourGateway, subgraphs, options.databasePid);
  const seconds = options.duration * (workload.durationFactor ?? 1);
  const result = await runAutocannon(url, workload, seconds, (status, body) => {
    responses++;
    // A GraphQL error anywhere in the answer (partial data included) counts as an error.
    if (status === 200 && body.includes('"errors":')) {
      graphqlErrors++;
      firstError ??= body.slice(body.indexOf('"errors":'), body.indexOf('"errors":') + 300);
    } else if (status !== 200) firstError ??= `${status}: ${body.slice(0, 300)}`;
  });
  const rss = stopRss();
  const cpuAfter = cpuSnapshot(gateway, options.ourGateway, subgraphs, options.databasePid);
  const connectionsAfter = await connectionsAccepted(subgraphs);
  const perRequest = (part: keyof typeof cpuAfter) => {
    const before = cpuBefore[part];
    const after = cpuAfter[part];
    return before === null || after === null || responses === 0 ? null : round((after - before) / responses, 2);
  };
  await settle(subgraphs);
  return {
    workload: workload.name,
    gateway: gatewayName,
    description: workload.description,
    connections: workload.connections,
    durationSeconds: seconds,
    requests: responses,
    requestsPerSecond: round(responses / seconds, 1),
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, mean: round(result.latency.mean, 1), max: result.latency.max },
    errors: { non2xx: result.non2xx, graphql: graphqlErrors, transport: result.errors, timeouts: result.timeouts, firstError },
    gatewayRssMiB: { max: rss.maxMiB, end: rss.lastMiB },
    cpuMsPerRequest: {
      gateway: perRequest("gateway"),
      subgraphs: perRequest("subgraphs"),
      database: perRequest("database"),
      departmentCallsThroughOurGateway: perRequest("departmentCallsThroughOurGateway"),
    },
    sqlPerRequest,
    departmentConnectionsPerRequest: responses > 0 ? round((connectionsAfter - connectionsBefore) / responses, 3) : 0,
  };
}

async function seedSqlite(folder: string, people: number): Promise<Record<DepartmentName, string>> {
  const urls = Object.fromEntries(DEPARTMENTS.map((d) => [d, `sqlite:${join(folder, `${d}.sqlite`)}`])) as Record<DepartmentName, string>;
  const env: NodeJS.ProcessEnv = {};
  for (const d of DEPARTMENTS) env[`${envPrefix(d)}_DATABASE_URL`] = urls[d];
  const child = startNode("seed", join(DIST, "shared", "scripts", "seed.js"), env, {
    args: ["--county", COUNTY, "--people", String(people), "--seed", "7", "--anomaly-rate", "0.02", "--manifest", join(folder, "manifest.json")],
  });
  const code = await new Promise<number | null>((resolve) => child.process.once("exit", resolve));
  if (code !== 0) throw new Error(`seeding the SQLite county failed:\n${child.output()}`);
  return urls;
}

function formatTable(measurements: Measurement[], direct: DirectResult | null): string {
  const lines = [
    "| workload | gateway | conns | req/s | p50 ms | p99 ms | one at a time ms | errors (non-2xx / GraphQL) | gateway RSS max MiB | CPU ms/request: gateway · subgraphs · MariaDB | SQL/request (counted) | MariaDB Questions/request | connections the departments accepted / request |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const m of measurements) {
    lines.push(
      `| ${m.workload} | ${m.gateway} | ${m.connections} | ${m.requestsPerSecond} | ${m.latencyMs.p50} | ${m.latencyMs.p99} | ${m.sqlPerRequest.sequentialMedianMs} | ${m.errors.non2xx + m.errors.transport + m.errors.timeouts} / ${m.errors.graphql} | ${m.gatewayRssMiB.max} | ${[m.cpuMsPerRequest.gateway, m.cpuMsPerRequest.subgraphs, m.cpuMsPerRequest.database].map((v) => v ?? "n/a").join(" · ")}${(m.cpuMsPerRequest.departmentCallsThroughOurGateway ?? 0) >= 0.1 ? ` (+ ${m.cpuMsPerRequest.departmentCallsThroughOurGateway} in our gateway for the departments' own calls)` : ""} | ${m.sqlPerRequest.counted} | ${m.sqlPerRequest.mariadbQuestions ?? "n/a"} | ${m.departmentConnectionsPerRequest} |`,
    );
  }
  if (direct) {
    lines.push(`| profile50 | direct SQL (mysql2, one process) | ${direct.concurrency} | ${direct.requestsPerSecond} | ${direct.latencyMs.p50} | ${direct.latencyMs.p99} | ${direct.sequentialMedianMs} | ${direct.errors} / – | – | – | ${direct.statementsPerRequest} | – | – |`);
  }
  return lines.join("\n");
}

interface Target {
  name: string;
  met: boolean | null;
  detail: string;
}

/**
 * The most any gateway could gain over the plain one on this machine, from the plain run's own CPU split: a
 * gateway that cost no CPU at all would leave the subgraphs' and the database's share, which both gateways pay
 * alike, so on saturated cores its requests/s could be at most (all of it) / (that share) times the plain one's.
 */
function zeroCostGatewayCeiling(plain: Measurement): number | null {
  const { gateway, subgraphs, database, departmentCallsThroughOurGateway } = plain.cpuMsPerRequest;
  if (gateway === null || subgraphs === null || database === null) return null;
  const shared = subgraphs + database + (departmentCallsThroughOurGateway ?? 0);
  return shared > 0 ? round((gateway + shared) / shared, 2) : null;
}

function ceilingNote(plain: Measurement): string {
  const ceiling = zeroCostGatewayCeiling(plain);
  return ceiling === null ? "" : ` (a gateway costing no CPU: at most ${ceiling}×)`;
}

/** "a ms vs b ms (a/b×)" */
function versus(federatedMs: number, directMs: number): string {
  return `${federatedMs} ms vs ${directMs} ms (${round(federatedMs / Math.max(directMs, 0.001), 1)}×)`;
}

function targets(measurements: Measurement[], direct: DirectResult | null, stages: ProfileStages | null): Target[] {
  // Measurements come lowest concurrency first: `find` is a workload at the lowest level, the one direct SQL runs at.
  const find = (workload: string, gateway: string) => measurements.find((m) => m.workload === workload && m.gateway === gateway);
  const levelsOf = (workload: string, gateway: string) => measurements.filter((m) => m.workload === workload && m.gateway === gateway);
  // A gateway's requests/s is the most it served at any level measured: the lowest level may leave the cores idle
  // (requests wait on each other's round trips), and each gateway's best level is its throughput.
  const peak = (workload: string, gateway: string) =>
    levelsOf(workload, gateway).reduce<Measurement | undefined>((best, m) => (!best || m.requestsPerSecond > best.requestsPerSecond ? m : best), undefined);
  const out: Target[] = [];
  // Requests/s of a gateway over the plain one's, per workload both ran: each at its peak, and level by level.
  const ratiosToPlain = (gateway: string) =>
    WORKLOAD_NAMES.flatMap((w) => {
      const [a, b] = [peak(w, gateway), peak(w, "plain")];
      if (!a || !b) return [];
      const byLevel = levelsOf(w, gateway).flatMap((m) => {
        const plain = levelsOf(w, "plain").find((p) => p.connections === m.connections);
        return plain ? [`${m.connections} conns ${round(m.requestsPerSecond / Math.max(plain.requestsPerSecond, 0.001), 2)}×`] : [];
      });
      return [{ workload: w, ratio: a.requestsPerSecond / Math.max(b.requestsPerSecond, 0.001), plain: b, byLevel: byLevel.length > 1 ? byLevel : [] }];
    });
  const pairs = ratiosToPlain("ours");
  out.push({
    name: "our gateway ≥ 1.3× plain @apollo/gateway requests/s (every workload, each gateway at its best level)",
    met: pairs.length ? pairs.every(({ ratio }) => ratio >= 1.3) : null,
    detail:
      pairs
        .map(({ workload, ratio, plain, byLevel }) => `${workload} ${round(ratio, 2)}×${byLevel.length ? ` [${byLevel.join(", ")}]` : ""}${ceilingNote(plain)}`)
        .join(", ") || "not measured (needs --gateways ours,plain)",
  });
  // The gateway's own work, apart from the departments' and the database's that both gateways pay alike: client
  // requests per CPU-second of the gateway processes, ours over plain — what each could serve on cores of its own.
  // The departments' own feed calls (reports) pass through our gateway in either run and are counted with it.
  const ownWork = WORKLOAD_NAMES.flatMap((w) => {
    const [a, b] = [peak(w, "ours")?.cpuMsPerRequest, peak(w, "plain")?.cpuMsPerRequest];
    if (!a?.gateway || !b?.gateway) return [];
    return [`${w} ${round((b.gateway + (b.departmentCallsThroughOurGateway ?? 0)) / a.gateway, 2)}×`];
  });
  if (ownWork.length) out.push({ name: "(for comparison, no target) requests per CPU-second of the gateway itself, ours / plain", met: null, detail: ownWork.join(", ") });
  // The peers measured besides (optional): how they compare with the same plain gateway.
  for (const peer of [...new Set(measurements.map((m) => m.gateway))].filter((g) => g !== "ours" && g !== "plain")) {
    const ratios = ratiosToPlain(peer).map(({ workload, ratio }) => `${workload} ${round(ratio, 2)}×`);
    if (ratios.length) out.push({ name: `(for comparison, no target) ${peer} / plain @apollo/gateway requests/s, each at its best level`, met: null, detail: ratios.join(", ") });
  }
  const profile = find("profile50", "ours");
  out.push({
    name: "federated profile p50 ≤ 3× direct SQL",
    // A run in which no profile completed has no p50 at all: that is a failure, not a zero.
    met: profile && direct ? profile.requests > 0 && profile.latencyMs.p50 <= 3 * direct.latencyMs.p50 : null,
    detail:
      profile && direct
        ? `${versus(profile.latencyMs.p50, direct.latencyMs.p50)}; one at a time (no queueing) ${versus(profile.sqlPerRequest.sequentialMedianMs, direct.sequentialMedianMs)}` +
          (stages ? `; by stage, one at a time: the departments ${versus(stages.departmentsCriticalPathMs, direct.sequentialMedianMs)}, the gateway ${stages.gatewayShareMs} ms` : "")
        : "not measured",
  });
  const l10 = find("list10", "ours");
  const l1000 = find("list1000", "ours");
  out.push({
    name: "SQL statements per request the same for 10 and 1,000 people",
    met: l10 && l1000 ? Math.abs(l10.sqlPerRequest.counted - l1000.sqlPerRequest.counted) < 0.5 : null,
    detail: l10 && l1000 ? `${l10.sqlPerRequest.counted} vs ${l1000.sqlPerRequest.counted}` : "not measured",
  });
  const ours = measurements.filter((m) => m.gateway === "ours");
  const maxRss = Math.max(0, ...ours.map((m) => m.gatewayRssMiB.max));
  out.push({ name: "gateway RSS ≤ 256 MB under load", met: ours.length ? maxRss <= 256 : null, detail: `max ${maxRss} MiB` });
  return out;
}

async function main() {
  const options = parseOptions(process.argv.slice(2), OPTIONS);
  const dialect = options.get("dialect") ?? "mysql";
  if (dialect !== "mysql" && dialect !== "sqlite") throw new Error("--dialect is mysql or sqlite");
  const mysqlServer = (options.get("mysql") ?? process.env.BENCH_MYSQL_URL ?? "mysql://root@127.0.0.1:3306").replace(/\/+$/, "");
  const prefix = options.get("databases") ?? "bench_";
  const duration = Number(options.get("duration") ?? 10);
  const warmup = Number(options.get("warmup") ?? 2);
  const levels = connectionLevels(options.get("connections") ?? "10,32");
  const wanted = options.get("workloads")?.split(",") ?? WORKLOAD_NAMES;
  const gatewayNames = (options.get("gateways") ?? "ours,plain").split(",");
  const runDirect = (options.get("direct") ?? (dialect === "mysql" ? "yes" : "no")) === "yes";
  const cpuProfileFolder = options.get("cpu-prof");
  const nodeArgs = (label: string) => (cpuProfileFolder ? ["--cpu-prof", `--cpu-prof-dir=${cpuProfileFolder}`, `--cpu-prof-name=${label}.cpuprofile`] : []);
  const started = Date.now();

  let folder: string | null = null;
  let urls: Record<DepartmentName, string>;
  if (dialect === "sqlite") {
    folder = mkdtempSync(join(tmpdir(), "bench-http-"));
    const people = Number(options.get("people") ?? 20000);
    console.log(`[bench] seeding ${people} people into SQLite under ${folder} ...`);
    urls = await seedSqlite(folder, people);
  } else {
    urls = Object.fromEntries(DEPARTMENTS.map((d) => [d, `${mysqlServer}/${prefix}${d.replace(/-/g, "_")}`])) as Record<DepartmentName, string>;
  }

  let databaseServer: Awaited<ReturnType<typeof mysqlServerFacts>> | null = null;
  const setupNotes: string[] = [];
  if (dialect === "mysql") {
    databaseServer = await mysqlServerFacts(mysqlServer, prefix);
    console.log(`[bench] ${databaseServer.version}: buffer pool ${databaseServer.bufferPoolMiB} MiB, ${prefix}* databases ${databaseServer.databasesMiB} MiB`);
    if (databaseServer.bufferPoolMiB < databaseServer.databasesMiB) {
      const note = `the buffer pool (${databaseServer.bufferPoolMiB} MiB) is smaller than the ${prefix}* databases (${databaseServer.databasesMiB} MiB): reads and access-log appends wait for the disk, and the figures measure that (SET GLOBAL innodb_buffer_pool_size = ... gives a deployment's setting)`;
      console.log(`[bench] note: ${note}`);
      setupNotes.push(note);
    }
  }

  const children: Child[] = [];
  const stopAll = async () => {
    for (const child of children.reverse()) await child.stop();
  };
  process.on("SIGINT", () => void stopAll().finally(() => process.exit(130)));
  try {
    const secrets = { JWT_SECRET, IDENTITY_SIGNING_SECRET };
    const ports = {} as Record<string, number>;
    for (const d of DEPARTMENTS) ports[d] = await freePort();
    ports.ours = await freePort();
    ports.plain = await freePort();
    for (const name of gatewayNames) if (HIVE_GATEWAYS[name] && !ports[name]) ports[name] = await freePort();
    const departmentUrls = Object.fromEntries(DEPARTMENTS.map((d) => [d, `http://127.0.0.1:${ports[d]}/graphql`])) as Record<DepartmentName, string>;
    const subgraphUrls: NodeJS.ProcessEnv = {};
    for (const d of DEPARTMENTS) subgraphUrls[`${envPrefix(d)}_URL`] = departmentUrls[d];
    const oursUrl = `http://127.0.0.1:${ports.ours}/graphql`;

    const subgraphs = {} as Record<DepartmentName, Child>;
    await Promise.all(
      DEPARTMENTS.map(async (d) => {
        const child = startNode(d, join(DIST, "bench", "subgraph-process.js"), { ...secrets, ...(options.has("log-sql") ? { LOG_SQL: "1" } : {}), [`${envPrefix(d)}_DATABASE_URL`]: urls[d], [`${envPrefix(d)}_PORT`]: String(ports[d]), GATEWAY_URL: oursUrl, ...(options.has("subgraph-node-options") ? { NODE_OPTIONS: options.get("subgraph-node-options") } : {}) }, { ipc: true, args: [d], echo: options.has("log-sql"), nodeArgs: nodeArgs(d) });
        children.push(child);
        subgraphs[d] = child;
        await waitForHealth(`http://127.0.0.1:${ports[d]}/health`, child);
      }),
    );
    const gateways: Record<string, { child: Child; url: string }> = {};
    // Our gateway runs even when only the plain one is measured: it prepares the keys, and reports call it.
    const ours = startNode("gateway", join(DIST, "gateway", "src", "index.js"), { ...secrets, ...subgraphUrls, GATEWAY_PORT: String(ports.ours), SUBGRAPH_TIMEOUT_MS: options.get("subgraph-timeout") ?? "30000", NODE_OPTIONS: options.get("gateway-node-options") ?? GATEWAY_NODE_FLAGS.join(" ") }, { nodeArgs: nodeArgs("gateway") });
    children.push(ours);
    await waitForHealth(`http://127.0.0.1:${ports.ours}/health`, ours);
    gateways.ours = { child: ours, url: oursUrl };
    if (gatewayNames.includes("plain")) {
      const plain = startNode("plain gateway", join(DIST, "bench", "plain-gateway.js"), { ...secrets, ...subgraphUrls, GATEWAY_PORT: String(ports.plain) });
      children.push(plain);
      // Apollo Server 5's standalone server has no health route: any HTTP answer means it listens.
      await waitForHealth(`http://127.0.0.1:${ports.plain}/`, plain, 120_000, true);
      gateways.plain = { child: plain, url: `http://127.0.0.1:${ports.plain}/` };
    }
    const hiveNames = gatewayNames.filter((n) => HIVE_GATEWAYS[n]);
    const modules = hiveNames.length ? ensureHiveInstalled() : null;
    for (const name of hiveNames) {
      const hive = startNode(name, join(DIST, "bench", "hive-gateway.js"), { ...secrets, ...subgraphUrls, GATEWAY_PORT: String(ports[name]), HIVE_GATEWAY_MODULES: modules!, HIVE_DEDUPLICATE: HIVE_GATEWAYS[name].deduplicate ? "yes" : "no" });
      children.push(hive);
      await waitForHealth(`http://127.0.0.1:${ports[name]}/healthcheck`, hive);
      gateways[name] = { child: hive, url: `http://127.0.0.1:${ports[name]}/graphql` };
    }
    const unknown = gatewayNames.filter((n) => !gateways[n]);
    if (unknown.length) throw new Error(`--gateways: unknown ${unknown.join(", ")} (ours, plain, hive, hive-nodedup)`);
    console.log(`[bench] services up in ${((Date.now() - started) / 1000).toFixed(1)} s; collecting keys ...`);

    const { workloads, keys, notes } = await buildWorkloads(oursUrl, levels, options.get("report") ?? null);
    notes.unshift(...setupNotes);
    if (options.has("log-sql")) {
      const request = workloads.find((w) => w.name === "profile50")!.next();
      console.log(JSON.stringify(await post(oursUrl, request)).slice(0, 400));
      return;
    }
    const measurements: Measurement[] = [];
    const databasePid = dialect === "mysql" ? databaseServerPid() : null;
    const rounds = Number(options.get("rounds") ?? 1);
    if (!Number.isInteger(rounds) || rounds < 1) throw new Error("--rounds: a whole number of at least 1");
    for (const workload of workloads.filter((w) => wanted.includes(w.name))) {
      const byGateway = new Map<string, Measurement[]>();
      for (let round = 0; round < rounds; round++) {
        // Alternate the order, so that neither gateway always runs on a warmer (or more loaded) machine.
        for (const name of round % 2 === 0 ? gatewayNames : [...gatewayNames].reverse()) {
          const gateway = gateways[name];
          if (!gateway) continue;
          const label = rounds > 1 ? ` round ${round + 1}/${rounds}` : "";
          process.stdout.write(`[bench] ${workload.name} through ${name}${label} (${workload.connections} connections, ${duration * (workload.durationFactor ?? 1)} s) ... `);
          const m = await measure(name, gateway.child, gateway.url, workload, subgraphs, { duration, warmup, mysqlServer: dialect === "mysql" ? mysqlServer : null, databasePid, ourGateway: ours });
          byGateway.set(name, [...(byGateway.get(name) ?? []), m]);
          console.log(`${m.requestsPerSecond} req/s (one at a time ${m.sqlPerRequest.sequentialMedianMs} ms), p50 ${m.latencyMs.p50} ms, p99 ${m.latencyMs.p99} ms, errors ${m.errors.non2xx}/${m.errors.graphql}, RSS ${m.gatewayRssMiB.max} MiB, CPU ms/request gateway ${m.cpuMsPerRequest.gateway ?? "n/a"} subgraphs ${m.cpuMsPerRequest.subgraphs ?? "n/a"} MariaDB ${m.cpuMsPerRequest.database ?? "n/a"}, SQL/request ${m.sqlPerRequest.counted}, connections the departments accepted/request ${m.departmentConnectionsPerRequest}`);
          if (m.errors.firstError) console.log(`         first error: ${m.errors.firstError}`);
        }
      }
      for (const name of gatewayNames) {
        const runs = byGateway.get(name);
        if (runs) measurements.push(combineRounds(runs));
      }
    }

    // The profile one at a time, split into what the departments take and what the gateway adds.
    let profileStages: ProfileStages | null = null;
    const profileWorkload = workloads.find((w) => w.name === "profile50");
    if (profileWorkload && wanted.includes("profile50")) {
      process.stdout.write("[bench] profile50 one at a time, by stage of its query plan ... ");
      await settle(subgraphs);
      profileStages = await measureProfileStages({
        supergraphSdl: readCommittedSupergraph(),
        next: profileWorkload.next,
        gatewayUrl: oursUrl,
        caller: { sub: "bench-clerk-stages", dept: "population", scopes: defaultScopes("population"), region: COUNTY, purpose: "benchmark" },
        subgraphUrls: departmentUrls,
        signingSecret: IDENTITY_SIGNING_SECRET,
      });
      console.log(describeProfileStages(profileStages));
    }

    let direct: DirectResult | null = null;
    if (runDirect && dialect === "mysql" && wanted.includes("profile50")) {
      // At the lowest level: the federated profile's p50 it is compared with is taken at the same concurrency.
      process.stdout.write(`[bench] profile50 by direct SQL (${levels[0]} concurrent, ${duration} s) ... `);
      direct = await directProfileBenchmark(urls, keys.ids.filter((_, i) => i % 50 === 49), { concurrency: levels[0], durationSeconds: duration, warmupSeconds: warmup });
      console.log(`${direct.requestsPerSecond} profiles/s, p50 ${direct.latencyMs.p50} ms, p99 ${direct.latencyMs.p99} ms, one at a time ${direct.sequentialMedianMs} ms`);
    } else if (runDirect) {
      notes.push("direct SQL: only against MariaDB (--dialect mysql)");
    }

    const table = formatTable(measurements, direct);
    const checked = targets(measurements, direct, profileStages);
    const file = writeResults(options.get("name") ?? "http", {
      kind: "http",
      date: new Date().toISOString(),
      machine: machine(),
      databaseServer,
      command: `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim(),
      data: dialect === "mysql" ? `MariaDB ${Object.values(urls).map((u) => u.replace(/^.*\//, "")).join(", ")}` : `SQLite, ${options.get("people") ?? 20000} people (seed 7)`,
      durationSeconds: duration,
      warmupSeconds: warmup,
      notes,
      measurements,
      direct,
      profileStages,
      targets: checked,
      totalSeconds: round((Date.now() - started) / 1000, 1),
    });
    console.log(`\n${table}\n`);
    for (const t of checked) console.log(`${t.met === null ? "–" : t.met ? "met" : "NOT met"}: ${t.name}: ${t.detail}`);
    for (const note of notes) console.log(`note: ${note}`);
    console.log(`results: ${file} (${((Date.now() - started) / 1000).toFixed(0)} s in all)`);
  } finally {
    await stopAll();
    if (folder) rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`[bench] failed: ${error instanceof Error ? error.stack : error}`);
  process.exit(1);
});
