import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startGateway } from "../../gateway/src/server";
import { readCommittedSupergraph } from "../../gateway/src/supergraph";
import { childrenOf } from "../../shared/src/regions";
import { DEPARTMENTS } from "../../shared/src/config";
import type { RunningService } from "../../shared/src/service";
import { generateCounty, type County } from "../../shared/src/synthetic/county";
import { writeCounty } from "../../shared/src/synthetic/write";
import { dialectsUnderTest, isMysqlAvailable } from "../helpers/databases";
import { TEST_SECRETS, expectNoErrors, postGraphQL, startPlatform, tokenFor, type Platform } from "../helpers/platform";

/**
 * Nothing lost, nothing doubled: the department commits a write but its answer never reaches the gateway
 * (the connection drops on the way back). The gateway does not retry; the client sees SUBGRAPH_UNAVAILABLE,
 * retries with the same idempotency key and gets the first result, and the record exists once.
 */
const ISSUE = `mutation Issue($input: IssueBirthCertificateInput!, $key: String) {
  issueBirthCertificate(input: $input, idempotencyKey: $key) { certificateNumber birthOrder }
}`;
const BIRTHS = `query($n: String) { person(idNumber: $n) { birthsGiven { certificateNumber birthOrder } } }`;

/** Forwards to the real subgraph; while `loseNext` is set, drops the connection after the subgraph has answered a mutation. */
async function startLossyProxy(target: string) {
  const state = { loseNext: false, mutations: 0 };
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string" && !["host", "content-length", "connection", "keep-alive"].includes(name)) headers[name] = value;
    }
    const isMutation = /issueBirthCertificate/.test(body);
    if (isMutation) state.mutations++;
    const upstream = await fetch(target, { method: req.method, headers, body: req.method === "POST" ? body : undefined });
    const answer = await upstream.text();
    if (isMutation && state.loseNext) {
      state.loseNext = false;
      req.socket.destroy(); // committed at the department, answer lost on the way back
      return;
    }
    res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/json" });
    res.end(answer);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe.each(dialectsUnderTest())("a write whose answer is lost, on %s", (dialect) => {
  let platform: Platform | undefined;
  let county: County;
  let proxy: Awaited<ReturnType<typeof startLossyProxy>> | undefined;
  let gateway: RunningService | undefined;

  beforeAll(async () => {
    if (dialect === "mysql" && !(await isMysqlAvailable())) return;
    county = generateCounty({ countyCode: "522328", people: 300, seed: 5 });
    platform = await startPlatform(dialect, { seed: (urls) => writeCounty(county, urls).then(() => undefined) });
    proxy = await startLossyProxy(platform.subgraphs.health.url);
    gateway = await startGateway({
      supergraphSdl: readCommittedSupergraph(),
      subgraphUrls: { ...Object.fromEntries(DEPARTMENTS.map((d) => [d, platform!.subgraphs[d].url])), health: proxy.url },
      subgraphTimeoutMs: 5000,
      jwtSecret: TEST_SECRETS.JWT_SECRET,
      identitySigningSecret: TEST_SECRETS.IDENTITY_SIGNING_SECRET,
    });
  }, 120_000);
  afterAll(async () => {
    await gateway?.stop();
    await proxy?.close();
    await platform?.stop();
  });

  it("is attempted once by the gateway, and the client's retry with the same key returns it without writing it twice", async () => {
    if (!platform || !gateway || !proxy) return;
    const mother = county.tables["public-security"].person.find(
      (p) =>
        p.sex === "FEMALE" &&
        p.status === "ACTIVE" &&
        p.birthDate >= "1990-01-01" &&
        p.birthDate <= "1998-12-31" &&
        county.tables.health.birthCertificate.every((b) => b.motherIdNumber !== p.idNumber),
    )!;
    const input = {
      certificateNumber: "Z955000001",
      childName: "王安",
      sex: "FEMALE",
      birthDate: "2026-03-01",
      motherIdNumber: mother.idNumber,
      fatherIdNumber: null,
      institution: "安龙县人民医院",
      regionCode: childrenOf("522328101")[0].code,
    };
    const send = async () =>
      postGraphQL(gateway!.url, { query: ISSUE, variables: { input, key: "lost-answer-1" } }, { authorization: `Bearer ${await tokenFor({ dept: "health" })}`, "x-purpose": "fault test" });

    proxy.state.loseNext = true;
    const lost = await send();
    expect(lost.body.errors?.map((e) => [e.extensions?.code, e.extensions?.serviceName])).toEqual([["SUBGRAPH_UNAVAILABLE", "health"]]);
    expect(proxy.state.mutations).toBe(1); // the gateway did not send it again

    const retried = expectNoErrors(await send()).issueBirthCertificate;
    expect(retried).toEqual({ certificateNumber: "Z955000001", birthOrder: 1 });
    expect(proxy.state.mutations).toBe(2); // one per client attempt

    const births = expectNoErrors(await platform.query(BIRTHS, { n: mother.idNumber }, { claims: { dept: "health" } })).person.birthsGiven;
    expect(births).toEqual([{ certificateNumber: "Z955000001", birthOrder: 1 }]);
  });
});
