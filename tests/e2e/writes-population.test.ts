import type { EntityTarget, FindOptionsWhere, ObjectLiteral } from "typeorm";
import { makeIdNumber } from "../../shared/src/id-number";
import { childrenOf } from "../../shared/src/regions";
import { generateCounty, type County, type PersonRow } from "../../shared/src/synthetic/county";
import { writeCounty } from "../../shared/src/synthetic/write";
import { AssistanceEnrollmentRecord } from "../../subgraphs/population/src/assistance/assistance-enrollment.entity";
import { AssociationMemberRecord } from "../../subgraphs/population/src/association/association-member.entity";
import { BirthPermitRecord } from "../../subgraphs/population/src/birth-permit/birth-permit.entity";
import { CareVisitRecord } from "../../subgraphs/population/src/care-visit/care-visit.entity";
import { MigrationRecord } from "../../subgraphs/population/src/migrant/migrant-record.entity";
import { OnlyChildCertificateRecord } from "../../subgraphs/population/src/only-child-certificate/only-child-certificate.entity";
import { SocialMaintenanceFeeRecord } from "../../subgraphs/population/src/social-maintenance-fee/social-maintenance-fee.entity";
import { dialectsUnderTest, isMysqlAvailable } from "../helpers/databases";
import { expectNoErrors, startPlatform, type GraphQLResponse, type Platform, type QueryOptions } from "../helpers/platform";

const COUNTY = { countyCode: "522328", people: 600, seed: 5 };
const POPULATION: QueryOptions = { claims: { dept: "population" } };
/** A village of 龙广镇, 安龙县 (the seeded county), where the records of these tests are made. */
const VILLAGE = childrenOf("522328101")[0].code;

const MIGRATION = `mutation($input: RecordMigrationInput!, $key: String) {
  recordMigration(input: $input, idempotencyKey: $key) {
    id version direction movedOn submittedAtDestinationOn person { id } from { code } to { code } certificate { number issuedOn validUntil }
  }
}`;
const SUBMIT = `mutation($input: SubmitMarriageFertilityCertificateInput!, $key: String) {
  submitMarriageFertilityCertificate(input: $input, idempotencyKey: $key) { id version submittedAtDestinationOn }
}`;
const ENROLL = `mutation($input: EnrollAssistanceInput!, $key: String) {
  enrollAssistance(input: $input, idempotencyKey: $key) { id version program since until annualAmountYuan }
}`;
const END = `mutation($input: EndAssistanceInput!, $key: String) {
  endAssistance(input: $input, idempotencyKey: $key) { id version program since until annualAmountYuan }
}`;
const ONLY_CHILD = `mutation($input: IssueOnlyChildCertificateInput!, $key: String) {
  issueOnlyChildCertificate(input: $input, idempotencyKey: $key) { number issuedOn version child { id } }
}`;
const PERMIT = `mutation($input: ApproveBirthPermitInput!, $key: String) {
  approveBirthPermit(input: $input, idempotencyKey: $key) { number kind approvedOn birthOrder version wife { id } husband { id } }
}`;
const DECIDE = `mutation($input: DecideSocialMaintenanceFeeInput!, $key: String) {
  decideSocialMaintenanceFee(input: $input, idempotencyKey: $key) {
    id birthCertificateNumber decidedOn amountYuan paidYuan outstandingYuan lastPaidOn status version decidingCounty { code } mother { id } father { id } child { id }
  }
}`;
const PAY = `mutation($input: RecordFeePaymentInput!, $key: String) {
  recordFeePayment(input: $input, idempotencyKey: $key) { id paidYuan outstandingYuan lastPaidOn status version }
}`;
const VISIT = `mutation($input: RecordCareVisitInput!, $key: String) {
  recordCareVisit(input: $input, idempotencyKey: $key) { id visitedOn kind visitedBy note version person { id } region { code } }
}`;
const JOIN = `mutation($input: JoinAssociationInput!, $key: String) {
  joinAssociation(input: $input, idempotencyKey: $key) { joinedOn version person { id } region { code } }
}`;
const PROFILE = `query($n: String) { person(idNumber: $n) { id familyPlanning {
  associationMember
  assistance { id program since until annualAmountYuan version }
  migrations { id direction movedOn certificate { number validUntil } submittedAtDestinationOn version }
  onlyChildCertificates { number version }
  birthPermits { number kind birthOrder version }
  socialMaintenanceFees { id status amountYuan paidYuan version }
  careVisits { id kind visitedBy note region { code } version }
} } }`;

function expectBadInput(response: GraphQLResponse, field: string) {
  const error = response.body.errors?.[0];
  expect({ code: error?.extensions?.code, field: error?.extensions?.field }).toEqual({ code: "BAD_USER_INPUT", field });
  expect(error?.message).toMatch(/[\u4e00-\u9fff]/);
  expect(error?.message).toMatch(/[a-z]{3,}/);
}

const errorCode = (response: GraphQLResponse): unknown => response.body.errors?.[0]?.extensions?.code;
const wrongCheck = (idNumber: string) => idNumber.slice(0, 17) + (idNumber[17] === "1" ? "2" : "1");

let serial = 0;
const nextNumber = (prefix: string) => `${prefix}522328-2026-${String(++serial).padStart(6, "0")}`;

describe.each(dialectsUnderTest())("population write paths through the gateway, on %s", (dialect) => {
  let platform: Platform | undefined;
  let county: County;
  const used = new Set<string>();

  beforeAll(async () => {
    if (dialect === "mysql" && !(await isMysqlAvailable())) return;
    county = generateCounty(COUNTY);
    platform = await startPlatform(dialect, { seed: (urls) => writeCounty(county, urls).then(() => undefined) });
  }, 120_000);
  afterAll(async () => {
    await platform?.stop();
  });

  const run = (name: string, body: (p: Platform) => Promise<void>, timeout?: number) =>
    it(
      name,
      async () => {
        if (!platform) return; // MySQL not reachable and not required
        await body(platform);
      },
      timeout,
    );

  /** A living person of the hukou register that no other test has taken, with no records of the given kinds. */
  function person(filter: (p: PersonRow) => boolean): PersonRow {
    const tables = county.tables.population;
    const found = county.tables["public-security"].person.find(
      (p) =>
        p.status === "ACTIVE" &&
        !used.has(p.id) &&
        filter(p) &&
        !tables.assistanceEnrollment.some((e) => e.personId === p.id) &&
        !tables.associationMember.some((m) => m.personId === p.id) &&
        !tables.migrantRecord.some((m) => m.personId === p.id),
    );
    if (!found) throw new Error("no such person left in the county");
    used.add(found.id);
    return found;
  }
  const woman = (bornFrom = "1985-01-01", bornTo = "2000-12-31") => person((p) => p.sex === "FEMALE" && p.birthDate >= bornFrom && p.birthDate <= bornTo);
  const man = (bornFrom = "1980-01-01", bornTo = "1998-12-31") => person((p) => p.sex === "MALE" && p.birthDate >= bornFrom && p.birthDate <= bornTo);

  async function profile(p: Platform, idNumber: string) {
    return expectNoErrors(await p.query(PROFILE, { n: idNumber }, POPULATION)).person.familyPlanning;
  }

  /** Rows of a population table, read from the department's own test database: proof that a refused write wrote nothing. */
  function rows<E extends ObjectLiteral>(p: Platform, entity: EntityTarget<E>, where?: FindOptionsWhere<E>): Promise<number> {
    return p.subgraphs.population.db!.dataSource.getRepository(entity).count(where ? { where } : undefined);
  }

  // ───────────────────────────── migrants ─────────────────────────────

  describe("recordMigration and submitMarriageFertilityCertificate", () => {
    const outflow = (w: PersonRow, overrides: Record<string, unknown> = {}) => ({
      idNumber: w.idNumber,
      direction: "OUTFLOW",
      fromRegionCode: w.hukouRegionCode,
      toRegionCode: "440306",
      movedOn: "2026-03-01",
      certificateNumber: nextNumber("HY"),
      certificateIssuedOn: "2026-02-20",
      ...overrides,
    });
    const inflowWoman = makeIdNumber("431002", "1996-04-04", 102);
    const inflow = (overrides: Record<string, unknown> = {}) => ({
      idNumber: inflowWoman,
      direction: "INFLOW",
      fromRegionCode: "431002",
      toRegionCode: VILLAGE,
      movedOn: "2026-04-01",
      certificateNumber: "HY4310022026000123",
      certificateIssuedOn: "2026-03-25",
      certificateValidUntil: "2029-03-24",
      ...overrides,
    });

    run("records an outflow with her 婚育证明 (valid three years by default), visible in her familyPlanning.migrations", async (p) => {
      const w = woman();
      const input = outflow(w);
      const record = expectNoErrors(await p.query(MIGRATION, { input }, POPULATION)).recordMigration;
      expect(record).toMatchObject({
        version: 1,
        direction: "OUTFLOW",
        movedOn: "2026-03-01",
        submittedAtDestinationOn: null,
        person: { id: w.id },
        from: { code: w.hukouRegionCode },
        to: { code: "440306" },
        certificate: { number: input.certificateNumber, issuedOn: "2026-02-20", validUntil: "2029-02-19" },
      });
      const migrations = (await profile(p, w.idNumber)).migrations;
      expect(migrations).toEqual([
        { id: record.id, direction: "OUTFLOW", movedOn: "2026-03-01", certificate: { number: input.certificateNumber, validUntil: "2029-02-19" }, submittedAtDestinationOn: null, version: 1 },
      ]);
    });

    run("records an inflow migrant not in the hukou register with her ID number, sex and birth date; her submission is versioned", async (p) => {
      const record = expectNoErrors(await p.query(MIGRATION, { input: inflow() }, POPULATION)).recordMigration;
      expect(record).toMatchObject({ version: 1, direction: "INFLOW", from: { code: "431002" }, to: { code: VILLAGE } });
      const stored = await p.subgraphs.population.db!.dataSource.getRepository(MigrationRecord).findOneByOrFail({ id: Number(record.id) });
      expect({ idNumber: stored.idNumber, sex: stored.sex, birthDate: stored.birthDate }).toEqual({ idNumber: inflowWoman, sex: "FEMALE", birthDate: "1996-04-04" });

      const submitted = expectNoErrors(await p.query(SUBMIT, { input: { migrantRecordId: record.id, submittedOn: "2026-04-20", expectedVersion: 1 } }, POPULATION))
        .submitMarriageFertilityCertificate;
      expect(submitted).toEqual({ id: record.id, version: 2, submittedAtDestinationOn: "2026-04-20" });
      const stale = await p.query(SUBMIT, { input: { migrantRecordId: record.id, submittedOn: "2026-04-22", expectedVersion: 1 } }, POPULATION);
      expect(errorCode(stale)).toBe("VERSION_CONFLICT");
      expect((await p.subgraphs.population.db!.dataSource.getRepository(MigrationRecord).findOneByOrFail({ id: Number(record.id) })).submittedAtDestinationOn).toBe("2026-04-20");
      const unversioned = expectNoErrors(await p.query(SUBMIT, { input: { migrantRecordId: record.id, submittedOn: "2026-04-21" } }, POPULATION));
      expect(unversioned.submitMarriageFertilityCertificate.version).toBe(3);

      for (const [input, field] of [
        [{ migrantRecordId: record.id, submittedOn: "2026-03-01" }, "input.submittedOn"],
        [{ migrantRecordId: record.id, submittedOn: "2099-01-01" }, "input.submittedOn"],
        [{ migrantRecordId: "abc", submittedOn: "2026-04-21" }, "input.migrantRecordId"],
      ] as const) {
        expectBadInput(await p.query(SUBMIT, { input }, POPULATION), field);
      }
      expect(errorCode(await p.query(SUBMIT, { input: { migrantRecordId: "999999", submittedOn: "2026-04-21" } }, POPULATION))).toBe("NOT_FOUND");
    });

    run("a move without a 婚育证明 cannot have one submitted", async (p) => {
      const m = man();
      const record = expectNoErrors(await p.query(MIGRATION, { input: outflow(m, { certificateNumber: null, certificateIssuedOn: null }) }, POPULATION)).recordMigration;
      expect(record.certificate).toBeNull();
      expectBadInput(await p.query(SUBMIT, { input: { migrantRecordId: record.id, submittedOn: "2026-04-21" } }, POPULATION), "input.migrantRecordId");
    });

    const cases: [string, (w: PersonRow) => Record<string, unknown>, string, QueryOptions][] = [
      ["an ID number with a wrong check character", (w) => outflow(w, { idNumber: wrongCheck(w.idNumber) }), "input.idNumber", POPULATION],
      ["a move in the future", (w) => outflow(w, { movedOn: "2099-01-01" }), "input.movedOn", POPULATION],
      ["a move before the migrant's birth", (w) => outflow(w, { movedOn: "1980-01-01", certificateNumber: null, certificateIssuedOn: null }), "input.movedOn", POPULATION],
      ["both ends in the same county", () => inflow({ fromRegionCode: "522328102" }), "input.toRegionCode", POPULATION],
      ["the same region at both ends", () => inflow({ fromRegionCode: VILLAGE }), "input.toRegionCode", POPULATION],
      ["an inflow to an unknown division of this county", () => inflow({ toRegionCode: "522328101999" }), "input.toRegionCode", POPULATION],
      ["an inflow from a malformed code", () => inflow({ fromRegionCode: "4310" }), "input.fromRegionCode", POPULATION],
      ["an outflow from outside the caller's jurisdiction", (w) => outflow(w), "input.fromRegionCode", { claims: { dept: "population", region: "522301" } }],
      ["a malformed certificate number", (w) => outflow(w, { certificateNumber: "HY 12" }), "input.certificateNumber", POPULATION],
      ["a 婚育证明 for a man", () => inflow({ idNumber: makeIdNumber("431002", "1996-04-04", 101) }), "input.certificateNumber", POPULATION],
      ["a certificate number without its issue date", (w) => outflow(w, { certificateIssuedOn: null }), "input.certificateIssuedOn", POPULATION],
      ["a holder aged 17 when it was issued", () => inflow({ idNumber: makeIdNumber("431002", "2008-06-01", 102), certificateIssuedOn: "2026-03-25" }), "input.certificateIssuedOn", POPULATION],
      ["a validity ending before the issue", () => inflow({ certificateValidUntil: "2026-03-01" }), "input.certificateValidUntil", POPULATION],
      ["certificate dates without a certificate number", (w) => outflow(w, { certificateNumber: null }), "input.certificateNumber", POPULATION],
    ];
    it.each(cases)("refuses %s, naming the field, and writes nothing", async (_name, build, field, options) => {
      if (!platform) return;
      const w = woman();
      const before = await rows(platform, MigrationRecord);
      expectBadInput(await platform.query(MIGRATION, { input: build(w) }, options), field);
      expect(await rows(platform, MigrationRecord)).toBe(before);
    });

    run("idempotency: a repeat returns the first record, another payload is IDEMPOTENCY_KEY_REUSED, 20 concurrent sends write one row", async (p) => {
      const w = woman();
      const input = outflow(w);
      const key = `migration-${w.id}`;
      const first = expectNoErrors(await p.query(MIGRATION, { input, key }, POPULATION)).recordMigration;
      expect(expectNoErrors(await p.query(MIGRATION, { input, key }, POPULATION)).recordMigration).toEqual(first);
      expect(errorCode(await p.query(MIGRATION, { input: { ...input, movedOn: "2026-03-02" }, key }, POPULATION))).toBe("IDEMPOTENCY_KEY_REUSED");
      expect(await rows(p, MigrationRecord, { personId: w.id })).toBe(1);

      const other = woman();
      const concurrentInput = outflow(other);
      const responses = await Promise.all(Array.from({ length: 20 }, () => p.query(MIGRATION, { input: concurrentInput, key: `concurrent-${other.id}` }, POPULATION)));
      const results = responses.map((r) => expectNoErrors(r).recordMigration);
      for (const result of results) expect(result).toEqual(results[0]);
      expect(await rows(p, MigrationRecord, { personId: other.id })).toBe(1);
      expect((await profile(p, other.idNumber)).migrations).toHaveLength(1);
    }, 30_000);

    run("health, and a population token without write:migrants, are FORBIDDEN", async (p) => {
      const w = woman();
      const before = await rows(p, MigrationRecord);
      expect(errorCode(await p.query(MIGRATION, { input: outflow(w) }, { claims: { dept: "health" } }))).toBe("FORBIDDEN");
      expect(errorCode(await p.query(MIGRATION, { input: outflow(w) }, { claims: { dept: "population", scope: "read:migrants write:family-planning" } }))).toBe("FORBIDDEN");
      expect(await rows(p, MigrationRecord)).toBe(before);
    });
  });

  // ───────────────────────────── assistance ─────────────────────────────

  describe("enrollAssistance and endAssistance", () => {
    const elder = () => person((p) => p.birthDate >= "1940-01-01" && p.birthDate <= "1965-12-31");

    run("enrolls a person on the roster of their hukou village (from public-security) and ends the enrollment with versions", async (p) => {
      const e = elder();
      const enrolled = expectNoErrors(await p.query(ENROLL, { input: { idNumber: e.idNumber, program: "REWARD_ASSISTANCE", since: "2026-01-01" } }, POPULATION))
        .enrollAssistance;
      expect(enrolled).toMatchObject({ version: 1, program: "REWARD_ASSISTANCE", since: "2026-01-01", until: null, annualAmountYuan: 960 });
      const stored = await p.subgraphs.population.db!.dataSource.getRepository(AssistanceEnrollmentRecord).findOneByOrFail({ id: Number(enrolled.id) });
      expect(stored.regionCode).toBe(e.hukouRegionCode);
      expect((await profile(p, e.idNumber)).assistance).toEqual([{ ...enrolled }]);

      // An overlapping enrollment in the same programme is refused; another programme is not this rule's business.
      expectBadInput(await p.query(ENROLL, { input: { idNumber: e.idNumber, program: "REWARD_ASSISTANCE", since: "2026-02-01" } }, POPULATION), "input.since");

      const ended = expectNoErrors(await p.query(END, { input: { idNumber: e.idNumber, program: "REWARD_ASSISTANCE", until: "2026-06-30", expectedVersion: 1 } }, POPULATION))
        .endAssistance;
      expect(ended).toMatchObject({ id: enrolled.id, version: 2, until: "2026-06-30" });
      expect((await profile(p, e.idNumber)).assistance[0]).toMatchObject({ until: "2026-06-30", version: 2 });

      // Enrolled again after the end: no overlap. Ending it with the first enrollment's version is a conflict.
      const again = expectNoErrors(await p.query(ENROLL, { input: { idNumber: e.idNumber, program: "REWARD_ASSISTANCE", since: "2026-08-01" } }, POPULATION));
      expect(again.enrollAssistance.version).toBe(1);
      const stale = await p.query(END, { input: { idNumber: e.idNumber, program: "REWARD_ASSISTANCE", until: "2026-09-30", expectedVersion: 2 } }, POPULATION);
      expect(errorCode(stale)).toBe("VERSION_CONFLICT");
      expect((await profile(p, e.idNumber)).assistance.map((a: { until: string | null }) => a.until)).toEqual(["2026-06-30", null]);
      expectBadInput(await p.query(END, { input: { idNumber: e.idNumber, program: "REWARD_ASSISTANCE", until: "2026-07-31" } }, POPULATION), "input.until");
      expect(errorCode(await p.query(END, { input: { idNumber: e.idNumber, program: "SPECIAL_ASSISTANCE_CHILD_DECEASED", until: "2026-07-31" } }, POPULATION))).toBe("NOT_FOUND");
    });

    const cases: [string, (e: PersonRow) => Record<string, unknown>, string, QueryOptions][] = [
      ["奖扶 before the programme began (2004)", (e) => ({ idNumber: e.idNumber, program: "REWARD_ASSISTANCE", since: "2003-12-31" }), "input.since", POPULATION],
      ["特扶 before the programme began (2007)", (e) => ({ idNumber: e.idNumber, program: "SPECIAL_ASSISTANCE_CHILD_DISABLED", since: "2006-12-31" }), "input.since", POPULATION],
      ["a start in the future", (e) => ({ idNumber: e.idNumber, program: "REWARD_ASSISTANCE", since: "2099-01-01" }), "input.since", POPULATION],
      ["an ID number with a wrong check character", (e) => ({ idNumber: wrongCheck(e.idNumber), program: "REWARD_ASSISTANCE", since: "2020-01-01" }), "input.idNumber", POPULATION],
      ["an unknown division code", (e) => ({ idNumber: e.idNumber, program: "REWARD_ASSISTANCE", since: "2020-01-01", regionCode: "522328101999" }), "input.regionCode", POPULATION],
      ["a region outside the caller's jurisdiction", (e) => ({ idNumber: e.idNumber, program: "REWARD_ASSISTANCE", since: "2020-01-01", regionCode: VILLAGE }), "input.regionCode", { claims: { dept: "population", region: "522328102" } }],
      ["a person without hukou here and no region", () => ({ idNumber: makeIdNumber("431002", "1950-01-01", 31), program: "REWARD_ASSISTANCE", since: "2020-01-01" }), "input.regionCode", POPULATION],
    ];
    it.each(cases)("refuses %s, naming the field, and writes nothing", async (_name, build, field, options) => {
      if (!platform) return;
      const e = elder();
      const before = await rows(platform, AssistanceEnrollmentRecord);
      expectBadInput(await platform.query(ENROLL, { input: build(e) }, options), field);
      expect(await rows(platform, AssistanceEnrollmentRecord)).toBe(before);
    });

    run("idempotency: 20 concurrent sends of one key enroll once; the key with another payload is IDEMPOTENCY_KEY_REUSED", async (p) => {
      const e = elder();
      const input = { idNumber: e.idNumber, program: "SPECIAL_ASSISTANCE_CHILD_DECEASED", since: "2025-01-01", regionCode: e.hukouRegionCode };
      const responses = await Promise.all(Array.from({ length: 20 }, () => p.query(ENROLL, { input, key: `enroll-${e.id}` }, POPULATION)));
      const results = responses.map((r) => expectNoErrors(r).enrollAssistance);
      for (const result of results) expect(result).toEqual(results[0]);
      expect(results[0].annualAmountYuan).toBe(170 * 12);
      expect(await rows(p, AssistanceEnrollmentRecord, { personId: e.id })).toBe(1);
      expect(errorCode(await p.query(ENROLL, { input: { ...input, since: "2025-02-01" }, key: `enroll-${e.id}` }, POPULATION))).toBe("IDEMPOTENCY_KEY_REUSED");
    }, 30_000);

    run("civil-affairs (no write:family-planning) is FORBIDDEN", async (p) => {
      const e = elder();
      const response = await p.query(ENROLL, { input: { idNumber: e.idNumber, program: "REWARD_ASSISTANCE", since: "2020-01-01" } }, { claims: { dept: "civil_affairs" } });
      expect(errorCode(response)).toBe("FORBIDDEN");
      expect(await rows(p, AssistanceEnrollmentRecord, { personId: e.id })).toBe(0);
    });
  });

  // ───────────────────────── certificates and permits ─────────────────────────

  describe("issueOnlyChildCertificate", () => {
    run("issues a certificate to the parents, visible in each parent's profile", async (p) => {
      const mother = woman("1975-01-01", "1990-12-31");
      const father = man("1970-01-01", "1990-12-31");
      const child = makeIdNumber("522328", "2010-05-05", 12);
      const number = nextNumber("DZ");
      const issued = expectNoErrors(
        await p.query(ONLY_CHILD, { input: { number, issuedOn: "2012-03-01", motherIdNumber: mother.idNumber, fatherIdNumber: father.idNumber, childIdNumber: child, regionCode: "522328101" } }, POPULATION),
      ).issueOnlyChildCertificate;
      expect(issued).toMatchObject({ number, issuedOn: "2012-03-01", version: 1, child: { id: expect.stringMatching(/^[0-9a-f]{32}$/) } });
      expect((await profile(p, mother.idNumber)).onlyChildCertificates).toEqual([{ number, version: 1 }]);
      expect((await profile(p, father.idNumber)).onlyChildCertificates).toEqual([{ number, version: 1 }]);
      const again = await p.query(ONLY_CHILD, { input: { number, issuedOn: "2012-03-01", motherIdNumber: mother.idNumber, regionCode: "522328101" } }, POPULATION);
      expectBadInput(again, "input.number");
    });

    it.each([
      ["no parent at all", {}, "input.motherIdNumber"],
      ["a father's ID number of a woman", { fatherIdNumber: makeIdNumber("522328", "1980-01-01", 14) }, "input.fatherIdNumber"],
      ["a mother's ID number of a man", { motherIdNumber: makeIdNumber("522328", "1980-01-01", 15) }, "input.motherIdNumber"],
      ["a child born before the mother", { motherIdNumber: makeIdNumber("522328", "1980-01-01", 16), childIdNumber: makeIdNumber("522328", "1979-01-01", 17) }, "input.childIdNumber"],
      ["an issue date before the child's birth", { motherIdNumber: makeIdNumber("522328", "1980-01-01", 16), childIdNumber: makeIdNumber("522328", "2012-05-01", 17) }, "input.issuedOn"],
      ["an issue date in the future", { motherIdNumber: makeIdNumber("522328", "1980-01-01", 16), issuedOn: "2099-01-01" }, "input.issuedOn"],
      ["an unknown division code", { motherIdNumber: makeIdNumber("522328", "1980-01-01", 16), regionCode: "522328199" }, "input.regionCode"],
    ] as const)("refuses %s", async (_name, change, field) => {
      if (!platform) return;
      const before = await rows(platform, OnlyChildCertificateRecord);
      expectBadInput(await platform.query(ONLY_CHILD, { input: { number: nextNumber("DZ"), issuedOn: "2012-03-01", regionCode: "522328101", ...change } }, POPULATION), field);
      expect(await rows(platform, OnlyChildCertificateRecord)).toBe(before);
    });
  });

  describe("approveBirthPermit", () => {
    run("records a couple's permit, visible in both profiles; a second permit for the same child is refused", async (p) => {
      const wife = woman();
      const husband = man();
      const number = nextNumber("SY");
      const input = { number, kind: "生育登记", approvedOn: "2026-02-01", wifeIdNumber: wife.idNumber, husbandIdNumber: husband.idNumber, regionCode: "522328101", birthOrder: 1 };
      const permit = expectNoErrors(await p.query(PERMIT, { input }, POPULATION)).approveBirthPermit;
      expect(permit).toEqual({ number, kind: "生育登记", approvedOn: "2026-02-01", birthOrder: 1, version: 1, wife: { id: wife.id }, husband: { id: husband.id } });
      expect((await profile(p, husband.idNumber)).birthPermits).toContainEqual({ number, kind: "生育登记", birthOrder: 1, version: 1 });
      expect((await profile(p, wife.idNumber)).birthPermits).toContainEqual({ number, kind: "生育登记", birthOrder: 1, version: 1 });
      expectBadInput(await p.query(PERMIT, { input: { ...input, number: nextNumber("SY") } }, POPULATION), "input.birthOrder");
      expectBadInput(await p.query(PERMIT, { input: { ...input, birthOrder: 2 } }, POPULATION), "input.number");
    });

    it.each([
      ["a wife's ID number of a man", { wifeIdNumber: makeIdNumber("522328", "1995-01-01", 19) }, "input.wifeIdNumber"],
      ["a wife under the legal marriage age (20)", { wifeIdNumber: makeIdNumber("522328", "2006-06-01", 18) }, "input.wifeIdNumber"],
      ["a husband under the legal marriage age (22)", { husbandIdNumber: makeIdNumber("522328", "2004-06-01", 19) }, "input.husbandIdNumber"],
      ["a husband's ID number of a woman", { husbandIdNumber: makeIdNumber("522328", "1990-06-01", 18) }, "input.husbandIdNumber"],
      ["a birth order of 0", { birthOrder: 0 }, "input.birthOrder"],
      ["an empty kind", { kind: " " }, "input.kind"],
      ["an approval in the future", { approvedOn: "2099-01-01" }, "input.approvedOn"],
      ["a region outside the county's division list", { regionCode: "522328199" }, "input.regionCode"],
    ] as const)("refuses %s", async (_name, change, field) => {
      if (!platform) return;
      const before = await rows(platform, BirthPermitRecord);
      const input = { number: nextNumber("SY"), kind: "生育登记", approvedOn: "2026-02-01", wifeIdNumber: makeIdNumber("522328", "1995-01-01", 18), regionCode: "522328101", birthOrder: 1, ...change };
      expectBadInput(await platform.query(PERMIT, { input }, POPULATION), field);
      expect(await rows(platform, BirthPermitRecord)).toBe(before);
    });
  });

  // ───────────────────────────── 社会抚养费 ─────────────────────────────

  describe("decideSocialMaintenanceFee and recordFeePayment", () => {
    const child = makeIdNumber("522328", "2015-08-08", 21);

    run("decides a fee once per birth, takes payments with versions and shows the case in the mother's profile", async (p) => {
      const mother = woman("1980-01-01", "1992-12-31");
      const input = { birthCertificateNumber: "Q520000001", childIdNumber: child, motherIdNumber: mother.idNumber, decidingCountyCode: "522328", decidedOn: "2016-01-15", amountYuan: 30000 };
      const decided = expectNoErrors(await p.query(DECIDE, { input }, POPULATION)).decideSocialMaintenanceFee;
      expect(decided).toMatchObject({ birthCertificateNumber: "Q520000001", amountYuan: 30000, paidYuan: 0, outstandingYuan: 30000, status: "DECIDED", version: 1, decidingCounty: { code: "522328" }, mother: { id: mother.id }, father: null });
      expect((await profile(p, mother.idNumber)).socialMaintenanceFees).toEqual([{ id: decided.id, status: "DECIDED", amountYuan: 30000, paidYuan: 0, version: 1 }]);

      // Never twice for one birth: by its certificate, or by the child, even when another county decides.
      expectBadInput(await p.query(DECIDE, { input: { ...input, childIdNumber: null, decidingCountyCode: "520424" } }, POPULATION), "input.birthCertificateNumber");
      expectBadInput(await p.query(DECIDE, { input: { ...input, birthCertificateNumber: null, decidingCountyCode: "520424" } }, POPULATION), "input.childIdNumber");
      expect(await rows(p, SocialMaintenanceFeeRecord, { childPersonId: decided.child.id })).toBe(1);

      const paid = expectNoErrors(await p.query(PAY, { input: { caseId: decided.id, amountYuan: 10000, paidOn: "2016-02-01", expectedVersion: 1 } }, POPULATION)).recordFeePayment;
      expect(paid).toEqual({ id: decided.id, paidYuan: 10000, outstandingYuan: 20000, lastPaidOn: "2016-02-01", status: "PARTLY_PAID", version: 2 });
      expect(errorCode(await p.query(PAY, { input: { caseId: decided.id, amountYuan: 5000, paidOn: "2016-03-01", expectedVersion: 1 } }, POPULATION))).toBe("VERSION_CONFLICT");
      expectBadInput(await p.query(PAY, { input: { caseId: decided.id, amountYuan: 20001, paidOn: "2016-03-01" } }, POPULATION), "input.amountYuan");
      expectBadInput(await p.query(PAY, { input: { caseId: decided.id, amountYuan: 100, paidOn: "2016-01-01" } }, POPULATION), "input.paidOn");
      expectBadInput(await p.query(PAY, { input: { caseId: "not-a-case", amountYuan: 100, paidOn: "2016-03-01" } }, POPULATION), "input.caseId");
      const rest = expectNoErrors(await p.query(PAY, { input: { caseId: decided.id, amountYuan: 20000, paidOn: "2016-03-01", expectedVersion: 2 } }, POPULATION)).recordFeePayment;
      expect(rest).toMatchObject({ paidYuan: 30000, outstandingYuan: 0, status: "PAID", version: 3 });
    });

    run("ten payments sent at once against one version: exactly one is applied, the others are VERSION_CONFLICT", async (p) => {
      const mother = woman("1980-01-01", "1992-12-31");
      const input = { birthCertificateNumber: "Q520000555", motherIdNumber: mother.idNumber, decidingCountyCode: "522328", decidedOn: "2016-01-15", amountYuan: 30000 };
      const decided = expectNoErrors(await p.query(DECIDE, { input }, POPULATION)).decideSocialMaintenanceFee;
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          p.query(PAY, { input: { caseId: decided.id, amountYuan: 1000 + i, paidOn: "2016-02-01", expectedVersion: 1 }, key: `race-pay-${i}` }, POPULATION),
        ),
      );
      const applied = responses.filter((r) => !r.body.errors);
      expect(applied).toHaveLength(1);
      expect(responses.filter((r) => r.body.errors).map(errorCode)).toEqual(Array(9).fill("VERSION_CONFLICT"));
      // No lost update: the stored case holds exactly the one payment that was answered as applied.
      const stored = await p.subgraphs.population.db!.dataSource.getRepository(SocialMaintenanceFeeRecord).findOneByOrFail({ birthCertificateNumber: "Q520000555" });
      expect({ paid: stored.paidYuan, version: stored.version }).toEqual({ paid: applied[0].body.data!.recordFeePayment.paidYuan, version: 2 });
    });

    run("two departments deciding the same birth at the same moment: exactly one decision stands", async (p) => {
      const mother = woman("1980-01-01", "1992-12-31");
      const input = { birthCertificateNumber: "Q520000777", motherIdNumber: mother.idNumber, decidedOn: "2017-01-15", amountYuan: 20000 };
      const responses = await Promise.all(
        ["522328", "520424", "371502", "421121"].map((decidingCountyCode, i) => p.query(DECIDE, { input: { ...input, decidingCountyCode }, key: `race-${i}` }, POPULATION)),
      );
      expect(responses.filter((r) => !r.body.errors).length).toBe(1);
      for (const refused of responses.filter((r) => r.body.errors)) expectBadInput(refused, "input.birthCertificateNumber");
      expect(await rows(p, SocialMaintenanceFeeRecord, { birthCertificateNumber: "Q520000777" })).toBe(1);
    });

    it.each([
      ["neither the birth certificate nor the child", { birthCertificateNumber: null, childIdNumber: null }, "input.birthCertificateNumber"],
      ["no parent", { motherIdNumber: null }, "input.motherIdNumber"],
      ["a town deciding instead of a county", { decidingCountyCode: "522328101" }, "input.decidingCountyCode"],
      ["an unknown county", { decidingCountyCode: "522399" }, "input.decidingCountyCode"],
      ["a decision before the child's birth", { decidedOn: "2015-01-01" }, "input.decidedOn"],
      ["a decision in the future", { decidedOn: "2099-01-01" }, "input.decidedOn"],
      ["an amount of 0 yuan", { amountYuan: 0 }, "input.amountYuan"],
      ["a child born before the mother", { childIdNumber: makeIdNumber("522328", "1970-08-08", 21) }, "input.childIdNumber"],
    ] as const)("refuses %s", async (_name, change, field) => {
      if (!platform) return;
      const before = await rows(platform, SocialMaintenanceFeeRecord);
      const input = { birthCertificateNumber: `Q52${String(++serial).padStart(7, "0")}`, childIdNumber: makeIdNumber("522328", "2015-09-09", 41), motherIdNumber: makeIdNumber("522328", "1985-01-01", 42), decidingCountyCode: "522328", decidedOn: "2016-01-15", amountYuan: 1000, ...change };
      expectBadInput(await platform.query(DECIDE, { input }, POPULATION), field);
      expect(await rows(platform, SocialMaintenanceFeeRecord)).toBe(before);
    });

    run("a county clerk outside the deciding county is refused", async (p) => {
      const input = { childIdNumber: makeIdNumber("522328", "2015-09-09", 43), motherIdNumber: makeIdNumber("522328", "1985-01-01", 44), decidingCountyCode: "522328", decidedOn: "2016-01-15", amountYuan: 1000 };
      expectBadInput(await p.query(DECIDE, { input }, { claims: { dept: "population", region: "520424" } }), "input.decidingCountyCode");
    });
  });

  // ───────────────────────── visits and the association ─────────────────────────

  describe("recordCareVisit and joinAssociation", () => {
    run("records a visit, visible in the person's profile", async (p) => {
      const e = person((x) => x.birthDate < "1960-01-01");
      const input = { idNumber: e.idNumber, visitedOn: "2026-01-20", kind: "CHILD_DECEASED_FAMILY", visitedBy: "龙广镇计生办 张𠮷", note: "送慰问金 500 元", regionCode: e.hukouRegionCode };
      const visit = expectNoErrors(await p.query(VISIT, { input, key: `visit-${e.id}` }, POPULATION)).recordCareVisit;
      expect(visit).toMatchObject({ visitedOn: "2026-01-20", kind: "CHILD_DECEASED_FAMILY", visitedBy: "龙广镇计生办 张𠮷", note: "送慰问金 500 元", version: 1, person: { id: e.id } });
      expect((await profile(p, e.idNumber)).careVisits).toEqual([
        { id: visit.id, kind: "CHILD_DECEASED_FAMILY", visitedBy: "龙广镇计生办 张𠮷", note: "送慰问金 500 元", region: { code: e.hukouRegionCode }, version: 1 },
      ]);
      expect(expectNoErrors(await p.query(VISIT, { input, key: `visit-${e.id}` }, POPULATION)).recordCareVisit).toEqual(visit);
      expect(await rows(p, CareVisitRecord, { personId: e.id })).toBe(1);

      for (const [change, field] of [
        [{ visitedBy: " " }, "input.visitedBy"],
        [{ note: "很".repeat(501) }, "input.note"],
        [{ visitedOn: "2099-01-01" }, "input.visitedOn"],
        [{ visitedOn: "1930-01-01" }, "input.visitedOn"],
        [{ idNumber: wrongCheck(e.idNumber) }, "input.idNumber"],
        [{ regionCode: "5223" }, "input.regionCode"],
      ] as const) {
        expectBadInput(await p.query(VISIT, { input: { ...input, visitedOn: "2026-02-20", ...change } }, POPULATION), field);
      }
      expect(await rows(p, CareVisitRecord, { personId: e.id })).toBe(1);
    });

    run("a person joins the association once; a second join and a join before birth are refused", async (p) => {
      const e = person((x) => x.birthDate < "1990-01-01");
      expect((await profile(p, e.idNumber)).associationMember).toBe(false);
      const joined = expectNoErrors(await p.query(JOIN, { input: { idNumber: e.idNumber, joinedOn: "2026-03-08", regionCode: e.hukouRegionCode } }, POPULATION)).joinAssociation;
      expect(joined).toEqual({ joinedOn: "2026-03-08", version: 1, person: { id: e.id }, region: { code: e.hukouRegionCode } });
      expect((await profile(p, e.idNumber)).associationMember).toBe(true);
      expectBadInput(await p.query(JOIN, { input: { idNumber: e.idNumber, joinedOn: "2026-04-08", regionCode: e.hukouRegionCode } }, POPULATION), "input.idNumber");
      const other = person((x) => x.birthDate > "1990-01-01");
      expectBadInput(await p.query(JOIN, { input: { idNumber: other.idNumber, joinedOn: "1980-01-01", regionCode: other.hukouRegionCode } }, POPULATION), "input.joinedOn");
      expect(await rows(p, AssociationMemberRecord, { personId: other.id })).toBe(0);
      expect(errorCode(await p.query(JOIN, { input: { idNumber: other.idNumber, joinedOn: "2026-03-08", regionCode: other.hukouRegionCode } }, { claims: { dept: "health" } }))).toBe(
        "FORBIDDEN",
      );
    });
  });
});
