import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startGateway } from "../../gateway/src/server";
import { readCommittedSupergraph } from "../../gateway/src/supergraph";
import { DEPARTMENTS } from "../../shared/src/config";
import type { RunningService } from "../../shared/src/service";
import { dialectsUnderTest, isMysqlAvailable } from "../helpers/databases";
import { TEST_SECRETS, postGraphQL, startPlatform, tokenFor, type Platform } from "../helpers/platform";

const MIXED_QUERY = `{
  region(code: "522328") { name }
  birthCertificate(certificateNumber: "Q000000001") { childName }
}`;

/** An HTTP server that accepts requests and never answers: a department that hangs. */
async function startHangingServer(): Promise<{ url: string; close(): Promise<void>; pending: () => number }> {
  let pending = 0;
  const server: Server = createServer(() => {
    pending++;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    pending: () => pending,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe.each(dialectsUnderTest())("a department that is down or slow, on %s", (dialect) => {
  let platform: Platform | undefined;

  beforeAll(async () => {
    if (dialect === "mysql" && !(await isMysqlAvailable())) return;
    platform = await startPlatform(dialect);
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it("a stopped subgraph yields null for its fields plus SUBGRAPH_UNAVAILABLE, and the others still answer; it recovers on return", async () => {
    if (!platform) return;
    await platform.stopSubgraph("health");
    try {
      const response = await platform.query(MIXED_QUERY);
      expect(response.status).toBe(200);
      expect(response.body.data).toEqual({ region: { name: "安龙县" }, birthCertificate: null });
      const error = response.body.errors?.find((e) => e.extensions?.code === "SUBGRAPH_UNAVAILABLE");
      expect(error?.extensions?.serviceName).toBe("health");
      // The client learns which department failed, not where it runs or why the socket closed.
      expect(JSON.stringify(response.body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|fetch failed/);
    } finally {
      await platform.restartSubgraph("health");
    }
    const recovered = await platform.query(MIXED_QUERY);
    expect(recovered.body.errors).toBeUndefined();
    expect(recovered.body.data).toEqual({ region: { name: "安龙县" }, birthCertificate: null });
  });

  it("a subgraph slower than the timeout yields null plus an error within the timeout", async () => {
    if (!platform) return;
    const hanging = await startHangingServer();
    let gateway: RunningService | undefined;
    try {
      gateway = await startGateway({
        supergraphSdl: readCommittedSupergraph(),
        subgraphUrls: { ...Object.fromEntries(DEPARTMENTS.map((d) => [d, platform!.subgraphs[d].url])), health: hanging.url },
        subgraphTimeoutMs: 500,
        jwtSecret: TEST_SECRETS.JWT_SECRET,
        identitySigningSecret: TEST_SECRETS.IDENTITY_SIGNING_SECRET,
      });
      const started = Date.now();
      const response = await postGraphQL(gateway.url, { query: MIXED_QUERY }, { authorization: `Bearer ${await tokenFor()}`, "x-purpose": "test" });
      const elapsed = Date.now() - started;
      expect(response.body.data).toEqual({ region: { name: "安龙县" }, birthCertificate: null });
      expect(response.body.errors?.[0].extensions).toMatchObject({ code: "SUBGRAPH_UNAVAILABLE", serviceName: "health" });
      expect(response.body.errors?.[0].message).toMatch(/not answering in time/);
      expect(elapsed).toBeLessThan(5000); // generous: the point is that it does not wait for the hanging server
      expect(hanging.pending()).toBe(1);
    } finally {
      await gateway?.stop();
      await hanging.close();
    }
  });

  it("the gateway starts while a subgraph is down, and serves the other departments", async () => {
    if (!platform) return;
    const gateway = await startGateway({
      supergraphSdl: readCommittedSupergraph(),
      subgraphUrls: { ...Object.fromEntries(DEPARTMENTS.map((d) => [d, platform!.subgraphs[d].url])), health: "http://127.0.0.1:9/graphql" },
      subgraphTimeoutMs: 2000,
      jwtSecret: TEST_SECRETS.JWT_SECRET,
      identitySigningSecret: TEST_SECRETS.IDENTITY_SIGNING_SECRET,
    });
    try {
      const response = await postGraphQL(gateway.url, { query: MIXED_QUERY }, { authorization: `Bearer ${await tokenFor()}`, "x-purpose": "test" });
      expect(response.body.data?.region).toEqual({ name: "安龙县" });
      expect(response.body.errors?.[0].extensions?.code).toBe("SUBGRAPH_UNAVAILABLE");
    } finally {
      await gateway.stop();
    }
  });
});
