import { MoreThan } from "typeorm";
import { AccessLogRecord } from "../../shared/src/audit/access-log.entity";
import { verifyChain } from "../../shared/src/audit/chain";
import { makeIdNumber } from "../../shared/src/id-number";
import type { DepartmentName } from "../../shared/src/config";
import type { AnomalyKind } from "../../shared/src/synthetic/anomalies";
import { generateCounty, type County, type PersonRow } from "../../shared/src/synthetic/county";
import { writeCounty } from "../../shared/src/synthetic/write";
import { dialectsUnderTest, isMysqlAvailable } from "../helpers/databases";
import { IDENTITY_HEADER, signIdentity } from "../../shared/src/auth/identity-header";
import { defaultScopes } from "../../shared/src/auth/grants";
import { TEST_SECRETS, expectNoErrors, postGraphQL, startPlatform, type GraphQLResponse, type Platform, type QueryOptions } from "../helpers/platform";

/** Two small counties: different seeds, anomaly rates and sizes (the second for the request-count check). */
const COUNTIES = [
  { countyCode: "522328", people: 1500, seed: 11, anomalyRate: 0.03 },
  { countyCode: "522328", people: 4000, seed: 23, anomalyRate: 0.08 },
] as const;
const CODE = "522328";

const UNREGISTERED = `query($regionCode: String!, $bornFrom: Date!, $bornTo: Date!, $graceDays: Int, $asOf: Date) {
  unregisteredBirths(regionCode: $regionCode, bornFrom: $bornFrom, bornTo: $bornTo, graceDays: $graceDays, asOf: $asOf) { certificateNumber }
}`;
const UNCANCELLED = `query($regionCode: String!, $from: Date!, $to: Date!, $reasons: [UncancelledDeathReason!]) {
  uncancelledDeaths(regionCode: $regionCode, from: $from, to: $to, reasons: $reasons) { id }
}`;
const DATA_QUALITY = `query($regionCode: String!, $samples: Int, $asOf: Date) {
  dataQuality(regionCode: $regionCode, samples: $samples, asOf: $asOf) {
    region { code name } checkedPersons rules { code rule departments violations samples { id } }
  }
}`;

const NON_LOCAL = `query($regionCode: String!, $bornFrom: Date!, $bornTo: Date!, $graceDays: Int, $asOf: Date) {
  nonLocalBirthsNotReported(regionCode: $regionCode, bornFrom: $bornFrom, bornTo: $bornTo, graceDays: $graceDays, asOf: $asOf) {
    birthCertificate { certificateNumber } mother { id } motherIdNumber originCounty { code } originKnownFrom
  }
}`;
const UNANSWERED = `query($regionCode: String!, $days: Int, $direction: NoticeDirection, $asOf: Date) {
  interCountyRequestsWithoutFeedback(regionCode: $regionCode, days: $days, direction: $direction, asOf: $asOf) {
    notice { id kind direction subject sentOn feedbackOn idNumber counterpartCounty { code } localRegion { code } person { id } } dueOn daysOpen
  }
}`;

/**
 * Each dataQuality rule against the anomaly kind it must find: the rules named as the kinds, and the checksum
 * and empty-field rules against the legacy records (a mistyped check character, a name missing in either register).
 */
const DATA_QUALITY_RULE_KINDS: readonly (readonly [string, AnomalyKind])[] = [
  ["birthDateMismatch", "birthDateMismatch"],
  ["sexMismatch", "sexMismatch"],
  ["maritalStatusMismatch", "maritalStatusMismatch"],
  ["missingFromPopulationRegister", "missingFromPopulationRegister"],
  ["missingFromHukou", "missingFromHukou"],
  ["idChecksum", "idNumberInvalid"],
  ["emptyRequiredFields", "hukouNameEmpty"],
  ["registerEmptyRequiredFields", "registerNameEmpty"],
];

const HEALTH: QueryOptions = { claims: { sub: "health-clerk", dept: "health" } };
const POLICE: QueryOptions = { claims: { sub: "ps-clerk", dept: "public_security" } };
const CIVIL: QueryOptions = { claims: { sub: "ca-clerk", dept: "civil_affairs" } };
const ANALYST: QueryOptions = { claims: { sub: "analyst-1", dept: "analyst" } };

function expectBadInput(response: GraphQLResponse, field: string) {
  const error = response.body.errors?.[0];
  expect({ code: error?.extensions?.code, field: error?.extensions?.field }).toEqual({ code: "BAD_USER_INPUT", field });
}

/** The manifest's ids of a kind keyed by ID number, as the pseudonymous person ids the reports return. */
function personIdsOf(county: County, kind: AnomalyKind): string[] {
  const byNumber = new Map<string, string>();
  for (const p of county.tables["public-security"].person) byNumber.set(p.idNumber, p.id);
  for (const r of county.tables.population.populationRegister) byNumber.set(r.idNumber, r.personId);
  for (const d of county.tables["civil-affairs"].deathRegistration) byNumber.set(d.idNumber, d.personId);
  return county.manifest.kinds[kind].ids.map((n) => byNumber.get(n)!).sort();
}

describe.each(dialectsUnderTest())("reconciliation and data-quality reports on %s", (dialect) => {
  const platforms: Platform[] = [];
  const counties: County[] = [];

  beforeAll(async () => {
    if (dialect === "mysql" && !(await isMysqlAvailable())) return;
    for (const options of COUNTIES) {
      const county = generateCounty(options);
      counties.push(county);
      platforms.push(await startPlatform(dialect, { seed: (urls) => writeCounty(county, urls).then(() => undefined) }));
    }
  }, 240_000);
  afterAll(async () => {
    for (const p of platforms) await p.stop();
  }, 60_000);

  /**
   * The platform of county `index`. Its population service reaches the gateway through GATEWAY_URL, read at
   * call time, which startPlatform set to the gateway started last: point it at this platform's own.
   */
  const use = (index: number): Platform => {
    process.env.GATEWAY_URL = platforms[index].gatewayUrl;
    return platforms[index];
  };

  const run = (name: string, body: () => Promise<void>, timeout = 60_000) =>
    it(
      name,
      async () => {
        if (platforms.length === 0) return; // MySQL not reachable and not required
        await body();
      },
      timeout,
    );

  const reports = (county: County) => {
    const today = county.options.today;
    return {
      unregisteredBirths: { query: UNREGISTERED, variables: { regionCode: CODE, bornFrom: "1900-01-01", bornTo: today, asOf: today } },
      uncancelledDeaths: { query: UNCANCELLED, variables: { regionCode: CODE, from: "1900-01-01", to: today } },
      dataQuality: { query: DATA_QUALITY, variables: { regionCode: CODE, samples: 1000, asOf: today } },
      nonLocalBirthsNotReported: { query: NON_LOCAL, variables: { regionCode: CODE, bornFrom: "1900-01-01", bornTo: today, asOf: today } },
      interCountyRequestsWithoutFeedback: { query: UNANSWERED, variables: { regionCode: CODE, asOf: today } },
    };
  };

  run("each report returns exactly the manifest's records of its kinds (precision and recall 1.0), at both seeds and rates", async () => {
    for (const [index, county] of counties.entries()) {
      const p = use(index);
      const kinds = county.manifest.kinds;
      const today = county.options.today;
      for (const kind of Object.keys(kinds) as AnomalyKind[]) {
        if (
          [
            "birthNotRegistered",
            "deathNotCancelled",
            "birthDateMismatch",
            "sexMismatch",
            "maritalStatusMismatch",
            "missingFromPopulationRegister",
            "missingFromHukou",
            "idNumberInvalid",
            "hukouNameEmpty",
            "registerNameEmpty",
          ].includes(kind)
        ) {
          expect({ kind, some: kinds[kind].ids.length > 0 }).toEqual({ kind, some: true });
        }
      }

      const births = expectNoErrors(await p.query(UNREGISTERED, { regionCode: CODE, bornFrom: "1900-01-01", bornTo: today, asOf: today })).unregisteredBirths;
      expect(births.map((b: { certificateNumber: string }) => b.certificateNumber)).toEqual(kinds.birthNotRegistered.ids);

      const ids = async (reasons: string[]) =>
        expectNoErrors(await p.query(UNCANCELLED, { regionCode: CODE, from: "1900-01-01", to: today, reasons })).uncancelledDeaths.map((x: { id: string }) => x.id);
      expect(await ids(["HUKOU_NOT_CANCELLED"])).toEqual(personIdsOf(county, "deathNotCancelled"));
      expect(await ids(["STILL_ON_ROSTER"])).toEqual(personIdsOf(county, "deceasedStillEnrolled"));
      const both = expectNoErrors(await p.query(UNCANCELLED, { regionCode: CODE, from: "1900-01-01", to: today })).uncancelledDeaths.map((x: { id: string }) => x.id);
      expect(both).toEqual([...new Set([...personIdsOf(county, "deathNotCancelled"), ...personIdsOf(county, "deceasedStillEnrolled")])].sort());

      const report = expectNoErrors(await p.query(DATA_QUALITY, { regionCode: CODE, samples: 1000, asOf: today })).dataQuality;
      expect(report.region).toEqual({ code: CODE, name: "安龙县" });
      expect(report.checkedPersons).toBe(county.tables["public-security"].person.length + kinds.missingFromHukou.ids.length);
      const rules = new Map(report.rules.map((r: { code: string }) => [r.code, r]));
      for (const [code, kind] of DATA_QUALITY_RULE_KINDS) {
        const rule = rules.get(code) as { violations: number; samples: { id: string }[]; departments: string[] };
        const expected = personIdsOf(county, kind);
        expect({ code, kind, violations: rule.violations, samples: rule.samples.map((s) => s.id).sort() }).toEqual({ code, kind, violations: expected.length, samples: expected });
        expect(rule.departments.length).toBeGreaterThan(0);
      }
      // Every rule of the report is one of these: the generator makes no other fault.
      expect(report.rules.map((r: { code: string }) => r.code).sort()).toEqual(DATA_QUALITY_RULE_KINDS.map(([code]) => code).sort());
    }
  }, 180_000);

  run("report 10 returns exactly the manifest's non-local births never notified and 协查 left unanswered, at both seeds and rates", async () => {
    for (const [index, county] of counties.entries()) {
      const p = use(index);
      const kinds = county.manifest.kinds;
      const today = county.options.today;
      expect({ index, births: kinds.birthNoticeMissing.ids.length > 0, requests: kinds.requestWithoutFeedback.ids.length > 0 }).toEqual({ index, births: true, requests: true });

      const births = expectNoErrors(await p.query(NON_LOCAL, { regionCode: CODE, bornFrom: "1900-01-01", bornTo: today, asOf: today })).nonLocalBirthsNotReported;
      expect(births.map((b: { birthCertificate: { certificateNumber: string } }) => b.birthCertificate.certificateNumber)).toEqual(kinds.birthNoticeMissing.ids);
      // The generator's non-local mothers are inflow migrants: population knows her county from her move.
      const certificates = new Map(county.tables.health.birthCertificate.map((c) => [c.certificateNumber, c]));
      const origin = new Map(county.tables.population.migrantRecord.filter((m) => m.direction === "INFLOW").map((m) => [m.personId, m.fromRegionCode.slice(0, 6)]));
      for (const b of births) {
        const certificate = certificates.get(b.birthCertificate.certificateNumber)!;
        expect(b).toEqual({
          birthCertificate: { certificateNumber: certificate.certificateNumber },
          mother: { id: certificate.motherPersonId },
          motherIdNumber: certificate.motherIdNumber,
          originCounty: { code: origin.get(certificate.motherPersonId) },
          originKnownFrom: "MIGRANT_RECORD",
        });
      }

      const open = expectNoErrors(await p.query(UNANSWERED, { regionCode: CODE, asOf: today })).interCountyRequestsWithoutFeedback;
      expect(open.map((r: { notice: { id: string } }) => r.notice.id).sort()).toEqual(kinds.requestWithoutFeedback.ids);
      for (const r of open) {
        expect(r.notice).toMatchObject({ kind: "VERIFICATION_REQUEST", feedbackOn: null });
        expect(r.daysOpen).toBeGreaterThan(30);
      }
      const sent = expectNoErrors(await p.query(UNANSWERED, { regionCode: CODE, asOf: today, direction: "OUTGOING" })).interCountyRequestsWithoutFeedback;
      const received = expectNoErrors(await p.query(UNANSWERED, { regionCode: CODE, asOf: today, direction: "INCOMING" })).interCountyRequestsWithoutFeedback;
      expect(sent.length + received.length).toBe(open.length);
      for (const r of sent) expect(r.notice.direction).toBe("OUTGOING");
      for (const r of received) expect(r.notice.direction).toBe("INCOMING");
    }
  });

  run("a report costs the same number of SQL statements in each department for a county of 1,500 and of 4,000 people", async () => {
    const perReport: Record<string, Record<DepartmentName, number>[]> = {};
    for (const index of platforms.keys()) {
      const p = use(index);
      for (const [name, { query, variables }] of Object.entries(reports(counties[index]))) {
        const before = p.statementCounts();
        expectNoErrors(await p.query(query, variables));
        const after = p.statementCounts();
        const used = Object.fromEntries(Object.entries(after).map(([d, n]) => [d, n - before[d as DepartmentName]])) as Record<DepartmentName, number>;
        (perReport[name] ??= []).push(used);
      }
    }
    for (const [name, [small, large]] of Object.entries(perReport)) {
      expect({ name, large }).toEqual({ name, large: small });
      expect({ name, some: Object.values(small).some((n) => n > 0) }).toEqual({ name, some: true });
    }
  });

  run("bad arguments give BAD_USER_INPUT naming the argument", async () => {
    const p = use(0);
    const today = counties[0].options.today;
    expectBadInput(await p.query(UNREGISTERED, { regionCode: "999999", bornFrom: "2025-01-01", bornTo: "2025-12-31" }), "regionCode");
    expectBadInput(await p.query(UNREGISTERED, { regionCode: "52232", bornFrom: "2025-01-01", bornTo: "2025-12-31" }), "regionCode");
    expectBadInput(await p.query(UNREGISTERED, { regionCode: CODE, bornFrom: "2025-02-30", bornTo: "2025-12-31" }), "bornFrom");
    expectBadInput(await p.query(UNREGISTERED, { regionCode: CODE, bornFrom: "2025-12-01", bornTo: "2025-01-31" }), "bornTo");
    expectBadInput(await p.query(UNREGISTERED, { regionCode: CODE, bornFrom: "2025-01-01", bornTo: "2025-12-31", graceDays: -1 }), "graceDays");
    expectBadInput(await p.query(UNREGISTERED, { regionCode: CODE, bornFrom: "2025-01-01", bornTo: "2025-12-31", asOf: "31/12/2025" }), "asOf");
    expectBadInput(await p.query(UNCANCELLED, { regionCode: "000000", from: "2025-01-01", to: today }), "regionCode");
    expectBadInput(await p.query(UNCANCELLED, { regionCode: CODE, from: "2025-06-01", to: "2025-01-01" }), "to");
    expectBadInput(await p.query(UNCANCELLED, { regionCode: CODE, from: "2025-13-01", to: "2025-12-31" }), "from");
    expectBadInput(await p.query(NON_LOCAL, { regionCode: "999999", bornFrom: "2025-01-01", bornTo: "2025-12-31" }), "regionCode");
    expectBadInput(await p.query(NON_LOCAL, { regionCode: CODE, bornFrom: "2025-12-01", bornTo: "2025-01-31" }), "bornTo");
    expectBadInput(await p.query(NON_LOCAL, { regionCode: CODE, bornFrom: "2025-01-01", bornTo: "2025-12-31", graceDays: 366 }), "graceDays");
    expectBadInput(await p.query(UNANSWERED, { regionCode: "52232" }), "regionCode");
    expectBadInput(await p.query(UNANSWERED, { regionCode: CODE, days: -3 }), "days");
    expectBadInput(await p.query(UNANSWERED, { regionCode: CODE, asOf: "2025-02-29" }), "asOf");
    expectBadInput(await p.query(DATA_QUALITY, { regionCode: "123" }), "regionCode");
    expectBadInput(await p.query(DATA_QUALITY, { regionCode: CODE, samples: 5000 }), "samples");
  });

  run("analysts get the reports with masked identities; a caller without read:reports gets FORBIDDEN; the feeds are for services only", async () => {
    const p = use(0);
    const today = counties[0].options.today;
    const deaths = expectNoErrors(
      await p.query(`query($to: Date!) { uncancelledDeaths(regionCode: "${CODE}", from: "1900-01-01", to: $to) { id idNumber name } }`, { to: today }, ANALYST),
    ).uncancelledDeaths;
    expect(deaths.length).toBeGreaterThan(0);
    for (const person of deaths) {
      expect(person.idNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
      expect(person.name).toMatch(/^.\*+$/u);
    }
    const quality = expectNoErrors(await p.query(`{ dataQuality(regionCode: "${CODE}", asOf: "${today}") { rules { code samples { idNumber } } } }`, {}, ANALYST)).dataQuality;
    const sexSamples = quality.rules.find((r: { code: string }) => r.code === "sexMismatch").samples;
    expect(sexSamples.length).toBeGreaterThan(0);
    for (const s of sexSamples) expect(s.idNumber).toMatch(/\*{8}/);
    expect(expectNoErrors(await p.query(UNREGISTERED, { regionCode: CODE, bornFrom: "2016-01-01", bornTo: today, asOf: today }, ANALYST)).unregisteredBirths.length).toBeGreaterThan(0);

    const narrow: QueryOptions = { claims: { sub: "clerk-2", dept: "population", scope: "read:identity read:hukou" } };
    for (const [query, variables] of [
      [UNREGISTERED, { regionCode: CODE, bornFrom: "2016-01-01", bornTo: today }],
      [UNCANCELLED, { regionCode: CODE, from: "2016-01-01", to: today }],
      [DATA_QUALITY, { regionCode: CODE }],
    ] as const) {
      const response = await p.query(query, variables, narrow);
      expect(response.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    }
    // A clerk's token cannot read the feeds the reports use.
    const feed = await p.query(`{ hukouPersonIds(regionCode: "${CODE}") { ids } }`);
    expect(feed.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const births = await p.query(`{ birthFeed(regionCode: "${CODE}") { births { certificateNumber } } }`, {}, HEALTH);
    expect(births.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  run("packedPersonIdsMatching answers personIdsMatching's ids as one string, to services only", async () => {
    const p = use(0);
    const asService = async (query: string, variables: Record<string, unknown>) => {
      const caller = { sub: "service:population", dept: "population" as const, scopes: defaultScopes("population"), region: CODE, purpose: "automated test", requestId: "packed-ids" };
      return postGraphQL(p.gatewayUrl, { query, variables }, { [IDENTITY_HEADER]: signIdentity(caller, TEST_SECRETS.IDENTITY_SIGNING_SECRET) });
    };
    const BOTH = `query($filter: PersonFilter!) { personIdsMatching(filter: $filter) packedPersonIdsMatching(filter: $filter) }`;
    const rural = expectNoErrors(await asService(BOTH, { filter: { regionCode: CODE, status: "ACTIVE", hukouType: "RURAL" } }));
    const expected = counties[0].tables["public-security"].person.filter((x) => x.hukouRegionCode.startsWith(CODE) && x.status === "ACTIVE" && x.hukouType === "RURAL").map((x) => x.id);
    expect([...rural.personIdsMatching].sort()).toEqual([...expected].sort());
    expect(rural.packedPersonIdsMatching.split(",")).toEqual(rural.personIdsMatching);
    // Nobody matches: an empty string, not [""].
    const none = expectNoErrors(await asService(BOTH, { filter: { regionCode: CODE, bornFrom: "1800-01-01", bornTo: "1800-12-31" } }));
    expect(none).toEqual({ personIdsMatching: [], packedPersonIdsMatching: "" });
    const missingRegion = await asService(BOTH, { filter: { status: "ACTIVE" } });
    expect(missingRegion.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(missingRegion.body.errors?.[0]?.message).toContain("filter.regionCode");
    const clerk = await p.query(`{ packedPersonIdsMatching(filter: { regionCode: "${CODE}" }) }`);
    expect(clerk.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(clerk.body.data?.packedPersonIdsMatching ?? null).toBeNull();
  });

  run("dataQuality gives the same audit when population's register is read in many small pages, each compared over its own range of ids", async () => {
    const p = use(1);
    const county = counties[1];
    const variables = { regionCode: CODE, samples: 1000, asOf: county.options.today };
    const whole = expectNoErrors(await p.query(DATA_QUALITY, variables)).dataQuality;
    // 97 rows a page: some forty pages, with page boundaries falling among every kind of difference.
    expect(county.tables.population.populationRegister.length).toBeGreaterThan(30 * 97);
    process.env.DATA_QUALITY_PAGE_ROWS = "97";
    try {
      const paged = expectNoErrors(await p.query(DATA_QUALITY, variables)).dataQuality;
      expect(paged).toEqual(whole);
      const rules = new Map(paged.rules.map((r: { code: string; samples: { id: string }[] }) => [r.code, r.samples.map((s) => s.id).sort()]));
      for (const [code, kind] of DATA_QUALITY_RULE_KINDS) {
        expect({ code, ids: rules.get(code) }).toEqual({ code, ids: personIdsOf(county, kind) });
      }
    } finally {
      delete process.env.DATA_QUALITY_PAGE_ROWS;
    }
  });

  run("a dataQuality run leaves one access-log entry per person whose personal fields crossed, in the department owning them, and the logs still verify", async () => {
    for (const [index, county] of counties.entries()) {
      const p = use(index);
      const departments = ["population", "public-security", "civil-affairs", "health"] as DepartmentName[];
      const logs = Object.fromEntries(departments.map((d) => [d, p.subgraphs[d].db!.dataSource.getRepository(AccessLogRecord)]));
      const before = Object.fromEntries(await Promise.all(departments.map(async (d) => [d, (await logs[d].maximum("seq")) ?? 0] as const)));
      expectNoErrors(await p.query(DATA_QUALITY, { regionCode: CODE, samples: 1000, asOf: county.options.today }));
      const entries = async (d: DepartmentName) =>
        (await logs[d].find({ where: { seq: MoreThan(before[d]) }, order: { seq: "ASC" } })).map((e) => ({ personId: e.personId, fields: JSON.parse(e.fields), operator: e.operator }));
      // Public-security: the status of each person of its register whom population's register lacks (the rule
      // decides on them: ACTIVE ones are reported); the ids of all the others crossed, but ids are not logged.
      const registered = new Set(county.tables.population.populationRegister.map((r) => r.personId));
      const undecided = county.tables["public-security"].person.filter((x) => !registered.has(x.id)).map((x) => x.id);
      const statusRead = (ids: string[], field: string) => ids.sort().map((personId) => ({ personId, fields: [field], operator: "service:population" }));
      expect(undecided.length).toBeGreaterThan(0);
      expect((await entries("public-security")).sort((a, b) => (a.personId < b.personId ? -1 : 1))).toEqual(statusRead(undecided, "HukouPersonFact.status"));
      // Civil-affairs: the status of the flagged persons only (the comparison ran there).
      expect((await entries("civil-affairs")).sort((a, b) => (a.personId < b.personId ? -1 : 1))).toEqual(statusRead(personIdsOf(county, "maritalStatusMismatch"), "MaritalStatusFact.status"));
      // Health is not read; population's samples were asked by id only.
      expect({ health: await entries("health"), population: await entries("population") }).toEqual({ health: [], population: [] });
      for (const d of departments) expect({ d, verdict: await verifyChain(p.subgraphs[d].db!.dataSource) }).toMatchObject({ d, verdict: { ok: true } });
    }
  });

  describe("scenarios through the public mutations", () => {
    const ISSUE = `mutation($input: IssueBirthCertificateInput!) { issueBirthCertificate(input: $input) { certificateNumber } }`;
    const NEWBORN = `mutation($input: RegisterNewbornInput!) { registerNewborn(input: $input) { registeredOn } }`;
    const DEATH = `mutation($input: RegisterDeathInput!) { registerDeath(input: $input) { deathDate } }`;
    const CANCEL = `mutation($input: CancelHukouInput!) { cancelHukou(input: $input) { status } }`;
    const MARRY = `mutation($input: RegisterMarriageInput!) { registerMarriage(input: $input) { registrationNumber } }`;
    const realToday = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

    /** Living persons of the first county whom no anomaly touches and no death names. */
    function cleanPersons(): PersonRow[] {
      const county = counties[0];
      const touched = new Set(Object.values(county.manifest.kinds).flatMap((k) => k.ids));
      const dead = new Set(county.tables["civil-affairs"].deathRegistration.map((d) => d.personId));
      return county.tables["public-security"].person.filter((x) => x.status === "ACTIVE" && !touched.has(x.idNumber) && !dead.has(x.id));
    }

    run("a birth certificate with no 落户 is reported once the grace period is over, and no longer once the child is registered", async () => {
      const p = use(0);
      const mother = cleanPersons().find((x) => x.sex === "FEMALE" && x.birthDate >= "1990-01-01" && x.birthDate <= "1998-12-31" && x.householdNumber)!;
      const birthDate = shift(realToday, -5);
      const certificateNumber = "Y900000001";
      expectNoErrors(
        await p.query(ISSUE, { input: { certificateNumber, childName: "王安", sex: "MALE", birthDate, motherIdNumber: mother.idNumber, institution: "安龙县人民医院", regionCode: mother.hukouRegionCode } }, HEALTH),
      );
      const listed = async (today: string) =>
        expectNoErrors(await p.query(UNREGISTERED, { regionCode: CODE, bornFrom: birthDate, bornTo: birthDate, asOf: today })).unregisteredBirths.map(
          (b: { certificateNumber: string }) => b.certificateNumber,
        );
      expect(await listed(realToday)).toEqual([]);
      expect(await listed(shift(birthDate, 30))).toEqual([]);
      expect(await listed(shift(birthDate, 31))).toEqual([certificateNumber]);
      const count = expectNoErrors(await p.query(UNREGISTERED, { regionCode: CODE, bornFrom: birthDate, bornTo: birthDate, asOf: shift(birthDate, 31), graceDays: 40 })).unregisteredBirths;
      expect(count).toEqual([]);

      const childIdNumber = makeIdNumber("522328", birthDate, 997);
      expectNoErrors(
        await p.query(NEWBORN, { input: { certificateNumber, idNumber: childIdNumber, name: "王安", householdNumber: mother.householdNumber, registeredOn: realToday } }, POLICE),
      );
      expect(await listed(shift(birthDate, 31))).toEqual([]);
    });

    const NOTICE = `mutation($input: RecordInterCountyNoticeInput!, $key: String) {
      recordInterCountyNotice(input: $input, idempotencyKey: $key) { id kind direction sentOn feedbackOn version counterpartCounty { code } birthCertificate { certificateNumber } }
    }`;
    const FEEDBACK = `mutation($input: RecordInterCountyFeedbackInput!) { recordInterCountyFeedback(input: $input) { id feedbackOn feedback version } }`;
    const MIGRATION = `mutation($input: RecordMigrationInput!) { recordMigration(input: $input) { id } }`;
    const noticeCount = () => use(0).subgraphs.population.db!.dataSource.query("SELECT COUNT(*) AS n FROM inter_county_notice").then((r: { n: number | string }[]) => Number(r[0].n));

    run("a birth here to a mother with hukou elsewhere is reported after the grace period until population notifies her county", async () => {
      const p = use(0);
      const village = counties[0].tables["public-security"].person[0].hukouRegionCode;
      const motherIdNumber = makeIdNumber("440306", "1996-04-12", 222);
      const birthDate = shift(realToday, -6);
      const certificateNumber = "Y900000010";
      expectNoErrors(await p.query(MIGRATION, { input: { idNumber: motherIdNumber, direction: "INFLOW", fromRegionCode: "440306", toRegionCode: village, movedOn: shift(realToday, -400) } }));
      expectNoErrors(
        await p.query(ISSUE, { input: { certificateNumber, childName: "陈小安", sex: "FEMALE", birthDate, motherIdNumber, institution: "安龙县人民医院", regionCode: village } }, HEALTH),
      );
      const listed = async (today: string, options?: QueryOptions) =>
        expectNoErrors(await p.query(NON_LOCAL, { regionCode: CODE, bornFrom: birthDate, bornTo: birthDate, asOf: today }, options)).nonLocalBirthsNotReported;
      expect(await listed(shift(birthDate, 30))).toEqual([]);
      const [row] = await listed(shift(birthDate, 31));
      expect(row).toEqual({
        birthCertificate: { certificateNumber },
        mother: { id: expect.any(String) },
        motherIdNumber,
        originCounty: { code: "440306" },
        originKnownFrom: "MIGRANT_RECORD",
      });
      // An analyst sees the mother's number masked.
      expect((await listed(shift(birthDate, 31), ANALYST))[0].motherIdNumber).toMatch(/^440306\*{8}\d{3}[\dX]$/);

      const input = {
        kind: "BIRTH_NOTICE",
        direction: "OUTGOING",
        counterpartRegionCode: "440306",
        localRegionCode: village,
        idNumber: motherIdNumber,
        birthCertificateNumber: certificateNumber,
        subject: "流动人口出生通报",
        sentOn: realToday,
      };
      const notice = expectNoErrors(await p.query(NOTICE, { input, key: "notice-Y900000010" })).recordInterCountyNotice;
      expect(notice).toMatchObject({ kind: "BIRTH_NOTICE", direction: "OUTGOING", feedbackOn: null, counterpartCounty: { code: "440306" }, birthCertificate: { certificateNumber } });
      expect(await listed(shift(birthDate, 31))).toEqual([]);
      // The same send again is answered from its key; another send of the same birth is refused, and nothing is added.
      const before = await noticeCount();
      expect(expectNoErrors(await p.query(NOTICE, { input, key: "notice-Y900000010" })).recordInterCountyNotice.id).toBe(notice.id);
      expectBadInput(await p.query(NOTICE, { input, key: "notice-Y900000010-b" }), "input.birthCertificateNumber");
      expect(await noticeCount()).toBe(before);
    });

    run("a mother whose hukou moved out before the birth is not report 1's but report 10's, with the county it went to; one who moved out after it stays report 1's", async () => {
      const p = use(0);
      const MOVE_OUT = `mutation($input: MoveHukouOutInput!) { moveHukouOut(input: $input) { status } }`;
      const [before, after] = cleanPersons().filter((x) => x.sex === "FEMALE" && x.birthDate >= "1990-01-01" && x.birthDate <= "1998-12-31" && x.householdNumber).slice(-2);
      const birthDate = shift(realToday, -45);
      const issue = (certificateNumber: string, mother: PersonRow, childName: string) =>
        p.query(ISSUE, { input: { certificateNumber, childName, sex: "FEMALE", birthDate, motherIdNumber: mother.idNumber, institution: "安龙县人民医院", regionCode: mother.hukouRegionCode } }, HEALTH);
      // Moved to Shenzhen (Futian) 15 days before the birth; the other mother 35 days after it.
      expect(expectNoErrors(await p.query(MOVE_OUT, { input: { idNumber: before.idNumber, toRegionCode: "440304", on: shift(birthDate, -15) } }, POLICE)).moveHukouOut.status).toBe("MIGRATED_OUT");
      expectNoErrors(await issue("Y900000020", before, "赵小禾"));
      expectNoErrors(await issue("Y900000021", after, "钱小苗"));
      expectNoErrors(await p.query(MOVE_OUT, { input: { idNumber: after.idNumber, toRegionCode: "440304", on: shift(birthDate, 35) } }, POLICE));

      const window = { regionCode: CODE, bornFrom: birthDate, bornTo: birthDate, asOf: realToday };
      const unregistered = expectNoErrors(await p.query(UNREGISTERED, window)).unregisteredBirths.map((b: { certificateNumber: string }) => b.certificateNumber);
      expect(unregistered).toEqual(["Y900000021"]);
      const nonLocal = expectNoErrors(await p.query(NON_LOCAL, window)).nonLocalBirthsNotReported;
      expect(nonLocal).toEqual([
        { birthCertificate: { certificateNumber: "Y900000020" }, mother: { id: before.id }, motherIdNumber: before.idNumber, originCounty: { code: "440304" }, originKnownFrom: "HUKOU_MOVED_OUT" },
      ]);
    });

    run("a 协查 received from another county is reported when unanswered after the allowed days, and no longer once answered", async () => {
      const p = use(0);
      const woman = cleanPersons().find((x) => x.sex === "FEMALE" && x.birthDate >= "1990-01-01" && x.birthDate <= "1999-12-31")!;
      const sentOn = shift(realToday, -40);
      const input = {
        kind: "VERIFICATION_REQUEST",
        direction: "INCOMING",
        counterpartRegionCode: "330110",
        localRegionCode: woman.hukouRegionCode,
        idNumber: woman.idNumber,
        subject: "协查户籍地婚育情况",
        sentOn,
      };
      const request = expectNoErrors(await p.query(NOTICE, { input })).recordInterCountyNotice;
      const open = async (variables: Record<string, unknown> = {}) =>
        expectNoErrors(await p.query(UNANSWERED, { regionCode: woman.hukouRegionCode, asOf: realToday, ...variables })).interCountyRequestsWithoutFeedback.filter(
          (r: { notice: { id: string } }) => r.notice.id === request.id,
        );
      expect(await open()).toEqual([
        {
          notice: {
            id: request.id,
            kind: "VERIFICATION_REQUEST",
            direction: "INCOMING",
            subject: "协查户籍地婚育情况",
            sentOn,
            feedbackOn: null,
            idNumber: woman.idNumber,
            counterpartCounty: { code: "330110" },
            localRegion: { code: woman.hukouRegionCode },
            person: { id: woman.id },
          },
          dueOn: shift(sentOn, 30),
          daysOpen: 40,
        },
      ]);
      expect(await open({ days: 40 })).toEqual([]);
      expect(await open({ days: 39 })).toHaveLength(1);
      expect(await open({ direction: "OUTGOING" })).toEqual([]);

      expectBadInput(await p.query(FEEDBACK, { input: { noticeId: request.id, feedbackOn: shift(sentOn, -1), feedback: "已核实" } }), "input.feedbackOn");
      expectBadInput(await p.query(FEEDBACK, { input: { noticeId: "not-a-notice", feedbackOn: realToday, feedback: "已核实" } }), "input.noticeId");
      const stale = await p.query(FEEDBACK, { input: { noticeId: request.id, feedbackOn: realToday, feedback: "已核实", expectedVersion: request.version + 1 } });
      expect(stale.body.errors?.[0]?.extensions?.code).toBe("VERSION_CONFLICT");
      const answered = expectNoErrors(await p.query(FEEDBACK, { input: { noticeId: request.id, feedbackOn: realToday, feedback: "已核实，已婚，生育一孩", expectedVersion: request.version } }))
        .recordInterCountyFeedback;
      expect(answered).toEqual({ id: request.id, feedbackOn: realToday, feedback: "已核实，已婚，生育一孩", version: request.version + 1 });
      expect(await open()).toEqual([]);
      // As of a day before the answer it was still open; a second answer is refused and the first is kept.
      expect(await open({ asOf: shift(realToday, -1) })).toHaveLength(1);
      expectBadInput(await p.query(FEEDBACK, { input: { noticeId: request.id, feedbackOn: realToday, feedback: "另一个答复" } }), "input.noticeId");
      const profile = expectNoErrors(
        await p.query(`query($id: ID!) { person(id: $id) { familyPlanning { interCountyNotices { id feedback } } } }`, { id: woman.id }),
      ).person.familyPlanning.interCountyNotices;
      expect(profile).toEqual([{ id: request.id, feedback: "已核实，已婚，生育一孩" }]);
    });

    run("a notice that breaks a rule is refused naming the field, and nothing is written", async () => {
      const p = use(0);
      const woman = cleanPersons().find((x) => x.sex === "FEMALE" && x.birthDate >= "1985-01-01")!;
      const man = cleanPersons().find((x) => x.sex === "MALE" && x.birthDate >= "1985-01-01")!;
      const valid = {
        kind: "VERIFICATION_REQUEST",
        direction: "OUTGOING",
        counterpartRegionCode: "330110",
        localRegionCode: woman.hukouRegionCode,
        idNumber: woman.idNumber,
        subject: "核实婚育情况",
        sentOn: shift(realToday, -3),
      };
      const before = await noticeCount();
      for (const [change, field] of [
        [{ counterpartRegionCode: CODE + "100" }, "input.counterpartRegionCode"],
        [{ counterpartRegionCode: "33" }, "input.counterpartRegionCode"],
        [{ localRegionCode: "330110" }, "input.localRegionCode"],
        [{ idNumber: woman.idNumber.slice(0, 17) + (woman.idNumber[17] === "0" ? "1" : "0") }, "input.idNumber"],
        [{ sentOn: shift(realToday, 2) }, "input.sentOn"],
        [{ subject: "  " }, "input.subject"],
        [{ kind: "BIRTH_NOTICE" }, "input.birthCertificateNumber"],
        [{ kind: "BIRTH_NOTICE", idNumber: man.idNumber, birthCertificateNumber: "Y900000099" }, "input.idNumber"],
      ] as const) {
        expectBadInput(await p.query(NOTICE, { input: { ...valid, ...change } }), field);
      }
      const outside: QueryOptions = { claims: { sub: "town-clerk", dept: "population", region: "522328999" } };
      expectBadInput(await p.query(NOTICE, { input: valid }, outside), "input.localRegionCode");
      expect((await p.query(NOTICE, { input: valid }, HEALTH)).body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect(await noticeCount()).toBe(before);
    });

    run("a registered death is reported until the police cancel the hukou", async () => {
      const p = use(0);
      const subject = cleanPersons().find((x) => x.birthDate < "1950-01-01")!;
      const deathDate = shift(realToday, -3);
      const listed = async () =>
        expectNoErrors(await p.query(UNCANCELLED, { regionCode: CODE, from: deathDate, to: realToday })).uncancelledDeaths.map((x: { id: string }) => x.id);
      expect(await listed()).toEqual([]);
      expectNoErrors(await p.query(DEATH, { input: { idNumber: subject.idNumber, deathDate, regionCode: subject.hukouRegionCode } }, CIVIL));
      expect(await listed()).toEqual([subject.id]);
      expectNoErrors(await p.query(CANCEL, { input: { idNumber: subject.idNumber, reason: "DECEASED", on: realToday } }, POLICE));
      expect(await listed()).toEqual([]);
    });

    run("a marriage civil-affairs registers shows as a marital-status mismatch for both spouses until population's clerk updates the register", async () => {
      const p = use(0);
      const county = counties[0];
      const register = new Map(county.tables.population.populationRegister.map((r) => [r.personId, r]));
      const single = (sex: string, from: string, to: string) =>
        cleanPersons().find(
          (x) => x.sex === sex && x.birthDate >= from && x.birthDate <= to && register.get(x.id)?.maritalStatus === "UNMARRIED" && register.get(x.id)?.householdNumber,
        )!;
      const husband = single("MALE", "1995-01-01", "2002-12-31");
      const wife = single("FEMALE", "1995-01-01", "2003-12-31");
      const mismatches = async () =>
        (expectNoErrors(await p.query(DATA_QUALITY, { regionCode: CODE, samples: 1000, asOf: realToday })).dataQuality.rules as { code: string; samples: { id: string }[] }[])
          .find((r) => r.code === "maritalStatusMismatch")!
          .samples.map((s) => s.id);
      const before = await mismatches();
      expect(before).not.toContain(husband.id);
      expectNoErrors(await p.query(MARRY, { input: { husbandIdNumber: husband.idNumber, wifeIdNumber: wife.idNumber, registeredOn: shift(realToday, -1), regionCode: wife.hukouRegionCode.slice(0, 9) } }, CIVIL));
      expect((await mismatches()).sort()).toEqual([...before, husband.id, wife.id].sort());
    });
  });
});
