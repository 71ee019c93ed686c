import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createConnection } from "mysql2/promise";
import { defaultScopes } from "../../shared/src/auth/grants";
import type { Caller } from "../../shared/src/auth/caller";
import { DEPARTMENTS, envPrefix } from "../../shared/src/config";
import { createTestDatabases, isMysqlAvailable, type TestDatabases } from "../helpers/databases";
import { tokenFor } from "../helpers/platform";
import { ensureBuilt, exitWithin, getStatus, killService, querySubgraph, sleep, spawnService, type ServiceProcess } from "../helpers/processes";

/**
 * SIGTERM to a real service process while a deliberately slow request is in flight: that request is
 * answered, new ones are refused, the process exits 0. And `/health` (live) and `/ready` on each service.
 */

/** A stand-in subgraph: answers /health, and holds every GraphQL request until `release()`. */
async function startHeldSubgraph(answer: unknown) {
  const held: ServerResponse[] = [];
  let received = 0;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url === "/health") {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ status: "ok" }));
      return;
    }
    req.resume();
    req.on("end", () => {
      received++;
      held.push(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    received: () => received,
    release() {
      for (const res of held.splice(0)) {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify(answer));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function waitUntil(condition: () => boolean | Promise<boolean>, boundMs = 15_000): Promise<boolean> {
  const deadline = Date.now() + boundMs;
  while (!(await condition())) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

beforeAll(() => ensureBuilt(), 300_000);

describe("gateway process: SIGTERM and readiness", () => {
  const held: Awaited<ReturnType<typeof startHeldSubgraph>>[] = [];
  let gateway: ServiceProcess | undefined;

  beforeAll(async () => {
    for (const _ of DEPARTMENTS) held.push(await startHeldSubgraph({ data: { birthCertificate: { childName: "张小明" } } }));
    gateway = await spawnService("gateway/src/index.js", {
      GATEWAY_PORT: "0",
      SUBGRAPH_TIMEOUT_MS: "30000",
      ...Object.fromEntries(DEPARTMENTS.map((d, i) => [`${envPrefix(d)}_URL`, held[i].url])),
    });
  });
  afterAll(async () => {
    await killService(gateway);
    for (const subgraph of held) await subgraph.close();
  });

  it("is live and ready while every subgraph answers, and names the one that does not", async () => {
    const base = gateway!.url.replace(/\/graphql$/, "");
    expect(await getStatus(`${base}/health`)).toEqual({ status: 200, body: { status: "ok", service: "gateway" } });
    const ready = await getStatus(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body.subgraphs).toEqual(Object.fromEntries(DEPARTMENTS.map((d) => [d, "ok"])));

    const health = DEPARTMENTS.indexOf("health");
    const stopped = held[health];
    await stopped.close();
    try {
      const notReady = await getStatus(`${base}/ready`);
      expect(notReady.status).toBe(503);
      expect(notReady.body).toMatchObject({ status: "unavailable", subgraphs: { health: "unavailable", population: "ok" } });
      expect(JSON.stringify(notReady.body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
      expect((await getStatus(`${base}/health`)).status).toBe(200);
    } finally {
      held[health] = await startHeldSubgraph({ data: { birthCertificate: { childName: "张小明" } } });
    }
  });

  it("on SIGTERM finishes the request in flight, refuses new ones and exits 0", async () => {
    // The gateway still points at the first stand-in for health; restart the gateway against the new one.
    await killService(gateway);
    gateway = await spawnService("gateway/src/index.js", {
      GATEWAY_PORT: "0",
      SUBGRAPH_TIMEOUT_MS: "30000",
      ...Object.fromEntries(DEPARTMENTS.map((d, i) => [`${envPrefix(d)}_URL`, held[i].url])),
    });
    const slow = held[DEPARTMENTS.indexOf("health")];
    const token = await tokenFor({ dept: "health" });
    const headers = { "content-type": "application/json", authorization: `Bearer ${token}`, "x-purpose": "shutdown test" };
    const inFlight = fetch(gateway.url, {
      method: "POST",
      headers,
      body: JSON.stringify({ query: `{ birthCertificate(certificateNumber: "Q000000001") { childName } }` }),
      signal: AbortSignal.timeout(30_000),
    }).then(async (response) => ({ status: response.status, body: await response.json() }));
    expect(await waitUntil(() => slow.received() === 1)).toBe(true);

    gateway.child.kill("SIGTERM");
    const refused = await waitUntil(async () => (await getStatus(`${gateway!.url.replace(/\/graphql$/, "")}/health`, 2000)).status !== 200);
    const afterSignal = await getStatus(`${gateway.url.replace(/\/graphql$/, "")}/health`, 2000);
    expect(refused).toBe(true);
    expect([0, 503]).toContain(afterSignal.status);
    expect(gateway.alive()).toBe(true); // still waiting for the request in flight

    slow.release();
    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(answered.body).toEqual({ data: { birthCertificate: { childName: "张小明" } } });
    expect(await exitWithin(gateway, 15_000)).toBe(0);
  }, 60_000);
});

describe("subgraph process: SIGTERM with a query waiting on a locked table (MySQL)", () => {
  let databases: TestDatabases | undefined;
  let subgraph: ServiceProcess | undefined;

  beforeAll(async () => {
    if (!(await isMysqlAvailable())) return;
    databases = await createTestDatabases("mysql");
    subgraph = await spawnService("subgraphs/health/src/index.js", { HEALTH_DATABASE_URL: databases.urls.health, HEALTH_PORT: "0" });
  }, 120_000);
  afterAll(async () => {
    await killService(subgraph);
    await databases?.drop();
  });

  it("is ready while its database answers; on SIGTERM the query in flight is answered, new ones refused, exit 0", async () => {
    if (!subgraph || !databases) return;
    const base = subgraph.url.replace(/\/graphql$/, "");
    expect(await getStatus(`${base}/health`)).toEqual({ status: 200, body: { status: "ok", service: "health" } });
    expect(await getStatus(`${base}/ready`)).toEqual({ status: 200, body: { status: "ready", service: "health" } });

    const caller: Caller = { sub: "clerk", dept: "health", scopes: defaultScopes("health"), region: "", purpose: "shutdown test", requestId: "shutdown-1" };
    const lock = await createConnection(databases.urls.health);
    try {
      await lock.query("LOCK TABLES birth_certificate WRITE");
      const inFlight = querySubgraph(subgraph.url, `{ birthCertificate(certificateNumber: "Q000000001") { childName } }`, undefined, caller);
      // The query is waiting for the lock: the subgraph has sent it to MariaDB.
      expect(
        await waitUntil(async () => {
          const [rows] = await lock.query("SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE STATE LIKE '%lock%' AND INFO LIKE '%birth_certificate%'");
          return Number((rows as { n: number }[])[0].n) > 0;
        }),
      ).toBe(true);

      subgraph.child.kill("SIGTERM");
      expect(await waitUntil(async () => (await getStatus(`${base}/health`, 2000)).status !== 200)).toBe(true);
      expect([0, 503]).toContain((await getStatus(`${base}/ready`, 2000)).status);
      expect(subgraph.alive()).toBe(true);

      await lock.query("UNLOCK TABLES");
      const answered = await inFlight;
      expect(answered.status).toBe(200);
      expect(answered.body).toEqual({ data: { birthCertificate: null } });
    } finally {
      await lock.end();
    }
    expect(await exitWithin(subgraph, 15_000)).toBe(0);
  }, 60_000);
});
