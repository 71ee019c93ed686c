import { IDENTITY_HEADER, signIdentity } from "../../shared/src/auth/identity-header";
import { createTestDatabases, isMysqlAvailable, MYSQL_SERVER_URL, type TestDatabases } from "../helpers/databases";
import { TEST_SECRETS } from "../helpers/platform";
import { TEST_CALLER, TcpProxy, ensureBuilt, getStatus, killService, sleep, spawnService, type ServiceProcess } from "../helpers/processes";

/**
 * MariaDB going away under load, simulated by a TCP proxy between a civil-affairs subgraph (a real process)
 * and the server: the test cuts every connection and closes the port, as a restart does, then restores it.
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

describe("MariaDB restarted under load (simulated by cutting a TCP proxy)", () => {
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
    });
  }, 300_000);

  afterAll(async () => {
    await killService(subgraph);
    await proxy?.stop();
    await databases?.drop();
  });

  it("answers DATABASE_UNAVAILABLE during the outage, never hangs or crashes, and serves fully again after it", async () => {
    if (!subgraph || !proxy) return;
    const base = subgraph.url.replace(/\/graphql$/, "");
    expect(await askRegion(subgraph.url)).toEqual({ kind: "ok" });
    expect((await getStatus(`${base}/ready`)).status).toBe(200);

    const phase = { current: "before" as "before" | "outage" | "after" };
    const outcomes: Record<string, Outcome[]> = { before: [], outage: [], after: [] };
    let running = true;
    const workers = Array.from({ length: 6 }, async () => {
      while (running) {
        const at = phase.current;
        const outcome = await askRegion(subgraph!.url);
        // A request that was in flight when the phase changed belongs to the outage.
        outcomes[phase.current === at ? at : "outage"].push(outcome);
        if (outcome.kind === "other") await sleep(50);
      }
    });
    const waitFor = async (condition: () => boolean | Promise<boolean>, boundMs: number) => {
      const deadline = Date.now() + boundMs;
      while (!(await condition())) {
        if (Date.now() > deadline) return false;
        await sleep(50);
      }
      return true;
    };

    try {
      await waitFor(() => outcomes.before.length >= 30, 30_000);
      await proxy.cut();
      phase.current = "outage";
      const sawOutage = await waitFor(() => outcomes.outage.filter((o) => o.kind === "coded").length >= 20, 30_000);
      const readyDuringOutage = await getStatus(`${base}/ready`);
      const liveDuringOutage = await getStatus(`${base}/health`);
      await proxy.restore();
      phase.current = "after";
      // Back within a bounded wait, then every one of 60 further requests succeeds (every pool connection renewed).
      const recovered = await waitFor(() => outcomes.after.some((o) => o.kind === "ok"), 20_000);
      const firstOk = outcomes.after.findIndex((o) => o.kind === "ok");
      await waitFor(() => outcomes.after.length >= firstOk + 60, 30_000);
      running = false;
      await Promise.all(workers);

      const summary = Object.fromEntries(Object.entries(outcomes).map(([k, v]) => [k, v.map((o) => (o.kind === "coded" ? o.codes.join("+") : o.kind))]));
      expect({ sawOutage, recovered, firstOk }).toEqual({ sawOutage: true, recovered: true, firstOk: expect.any(Number) });
      expect(summary.before.every((o) => o === "ok")).toBe(true);
      expect(readyDuringOutage.status).toBe(503);
      expect(readyDuringOutage.body).toMatchObject({ status: "unavailable", reason: "database" });
      expect(liveDuringOutage.status).toBe(200);
      // During the outage: only coded errors, all DATABASE_UNAVAILABLE; nothing unanswered, nothing internal.
      const outageCodes = new Set(outcomes.outage.flatMap((o) => (o.kind === "coded" ? o.codes : [o.kind === "other" ? o.detail : "ok"])));
      outageCodes.delete("ok");
      expect([...outageCodes]).toEqual(["DATABASE_UNAVAILABLE"]);
      expect(outcomes.after.slice(firstOk).filter((o) => o.kind !== "ok")).toEqual([]);
      expect((await getStatus(`${base}/ready`)).status).toBe(200);
      expect(subgraph.alive()).toBe(true);
      expect(subgraph.output()).not.toMatch(/Unhandled|uncaught|ERR_UNHANDLED/i);
    } finally {
      running = false;
      await Promise.all(workers);
    }
  }, 180_000);
});
