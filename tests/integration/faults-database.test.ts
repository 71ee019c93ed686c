import { IDENTITY_HEADER, signIdentity } from "../../shared/src/auth/identity-header";
import { createTestDatabases, isMysqlAvailable, MYSQL_SERVER_URL, type TestDatabases } from "../helpers/databases";
import { TEST_SECRETS } from "../helpers/platform";
import { TEST_CALLER, TcpProxy, ensureBuilt, getStatus, killService, sleep, spawnService, type ServiceProcess } from "../helpers/processes";

/**
 * MariaDB going away under load, simulated by a TCP proxy between a civil-affairs subgraph (a real process)
 * and the server: the test cuts every connection and closes the port, as a restart does, then restores it;
 * or freezes it (nothing passes, connections stay open), then thaws it.
 * The real restart is `npm run fault:mariadb` (shared/scripts/fault-mariadb-restart.ts), not run in CI.
 */
const REGION_QUERY = `{ region(code: "522328") { name } }`;
const REQUEST_BOUND_MS = 15_000;

type Outcome = { kind: "ok" } | { kind: "coded"; codes: string[] } | { kind: "other"; detail: string };

async function askRegion(url: string): Promise<Outcome> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", [IDENTITY_HEADER]: signIdentity(TEST_CALLER, TEST_SECRETS.IDENTITY_SIGNING_SECRET) },
      body: JSON.stringify({ query: REGION_QUERY }),
      signal: AbortSignal.timeout(REQUEST_BOUND_MS),
    });
    const body = (await response.json()) as { data?: { region?: { name?: string } | null }; errors?: { extensions?: { code?: string }; message: string }[] };
    if (!body.errors && body.data?.region?.name === "安龙县") return { kind: "ok" };
    if (body.errors?.length) return { kind: "coded", codes: body.errors.map((e) => String(e.extensions?.code)) };
    return { kind: "other", detail: `${response.status} ${JSON.stringify(body)}` };
  } catch (error) {
    return { kind: "other", detail: `no answer within ${REQUEST_BOUND_MS} ms: ${(error as Error).name}` };
  }
}

const waitFor = async (condition: () => boolean | Promise<boolean>, boundMs: number) => {
  const deadline = Date.now() + boundMs;
  while (!(await condition())) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
};

/**
 * Runs six clients in a loop, applies `fault` after 30 good answers, waits for `outageAnswers` coded
 * answers, probes /ready and /health, `repair`s, and waits for 60 answers after the first good one.
 */
async function underLoad(subgraph: ServiceProcess, fault: () => Promise<void> | void, repair: () => Promise<void> | void, outageAnswers: number) {
  const base = subgraph.url.replace(/\/graphql$/, "");
  const phase = { current: "before" as "before" | "outage" | "after" };
  const outcomes: Record<string, Outcome[]> = { before: [], outage: [], after: [] };
  let running = true;
  const workers = Array.from({ length: 6 }, async () => {
    while (running) {
      const at = phase.current;
      const outcome = await askRegion(subgraph.url);
      // A request that was in flight when the phase changed belongs to the outage.
      outcomes[phase.current === at ? at : "outage"].push(outcome);
      if (outcome.kind === "other") await sleep(50);
    }
  });
  try {
    await waitFor(() => outcomes.before.length >= 30, 30_000);
    await fault();
    phase.current = "outage";
    const sawOutage = await waitFor(() => outcomes.outage.filter((o) => o.kind === "coded").length >= outageAnswers, 40_000);
    const ready = await getStatus(`${base}/ready`);
    const live = await getStatus(`${base}/health`);
    await repair();
    phase.current = "after";
    const recovered = await waitFor(() => outcomes.after.some((o) => o.kind === "ok"), 20_000);
    const firstOk = outcomes.after.findIndex((o) => o.kind === "ok");
    await waitFor(() => outcomes.after.length >= firstOk + 60, 30_000);
    running = false;
    await Promise.all(workers);
    const kinds = (list: Outcome[]) => list.map((o) => (o.kind === "coded" ? o.codes.join("+") : o.kind === "other" ? o.detail : "ok"));
    return {
      sawOutage,
      recovered,
      ready,
      live,
      before: kinds(outcomes.before),
      outage: kinds(outcomes.outage),
      afterRecovery: kinds(outcomes.after.slice(firstOk)),
      readyAfter: (await getStatus(`${base}/ready`)).status,
    };
  } finally {
    running = false;
    await Promise.all(workers);
  }
}

describe("the database going away under load (simulated by a TCP proxy)", () => {
  let databases: TestDatabases | undefined;
  let proxy: TcpProxy | undefined;
  let subgraph: ServiceProcess | undefined;

  beforeAll(async () => {
    if (!(await isMysqlAvailable())) return;
    ensureBuilt();
    databases = await createTestDatabases("mysql");
    const server = new URL(MYSQL_SERVER_URL);
    proxy = await new TcpProxy(server.hostname, Number(server.port || 3306)).start();
    const url = new URL(databases.urls["civil-affairs"]);
    url.host = `127.0.0.1:${proxy.port}`;
    subgraph = await spawnService("subgraphs/civil-affairs/src/index.js", {
      CIVIL_AFFAIRS_DATABASE_URL: url.toString(),
      CIVIL_AFFAIRS_PORT: "0",
      DATABASE_POOL_SIZE: "4",
      DATABASE_QUERY_TIMEOUT_MS: "2000",
    });
  }, 300_000);

  afterAll(async () => {
    await killService(subgraph);
    await proxy?.stop();
    await databases?.drop();
  });

  const expectSurvived = (run: Awaited<ReturnType<typeof underLoad>>) => {
    expect({ sawOutage: run.sawOutage, recovered: run.recovered }).toEqual({ sawOutage: true, recovered: true });
    expect(run.before.filter((o) => o !== "ok")).toEqual([]);
    // During the outage: only DATABASE_UNAVAILABLE (or an answer from just before it); nothing unanswered, nothing internal.
    expect([...new Set(run.outage)].filter((o) => o !== "ok")).toEqual(["DATABASE_UNAVAILABLE"]);
    expect(run.ready.status).toBe(503);
    expect(run.ready.body).toMatchObject({ status: "unavailable", reason: "database" });
    expect(run.live.status).toBe(200);
    // Back: every one of 60 answers after the first good one is good (every pool connection renewed).
    expect(run.afterRecovery.length).toBeGreaterThanOrEqual(60);
    expect(run.afterRecovery.filter((o) => o !== "ok")).toEqual([]);
    expect(run.readyAfter).toBe(200);
    expect(subgraph!.alive()).toBe(true);
    expect(subgraph!.output()).not.toMatch(/Unhandled|uncaught|ERR_UNHANDLED/i);
  };

  it("restarted (connections reset, port closed): DATABASE_UNAVAILABLE meanwhile, no crash, full service after", async () => {
    if (!subgraph || !proxy) return;
    expect(await askRegion(subgraph.url)).toEqual({ kind: "ok" });
    expectSurvived(await underLoad(subgraph, () => proxy!.cut(), () => proxy!.restore(), 20));
  }, 180_000);

  it("frozen (nothing passes, connections stay open): answered DATABASE_UNAVAILABLE within the query timeout, never hangs", async () => {
    if (!subgraph || !proxy) return;
    expectSurvived(await underLoad(subgraph, () => proxy!.freeze(), () => proxy!.thaw(), 8));
  }, 180_000);
});
