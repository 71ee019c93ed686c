import { DataSource } from "typeorm";
import { verifyChain } from "../../shared/src/audit/chain";
import { AccessLogRecord } from "../../shared/src/audit/access-log.entity";
import { CALLER_DEPARTMENTS, type CallerDepartment } from "../../shared/src/auth/caller";
import { GRANTS, type FieldGroup } from "../../shared/src/auth/grants";
import { IDENTITY_HEADER, signIdentity } from "../../shared/src/auth/identity-header";
import { issueAccessToken } from "../../shared/src/auth/tokens";
import type { DepartmentName } from "../../shared/src/config";
import { maskIdNumber } from "../../shared/src/id-number";
import { generateCounty, type County } from "../../shared/src/synthetic/county";
import { exampleVariablesFor } from "../../shared/src/synthetic/seed";
import { writeCounty } from "../../shared/src/synthetic/write";
import { sha256 } from "../../gateway/src/partners";
import { dialectsUnderTest, isMysqlAvailable } from "../helpers/databases";
import { TEST_SECRETS, expectNoErrors, postGraphQL, startPlatform, tokenFor, type GraphQLResponse, type Platform } from "../helpers/platform";

const COUNTY = { countyCode: "522328", people: 800, seed: 21 };

/** Each probed field, the group that grants it, the department that owns it and a table it reads. */
const PROBES: { field: string; selection: string; group: FieldGroup; owner: DepartmentName; table: string }[] = [
  { field: "hukou", selection: "hukou { type }", group: "hukou", owner: "public-security", table: "household" },
  { field: "maritalStatus", selection: "maritalStatus", group: "marriage", owner: "civil-affairs", table: "marriage_record" },
  { field: "death", selection: "death { deathDate }", group: "civil-status", owner: "civil-affairs", table: "death_registration" },
  { field: "birthsGiven", selection: "birthsGiven { certificateNumber }", group: "births", owner: "health", table: "birth_certificate" },
  { field: "prePregnancyChecks", selection: "prePregnancyChecks { id }", group: "health", owner: "health", table: "pre_pregnancy_check" },
  { field: "familyPlanning", selection: "familyPlanning { associationMember }", group: "family-planning", owner: "population", table: "association_member" },
  { field: "accessLog", selection: "accessLog { at }", group: "audit", owner: "public-security", table: "access_log" },
];

const ROLES = CALLER_DEPARTMENTS.filter((d) => d !== "citizen" && d !== "partner");

function errorAt(response: GraphQLResponse, path: string) {
  return response.body.errors?.find((e) => (e.path ?? []).join(".") === path);
}

describe.each(dialectsUnderTest())("access control, privacy and the access log on %s", (dialect) => {
  let platform: Platform | undefined;
  let county: County;
  let subject: { idNumber: string; town: string };

  beforeAll(async () => {
    if (dialect === "mysql" && !(await isMysqlAvailable())) return;
    county = generateCounty(COUNTY);
    const example = exampleVariablesFor(county, "2000-01-01", "2025-12-31");
    subject = { idNumber: example.idNumber, town: example.regionCode };
    platform = await startPlatform(dialect, { seed: (urls) => writeCounty(county, urls).then(() => undefined) });
  }, 120_000);
  afterAll(async () => {
    await platform?.stop();
  });

  describe("field level: every role x every field group", () => {
    it.each(ROLES)("%s sees its granted groups, gets null + FORBIDDEN for the rest, and masked identities without the grants", async (role) => {
      if (!platform) return;
      const claims = { dept: role as CallerDepartment, sub: `matrix-${role}` };
      for (const probe of PROBES) {
        const before = platform.subgraphs[probe.owner].db!.statements.recent.length;
        const response = await platform.query(`query($n: String) { person(idNumber: $n) { id ${probe.selection} } }`, { n: subject.idNumber }, { claims });
        const granted = GRANTS[role as CallerDepartment].read.includes(probe.group);
        const person = response.body.data?.person;
        expect(person?.id).toBeTruthy();
        const error = errorAt(response, `person.${probe.field}`);
        if (granted) {
          expect(error).toBeUndefined();
        } else {
          expect(person[probe.field]).toBeNull();
          expect(error?.extensions?.code).toBe("FORBIDDEN");
          // The protected table was never queried for the denied field.
          const statements = platform.subgraphs[probe.owner].db!.statements.recent.slice(before);
          const table = new RegExp(`[\`"]${probe.table}[\`"]`);
          expect(statements.filter((q) => table.test(q) && !q.startsWith("INSERT"))).toEqual([]);
        }
      }
      const identity = await platform.query(`query($n: String) { person(idNumber: $n) { idNumber name } }`, { n: subject.idNumber }, { claims });
      const person = identity.body.data?.person;
      const grants = GRANTS[role as CallerDepartment].read;
      if (grants.includes("id-number")) expect(person.idNumber).toBe(subject.idNumber);
      else if (grants.includes("identity") || grants.includes("identity-masked")) expect(person.idNumber).toBe(maskIdNumber(subject.idNumber));
      if (!grants.includes("identity") && grants.includes("identity-masked")) expect(person.name).toMatch(/^.\*+$/u);
    });
  });

  it("masks the names of children under 14 for callers without the minors grant, and never for the family's departments", async () => {
    if (!platform) return;
    const child = county.tables["public-security"].person.find((p) => p.birthDate > "2016-01-01")!;
    const query = `query($n: String) { person(idNumber: $n) { name } }`;
    const clerk = expectNoErrors(await platform.query(query, { n: child.idNumber }, { claims: { dept: "population" } }));
    expect(clerk.person.name).toBe(child.name);
    const narrow = expectNoErrors(await platform.query(query, { n: child.idNumber }, { claims: { dept: "population", scope: "read:identity" } }));
    expect(narrow.person.name).toBe([...child.name][0] + "*".repeat([...child.name].length - 1));
  });

  it("refuses personal data without a purpose with PURPOSE_REQUIRED, but not public reference data", async () => {
    if (!platform) return;
    const response = await platform.query(`query($n: String) { person(idNumber: $n) { name } region(code: "522328") { name } }`, { n: subject.idNumber }, { purpose: null });
    expect(errorAt(response, "person.name")?.extensions?.code).toBe("PURPOSE_REQUIRED");
    expect(response.body.data?.region).toEqual({ name: "安龙县" });
  });

  describe("row level", () => {
    it("limits lists and lookups to the token's region, indistinguishable from absence", async () => {
      if (!platform) return;
      const persons = county.tables["public-security"].person;
      const inside = persons.filter((p) => p.hukouRegionCode.startsWith(subject.town));
      const outside = persons.find((p) => !p.hukouRegionCode.startsWith(subject.town))!;
      const claims = { dept: "population" as const, region: subject.town };
      const list = expectNoErrors(await platform.query(`{ people(first: 200) { totalCount nodes { hukou { region { code } } } } }`, undefined, { claims }));
      expect(list.people.totalCount).toBe(inside.length);
      expect(list.people.nodes.every((n: any) => n.hukou.region.code.startsWith(subject.town))).toBe(true);
      const hidden = await platform.query(`query($n: String) { person(idNumber: $n) { name } }`, { n: outside.idNumber }, { claims });
      const absent = await platform.query(`query($n: String) { person(idNumber: $n) { name } }`, { n: "11010519491231002X" }, { claims });
      expect(hidden.body).toEqual(absent.body);
      expect(hidden.body.data?.person).toBeNull();
      const births = expectNoErrors(await platform.query(`{ birthCertificates(first: 200) { totalCount nodes { region { code } } } }`, undefined, { claims }));
      expect(births.birthCertificates.nodes.every((n: any) => n.region.code.startsWith(subject.town))).toBe(true);
      expect(births.birthCertificates.totalCount).toBe(county.tables.health.birthCertificate.filter((b) => b.regionCode.startsWith(subject.town)).length);
      const marriages = expectNoErrors(await platform.query(`{ marriageRecords(first: 200) { totalCount nodes { region { code } } } }`, undefined, { claims }));
      expect(marriages.marriageRecords.nodes.every((n: any) => n.region.code.startsWith(subject.town))).toBe(true);
    });

    it("lets a citizen read only their own record and their own access log", async () => {
      if (!platform) return;
      const self = await platform.query(`query($n: String) { person(idNumber: $n) { id } }`, { n: subject.idNumber });
      const personId = self.body.data!.person.id as string;
      const claims = { dept: "citizen" as const, personId, sub: "citizen-self" };
      const own = expectNoErrors(await platform.query(`query($n: String) { person(idNumber: $n) { name birthsGiven { certificateNumber } accessLog { department operator purpose fields } } }`, { n: subject.idNumber }, { claims }));
      expect(own.person.name).toBeTruthy();
      expect(own.person.accessLog.length).toBeGreaterThan(0);
      const other = county.tables["public-security"].person.find((p) => p.idNumber !== subject.idNumber)!;
      const foreign = await platform.query(`query($n: String) { person(idNumber: $n) { name } }`, { n: other.idNumber }, { claims });
      expect(foreign.body.data?.person).toBeNull();
      const list = expectNoErrors(await platform.query(`{ people { totalCount } }`, undefined, { claims }));
      expect(list.people.totalCount).toBe(1);
    });
  });

  describe("spoofing", () => {
    it("refuses expired tokens, tokens signed with another key and forged service identities", async () => {
      if (!platform) return;
      const query = `{ region(code: "52") { name } }`;
      const expired = await issueAccessToken({ sub: "x", dept: "population", scope: "", region: "" }, TEST_SECRETS.JWT_SECRET, "-1m");
      const wrongKey = await issueAccessToken({ sub: "x", dept: "population", scope: "", region: "" }, "another-secret-another-secret-another");
      for (const token of [expired, wrongKey, "not.a.token"]) {
        const response = await platform.query(query, undefined, { token });
        expect(response.status).toBe(401);
        expect(response.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
      }
      const clerk = { sub: "clerk", dept: "population" as const, scopes: ["read:identity"], region: "", purpose: "x", requestId: "r" };
      const forged = await postGraphQL(platform.gatewayUrl, { query }, { [IDENTITY_HEADER]: signIdentity({ ...clerk, sub: "service:population" }, "wrong-secret") });
      expect(forged.status).toBe(401);
      // A genuine signature, but for a person rather than a service: only services sign their own identity.
      const notService = await postGraphQL(platform.gatewayUrl, { query }, { [IDENTITY_HEADER]: signIdentity(clerk, TEST_SECRETS.IDENTITY_SIGNING_SECRET) });
      expect(notService.status).toBe(401);
      // Identity headers from a client are never passed on: the gateway signs its own.
      const smuggled = await platform.query(`query($n: String) { person(idNumber: $n) { idNumber } }`, { n: subject.idNumber }, { claims: { dept: "analyst" }, headers: { "x-pis-identity-extra": "1" } });
      expect(smuggled.body.data?.person.idNumber).toBe(maskIdNumber(subject.idNumber));
    });
  });

  describe("the access log", () => {
    it("holds exactly one entry per person and department read, with denials, and verifies until a row is edited", async () => {
      if (!platform) return;
      const persons = county.tables["public-security"].person.slice(0, 3);
      const sub = `audit-batch-${dialect}`;
      const counts = async () => {
        const result: Record<string, number> = {};
        for (const d of ["public-security", "civil-affairs", "health", "population"] as DepartmentName[]) {
          result[d] = await platform!.subgraphs[d].db!.dataSource.getRepository(AccessLogRecord).countBy({ operator: sub });
        }
        return result;
      };
      expect(await counts()).toEqual({ "public-security": 0, "civil-affairs": 0, health: 0, population: 0 });
      for (const person of persons) {
        await platform.query(`query($n: String) { person(idNumber: $n) { name hukou { type } maritalStatus marriages { kind } } }`, { n: person.idNumber }, { claims: { dept: "civil_affairs", sub } });
      }
      // One denial: civil affairs may not read birth certificates.
      const denied = await platform.query(`query($n: String) { person(idNumber: $n) { birthsGiven { certificateNumber } } }`, { n: persons[0].idNumber }, { claims: { dept: "civil_affairs", sub } });
      expect(errorAt(denied, "person.birthsGiven")?.extensions?.code).toBe("FORBIDDEN");
      const after = await counts();
      expect(after["public-security"]).toBe(3);
      // Each request made civil affairs read the person and, through their marriage records, the spouses:
      // one entry per person per request.
      const perRequest = persons.map((person) => {
        const touched = new Set([person.id]);
        for (const m of county.tables["civil-affairs"].marriageRecord) {
          if (m.husbandPersonId === person.id || m.wifePersonId === person.id) touched.add(m.husbandPersonId).add(m.wifePersonId);
        }
        return touched.size;
      });
      expect(after["civil-affairs"]).toBe(perRequest.reduce((a, b) => a + b, 0));
      expect(after.health).toBe(1);
      expect(after.population).toBe(0);
      const healthEntry = await platform.subgraphs.health.db!.dataSource.getRepository(AccessLogRecord).findOneByOrFail({ operator: sub });
      expect(JSON.parse(healthEntry.fields)).toEqual(["!birthsGiven"]);
      expect(healthEntry.purpose).toBe("automated test");

      // The merged log through federation shows every department's entries.
      const log = expectNoErrors(await platform.query(`query($n: String) { person(idNumber: $n) { accessLog { department operator fields } } }`, { n: persons[0].idNumber }, { claims: { dept: "auditor" } }));
      const mine = log.person.accessLog.filter((e: any) => e.operator === sub);
      expect(new Set(mine.map((e: any) => e.department))).toEqual(new Set(["PUBLIC_SECURITY", "CIVIL_AFFAIRS", "HEALTH"]));

      for (const d of ["public-security", "civil-affairs", "health", "population"] as DepartmentName[]) {
        expect(await verifyChain(platform.subgraphs[d].db!.dataSource)).toMatchObject({ ok: true });
      }

      const ds: DataSource = platform.subgraphs["civil-affairs"].db!.dataSource;
      // The service's own connection cannot change the log: the append-only triggers refuse it.
      await expect(ds.query("UPDATE access_log SET purpose = 'edited' WHERE seq = 1")).rejects.toThrow(/append-only/);
      // Someone with the power to drop the triggers edits a row: verification names the entry.
      await ds.query("DROP TRIGGER access_log_no_update");
      await ds.query("UPDATE access_log SET purpose = 'edited' WHERE seq = 2");
      expect(await verifyChain(ds)).toMatchObject({ ok: false, brokenAt: 2 });
    });

    it("withholds the data when the log cannot be written (fail closed)", async () => {
      if (!platform) return;
      const ds = platform.subgraphs.health.db!.dataSource;
      await ds.query("ALTER TABLE access_log RENAME TO access_log_moved");
      try {
        const response = await platform.query(`query($n: String) { person(idNumber: $n) { name birthsGiven { certificateNumber } } }`, { n: subject.idNumber }, { claims: { dept: "health" } });
        expect(response.body.data?.person?.name).toBeTruthy();
        expect(response.body.data?.person?.birthsGiven ?? null).toBeNull();
        expect(JSON.stringify(response.body.errors)).toMatch(/AUDIT_UNAVAILABLE|SUBGRAPH_UNAVAILABLE/);
      } finally {
        await ds.query("ALTER TABLE access_log_moved RENAME TO access_log");
      }
    });
  });

  describe("partners", () => {
    const VERIFY = "query VerifyOnlyChild($idNumber: String!) { verifyOnlyChild(idNumber: $idNumber) }";

    it("run only safelisted operations, answered yes/no and logged", async () => {
      if (!platform) return;
      const certificate = county.tables.population.onlyChildCertificate.find((c) => c.childPersonId)!;
      const child = county.tables["public-security"].person.find((p) => p.id === certificate.childPersonId)!;
      const claims = { dept: "partner" as const, sub: `school-${dialect}` };
      const yes = expectNoErrors(await platform.query(VERIFY, { idNumber: child.idNumber }, { claims }));
      expect(yes).toEqual({ verifyOnlyChild: true });
      const byHash = await postGraphQL(
        platform.gatewayUrl,
        { variables: { idNumber: subject.idNumber }, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(VERIFY) } } },
        { authorization: `Bearer ${await tokenFor(claims)}`, "x-purpose": "admission 2026-017" },
      );
      expect(byHash.body.data).toEqual({ verifyOnlyChild: expect.any(Boolean) });
      const logged = await platform.subgraphs.population.db!.dataSource.getRepository(AccessLogRecord).findOneBy({ operator: claims.sub, personId: child.id });
      expect(JSON.parse(logged!.fields)).toEqual(["verifyOnlyChild"]);

      const other = await platform.query(`query($n: String) { person(idNumber: $n) { name } }`, { n: child.idNumber }, { claims });
      expect(other.status).toBe(403);
      expect(other.body.errors?.[0].extensions?.code).toBe("PERSISTED_QUERY_NOT_ALLOWED");
      const unknownHash = await postGraphQL(platform.gatewayUrl, { extensions: { persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } } }, { authorization: `Bearer ${await tokenFor(claims)}` });
      expect(unknownHash.body.errors?.[0].extensions?.code).toBe("PERSISTED_QUERY_NOT_ALLOWED");
    });

    it("are rate limited per partner with 429 and Retry-After", async () => {
      if (!platform) return;
      const token = await tokenFor({ dept: "partner", sub: `sms-platform-${dialect}` });
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 30; i++) {
        const response = await fetch(platform.gatewayUrl, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "x-purpose": "rate test" },
          body: JSON.stringify({ query: VERIFY, variables: { idNumber: subject.idNumber } }),
        });
        statuses.push(response.status);
        if (response.status === 429) retryAfter = response.headers.get("retry-after");
      }
      expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(20);
      expect(statuses).toContain(429);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    });
  });
});
