import { makeIdNumber } from "../../shared/src/id-number";
import { personIdFor } from "../../shared/src/person-id";
import { PersonRecord } from "../../subgraphs/public-security/src/person/person.entity";
import { HukouType, PersonStatus } from "../../subgraphs/public-security/src/person/person.enums";
import { Sex } from "../../shared/src/graphql/common";
import { dialectsUnderTest, isMysqlAvailable } from "../helpers/databases";
import { expectNoErrors, postGraphQL, startPlatform, tokenFor, type Platform } from "../helpers/platform";

describe.each(dialectsUnderTest())("gateway and subgraphs on %s", (dialect) => {
  let platform: Platform | undefined;

  beforeAll(async () => {
    if (dialect === "mysql" && !(await isMysqlAvailable())) return;
    platform = await startPlatform(dialect);
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const run = (name: string, body: (p: Platform) => Promise<void>) =>
    it(name, async () => {
      if (!platform) return; // MySQL not reachable and not required
      await body(platform);
    });

  run("serves the playground at its root with everything inline (no CDN)", async (p) => {
    const response = await fetch(p.gatewayUrl.replace(/graphql$/, ""));
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("GraphiQL");
    expect(html).toContain("PersonProfile");
    expect(html).not.toMatch(/<script[^>]+src=["']https?:/i);
    expect(html).not.toMatch(/<link[^>]+href=["']https?:/i);
  });

  run("refuses a request without a token with 401 UNAUTHENTICATED", async (p) => {
    const response = await p.query("{ region(code: \"522328\") { name } }", undefined, { token: null });
    expect(response.status).toBe(401);
    expect(response.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });

  run("refuses an unsigned (alg: none) token", async (p) => {
    const header = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
    const payload = Buffer.from(JSON.stringify({ sub: "x", dept: "population", iss: "pis-platform", aud: "pis-gateway", exp: 4e9 })).toString("base64url");
    const response = await p.query("{ region(code: \"522328\") { name } }", undefined, { token: `${header}.${payload}.` });
    expect(response.status).toBe(401);
    expect(response.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });

  run("a subgraph refuses calls that do not come through the gateway", async (p) => {
    const direct = await postGraphQL(p.subgraphs["public-security"].url, { query: "{ people { totalCount } }" });
    expect(direct.status).toBe(401);
    expect(direct.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    const forged = await postGraphQL(
      p.subgraphs["public-security"].url,
      { query: "{ people { totalCount } }" },
      { "x-pis-identity": `${Buffer.from(JSON.stringify({ sub: "me", dept: "population", iat: Date.now() })).toString("base64url")}.forged` },
    );
    expect(forged.status).toBe(401);
    expect(forged.body.data ?? null).toBeNull();
  });

  run("serves real divisions from civil-affairs with parent and children", async (p) => {
    const data = expectNoErrors(
      await p.query(`{ region(code: "522328") { code name level parent { code name parent { name } } children { code name level } } }`),
    );
    expect(data.region).toMatchObject({ code: "522328", name: "安龙县", level: "COUNTY", parent: { code: "5223", parent: { name: "贵州省" } } });
    expect(data.region.children.length).toBeGreaterThan(10);
    expect(data.region.children.every((c: { code: string; level: string }) => c.code.startsWith("522328") && c.level === "TOWN")).toBe(true);
  });

  run("rejects an invalid ID number with BAD_USER_INPUT naming the argument, before any SQL", async (p) => {
    const before = p.statementCounts();
    const response = await p.query(`query($n: String) { person(idNumber: $n) { name } }`, { n: "110105194912310021" });
    expect(response.body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(response.body.errors?.[0].extensions?.field).toBe("idNumber");
    expect(response.body.errors?.[0].message).toMatch(/check character/);
    expect(p.statementCounts()).toEqual(before);
  });

  run("rejects an unknown division code with BAD_USER_INPUT naming the filter field, before any SQL", async (p) => {
    const before = p.statementCounts();
    const response = await p.query(`{ people(filter: { regionCode: "522399" }) { totalCount } }`);
    expect(response.body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(response.body.errors?.[0].extensions?.field).toBe("filter.regionCode");
    const births = await p.query(`{ birthCertificates(filter: { regionCode: "12AB" }) { totalCount } }`);
    expect(births.body.errors?.[0].extensions?.field).toBe("filter.regionCode");
    expect(p.statementCounts()).toEqual(before);
  });

  run("round-trips a name with characters outside the BMP (utf8mb4)", async (p) => {
    const idNumber = makeIdNumber("522328", "1990-05-17", 124);
    const id = personIdFor(idNumber);
    await p.subgraphs["public-security"].db!.dataSource.getRepository(PersonRecord).insert({
      id,
      idNumber,
      name: "𠮷㛃",
      sex: Sex.FEMALE,
      birthDate: "1990-05-17",
      ethnicity: "布依族",
      status: PersonStatus.ACTIVE,
      hukouType: HukouType.RURAL,
      hukouRegionCode: "522328100201",
      hukouRegisteredOn: "1990-06-01",
    });
    const data = expectNoErrors(await p.query(`query($n: String) { person(idNumber: $n) { id name ethnicity birthDate sex } }`, { n: idNumber.toLowerCase() }));
    expect(data.person).toEqual({ id, name: "𠮷㛃", ethnicity: "布依族", birthDate: "1990-05-17", sex: "FEMALE" });
  });

  run("hides internal errors: a malformed cursor is BAD_USER_INPUT, never a stack trace", async (p) => {
    const response = await p.query(`{ people(after: "bm9wZQ") { totalCount } }`);
    expect(response.body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(JSON.stringify(response.body)).not.toMatch(/stacktrace|at .*\.ts:\d+|SELECT /);
  });

  run("issues tokens the gateway accepts for every department role", async (p) => {
    for (const dept of ["population", "public_security", "civil_affairs", "health", "analyst"] as const) {
      const response = await p.query(`{ region(code: "52") { name } }`, undefined, { token: await tokenFor({ dept }) });
      expect(expectNoErrors(response).region.name).toBe("贵州省");
    }
  });
});
