/**
 * Helpers shared by the benchmark scripts (bench/seed.ts, bench/http.ts): child processes, the machine's
 * description, MariaDB counters and the results file. Benchmarks only: nothing here is loaded by a service.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, readdirSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { createConnection } from "mysql2/promise";
import { repositoryRoot } from "../shared/src/paths";

export const ROOT = repositoryRoot();
export const DIST = join(ROOT, "dist");

export interface Machine {
  nproc: number;
  memoryGiB: number;
  cpu: string;
  node: string;
  os: string;
}

export function machine(): Machine {
  let os: string = process.platform;
  try {
    os = readFileSync("/etc/os-release", "utf8").match(/^PRETTY_NAME="?([^"\n]+)"?/m)?.[1] ?? os;
  } catch {
    // not Linux
  }
  return { nproc: cpus().length, memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10, cpu: cpus()[0]?.model ?? "unknown", node: process.version, os };
}

/** Options of the form `--name value` or `--name=value`; flags without a value are "true". */
export function parseOptions(argv: string[], known: Record<string, string>): Map<string, string> {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z0-9-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m || !(m[1] in known)) {
      console.error(`unknown argument ${argv[i]}\noptions:\n${Object.entries(known).map(([k, v]) => `  --${k.padEnd(16)} ${v}`).join("\n")}`);
      process.exit(2);
    }
    const next = argv[i + 1];
    values.set(m[1], m[2] ?? (next !== undefined && !next.startsWith("--") ? (i++, next) : "true"));
  }
  return values;
}

/** Resident set size of a process in MiB, from /proc/<pid>/status (null once it has gone). */
export function rssMiB(pid: number): number | null {
  try {
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; returns the largest and the last sample. */
export function sampleRss(pid: number, everyMs = 200): () => { maxMiB: number; lastMiB: number } {
  let maxMiB = 0;
  let lastMiB = 0;
  const take = () => {
    const value = rssMiB(pid);
    if (value !== null) {
      lastMiB = value;
      maxMiB = Math.max(maxMiB, value);
    }
  };
  take();
  const timer = setInterval(take, everyMs);
  return () => {
    clearInterval(timer);
    take();
    return { maxMiB: round(maxMiB, 1), lastMiB: round(lastMiB, 1) };
  };
}

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat (null once it has gone). */
export function cpuMs(pid: number): number | null {
  try {
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of the whole line, in clock ticks (USER_HZ, 100 on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

/** The pid of the local MariaDB (or MySQL) server, if it runs on this machine and /proc shows it. */
export function databaseServerPid(): number | null {
  try {
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const comm = readFileSync(`/proc/${entry}/comm`, "utf8").trim();
        if (comm === "mariadbd" || comm === "mysqld") return Number(entry);
      } catch {
        // gone meanwhile
      }
    }
  } catch {
    // not Linux
  }
  return null;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export interface Child {
  label: string;
  process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `node <script>` with extra environment; keeps the last output for error reports. */
export function startNode(label: string, script: string, env: NodeJS.ProcessEnv, options: { ipc?: boolean; echo?: boolean; args?: string[]; nodeArgs?: string[] } = {}): Child {
  // nodeArgs go before the script: flags such as --cpu-prof that NODE_OPTIONS does not accept.
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script, ...(options.args ?? [])], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: options.ipc ? ["ignore", "pipe", "pipe", "ipc"] : ["ignore", "pipe", "pipe"],
  });
  let tail = "";
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString("utf8")).slice(-4000);
    if (options.echo) process.stderr.write(chunk);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return {
    label,
    process: child,
    output: () => tail,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
        child.once("exit", () => {
          clearTimeout(force);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}

/** Waits until `url` answers 2xx (or, with `anyAnswer`, answers at all: servers without a health route). */
export async function waitForHealth(url: string, child: Child, timeoutMs = 120_000, anyAnswer = false): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) throw new Error(`${child.label} exited with code ${child.process.exitCode}:\n${child.output()}`);
    try {
      const response = await fetch(url);
      if (response.ok || anyAnswer) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${child.label} did not become healthy within ${timeoutMs / 1000} s:\n${child.output()}`);
}

/** MariaDB's own server-wide counters (SHOW GLOBAL STATUS): they include every other client of the server. */
export async function mysqlCounters(serverUrl: string): Promise<Record<"Questions" | "Com_select" | "Com_insert", number>> {
  const connection = await createConnection(serverUrl);
  try {
    const [rows] = await connection.query("SHOW GLOBAL STATUS WHERE Variable_name IN ('Questions', 'Com_select', 'Com_insert')");
    const out = { Questions: 0, Com_select: 0, Com_insert: 0 };
    for (const row of rows as { Variable_name: keyof typeof out; Value: string }[]) out[row.Variable_name] = Number(row.Value);
    return out;
  } finally {
    await connection.end();
  }
}

/**
 * The database server's buffer pool and the size of the databases a run reads: when they do not fit, every
 * access-log append and many reads wait for the disk, and the run measures the server's configuration (MariaDB's
 * default pool is 128 MiB; the bench county with its access logs is over 1 GiB).
 */
export async function mysqlServerFacts(serverUrl: string, databasePrefix: string): Promise<{ version: string; bufferPoolMiB: number; databasesMiB: number }> {
  const connection = await createConnection(serverUrl);
  try {
    const [[server]] = (await connection.query("SELECT VERSION() AS version, @@innodb_buffer_pool_size AS pool")) as unknown as [{ version: string; pool: string | number }[]];
    const [[size]] = (await connection.query(
      "SELECT COALESCE(SUM(data_length + index_length), 0) AS bytes FROM information_schema.tables WHERE table_schema LIKE CONCAT(REPLACE(?, '_', '\\_'), '%')",
      [databasePrefix],
    )) as unknown as [{ bytes: string | number }[]];
    return { version: server.version, bufferPoolMiB: Math.round(Number(server.pool) / 2 ** 20), databasesMiB: Math.round(Number(size.bytes) / 2 ** 20) };
  } finally {
    await connection.end();
  }
}

export function writeResults(name: string, results: unknown): string {
  const dir = join(ROOT, "bench", "results");
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/:/g, "").replace(/\..*/, "");
  const file = join(dir, `${stamp}-${name}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2) + "\n");
  return file;
}
