import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { Socket, createServer, type Server } from "node:net";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { Caller } from "../../shared/src/auth/caller";
import { IDENTITY_HEADER, signIdentity } from "../../shared/src/auth/identity-header";
import { repositoryRoot } from "../../shared/src/paths";
import { TEST_SECRETS, postGraphQL, type GraphQLResponse } from "./platform";

const ROOT = repositoryRoot();

function newestSource(folder: string): number {
  let newest = 0;
  if (!existsSync(folder)) return newest;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Fault tests run the services as real processes from dist/ (`npm run build`, as CI does before the
 * tests). When dist/ is missing or older than a source file, this compiles once.
 */
export function ensureBuilt(): void {
  const marker = join(ROOT, "dist/shared/src/service.js");
  const sources = Math.max(...["shared/src", "gateway/src", "subgraphs"].map((f) => newestSource(join(ROOT, f))));
  if (existsSync(marker) && statSync(marker).mtimeMs >= sources) return;
  execFileSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(ROOT, "tsconfig.json")], { stdio: "inherit", timeout: 240_000 });
}

export interface ServiceProcess {
  child: ChildProcess;
  url: string;
  port: number;
  /** Everything the process printed (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>;
  alive(): boolean;
}

/**
 * Starts `dist/<script>` (a subgraph's or the gateway's index.js) with `env` and waits, at most
 * `timeoutMs`, for its "ready at <url>" line. Port 0 in the env lets the system choose.
 */
export async function spawnService(script: string, env: Record<string, string>, timeoutMs = 60_000): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [join(ROOT, "dist", script)], {
    cwd: ROOT,
    env: { ...process.env, ...TEST_SECRETS, NODE_ENV: "test", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<number | string>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown")));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /ready at (http:\/\/\S+\/graphql)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code}) before it was ready:\n${output}`));
    });
  });
  return {
    child,
    url,
    port: Number(new URL(url).port),
    output: () => output,
    exited,
    alive: () => child.exitCode === null && child.signalCode === null,
  };
}

/** The process's exit code once it ends, or "still running" after `boundMs`. */
export async function exitWithin(service: ServiceProcess, boundMs: number): Promise<number | string> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<string>((resolve) => (timer = setTimeout(() => resolve("still running"), boundMs)));
  try {
    return await Promise.race([service.exited, bound]);
  } finally {
    clearTimeout(timer);
  }
}

/** Kills a process the test started (if still running) and waits for it to end. */
export async function killService(service: ServiceProcess | undefined, signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
  if (!service) return;
  if (service.alive()) service.child.kill(signal);
  await service.exited;
}

export const TEST_CALLER: Caller = { sub: "fault-test", dept: "civil_affairs", scopes: [], region: "", purpose: "fault test", requestId: "fault-test" };

/** Sends a document straight to a subgraph, signed as the gateway would sign `caller`. */
export function querySubgraph(url: string, query: string, variables?: Record<string, unknown>, caller: Caller = TEST_CALLER): Promise<GraphQLResponse> {
  return postGraphQL(url, { query, variables }, { [IDENTITY_HEADER]: signIdentity(caller, TEST_SECRETS.IDENTITY_SIGNING_SECRET), "x-purpose": "fault test" });
}

/** GET with a time bound; `status` 0 when the connection is refused or reset. */
export async function getStatus(url: string, timeoutMs = 5000): Promise<{ status: number; body: any }> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: response.status, body };
  } catch {
    return { status: 0, body: null };
  }
}

/**
 * A TCP proxy between a service and its database, which a test cuts (every connection reset, the port
 * closed: what clients see while MariaDB restarts) and restores on the same port, or freezes (connections
 * stay open, nothing passes either way: a hung server or a dropped route) and thaws.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private frozen = false;
  private readonly thawed: (() => void)[] = [];
  port = 0;
  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<this> {
    const server = createServer((client) => {
      const upstream = new Socket();
      this.sockets.add(client);
      this.sockets.add(upstream);
      const forget = () => {
        this.sockets.delete(client);
        this.sockets.delete(upstream);
        client.destroy();
        upstream.destroy();
      };
      client.on("error", forget).on("close", forget);
      upstream.on("error", forget).on("close", forget);
      // While frozen, bytes are held back; on thaw they pass (to connections that are still open).
      const forward = (to: Socket) => (data: Buffer) => {
        if (!this.frozen) to.write(data);
        else this.thawed.push(() => !to.destroyed && to.write(data));
      };
      const connect = () =>
        upstream.connect(this.targetPort, this.targetHost, () => {
          client.on("data", forward(upstream));
          upstream.on("data", forward(client));
        });
      if (this.frozen) this.thawed.push(() => !client.destroyed && connect());
      else connect();
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  /** Resets every open connection and stops listening: new connections are refused. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    for (const socket of this.sockets) {
      // A reset while the socket's own shutdown (end()) is pending leaves Node's handle waiting at exit, and
      // the test process then spins in its cleanup instead of exiting (as libp2p/js-libp2p#3597 found):
      // such a socket is only destroyed, every other one reset as a restarting server's are.
      if (socket.writableEnded) socket.destroy();
      else socket.resetAndDestroy();
    }
    this.sockets.clear();
    await closed;
  }

  async restore(): Promise<void> {
    await this.start();
  }

  /** Nothing passes any more, but every connection stays open and new ones are accepted (and held). */
  freeze(): void {
    this.frozen = true;
  }

  thaw(): void {
    this.frozen = false;
    for (const release of this.thawed.splice(0)) release();
  }

  async stop(): Promise<void> {
    this.thaw();
    await this.cut();
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
