import { checkCharacter, makeIdNumber } from "../../shared/src/id-number";
import { childrenOf } from "../../shared/src/regions";
import { generateCounty, type County, type PersonRow } from "../../shared/src/synthetic/county";
import { writeCounty } from "../../shared/src/synthetic/write";
import type { EntityTarget, ObjectLiteral } from "typeorm";
import { BirthCertificateRecord } from "../../subgraphs/health/src/birth-certificate/birth-certificate.entity";
import { PrePregnancyCheckRecord } from "../../subgraphs/health/src/pre-pregnancy-check/pre-pregnancy-check.entity";
import { dialectsUnderTest, isMysqlAvailable } from "../helpers/databases";
import { expectNoErrors, startPlatform, type GraphQLResponse, type Platform, type QueryOptions } from "../helpers/platform";

const COUNTY = { countyCode: "522328", people: 600, seed: 5 };
const HEALTH: QueryOptions = { claims: { dept: "health" } };
/** A village of 龙广镇, 安龙县 (the seeded county), where the records of these tests are made. */
const VILLAGE = childrenOf("522328101")[0].code;

const ISSUE = `mutation Issue($input: IssueBirthCertificateInput!, $key: String) {
  issueBirthCertificate(input: $input, idempotencyKey: $key) {
    certificateNumber childName sex birthDate birthOrder institution version region { code } mother { id } father { id }
  }
}`;
const CERTIFICATE = `query($n: ID!) { birthCertificate(certificateNumber: $n) { certificateNumber birthOrder } }`;
const BIRTHS = `query($n: String) { person(idNumber: $n) { birthsGiven { certificateNumber birthOrder birthDate } } }`;
const CHECK = `mutation Check($input: RecordPrePregnancyCheckInput!, $key: String) {
  recordPrePregnancyCheck(input: $input, idempotencyKey: $key) { id checkedOn riskFound institution version woman { id } man { id } region { code } }
}`;
const CHECKS = `query($n: String) { person(idNumber: $n) { prePregnancyChecks { id checkedOn } } }`;
const TARGET = `mutation Target($input: SetPrePregnancyCheckTargetInput!, $key: String) {
  setPrePregnancyCheckTarget(input: $input, idempotencyKey: $key) { town { code name } year target }
}`;

/** The error a rejected write must give: BAD_USER_INPUT naming the input field, with a Chinese and an English message. */
function expectBadInput(response: GraphQLResponse, field: string) {
  const error = response.body.errors?.[0];
  expect({ code: error?.extensions?.code, field: error?.extensions?.field }).toEqual({ code: "BAD_USER_INPUT", field });
  expect(error?.message).toMatch(/[\u4e00-\u9fff]/);
  expect(error?.message).toMatch(/[a-z]{3,}/);
}

function errorCode(response: GraphQLResponse): unknown {
  return response.body.errors?.[0]?.extensions?.code;
}

/** The same number with a check character that does not match. */
function wrongCheck(idNumber: string): string {
  const right = idNumber[17];
  return idNumber.slice(0, 17) + (right === "1" ? "2" : "1");
}

/** A number whose check character matches but whose birth date does not exist (30 February). */
const IMPOSSIBLE_DATE_ID = "52232819880230001" + checkCharacter("52232819880230001");

/** Rows of a health table, read from the department's own test database: proof that a refused write wrote nothing. */
async function rowCount(platform: Platform, entity: EntityTarget<ObjectLiteral>): Promise<number> {
  return platform.subgraphs.health.db!.dataSource.getRepository(entity).count();
}

let serial = 0;
/** A certificate number no other test uses: one letter and nine digits, like the seeded ones. */
function certificateNumber(): string {
  serial++;
  return `Z${String(900_000_000 + serial)}`;
}

describe.each(dialectsUnderTest())("health write paths through the gateway, on %s", (dialect) => {
  let platform: Platform | undefined;
  let county: County;
  let persons: PersonRow[];

  beforeAll(async () => {
    if (dialect === "mysql" && !(await isMysqlAvailable())) return;
    county = generateCounty(COUNTY);
    persons = county.tables["public-security"].person;
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

  /** A living woman of the register born in the given years, with `births` certificates in health's records, not used by another test. */
  const usedMothers = new Set<string>();
  function mother(options: { bornFrom: string; bornTo: string; births: number }): PersonRow {
    const found = persons.find(
      (p) =>
        p.sex === "FEMALE" &&
        p.status === "ACTIVE" &&
        p.birthDate >= options.bornFrom &&
        p.birthDate <= options.bornTo &&
        !usedMothers.has(p.idNumber) &&
        county.tables.health.birthCertificate.filter((b) => b.motherIdNumber === p.idNumber).length === options.births &&
        county.tables.health.prePregnancyCheck.every((c) => c.womanIdNumber !== p.idNumber),
    );
    if (!found) throw new Error(`no woman born ${options.bornFrom}–${options.bornTo} with ${options.births} births in the county`);
    usedMothers.add(found.idNumber);
    return found;
  }
  const man = (bornFrom: string, bornTo: string) =>
    persons.find((p) => p.sex === "MALE" && p.status === "ACTIVE" && p.birthDate >= bornFrom && p.birthDate <= bornTo)!;

  function certificateInput(motherRow: PersonRow, overrides: Record<string, unknown> = {}) {
    return {
      certificateNumber: certificateNumber(),
      childName: "王𠮷安",
      sex: "FEMALE",
      birthDate: "2026-03-01",
      motherIdNumber: motherRow.idNumber,
      fatherIdNumber: null,
      institution: "安龙县人民医院",
      regionCode: VILLAGE,
      ...overrides,
    };
  }

  async function certificateExists(p: Platform, number: string): Promise<boolean> {
    return expectNoErrors(await p.query(CERTIFICATE, { n: number }, HEALTH)).birthCertificate !== null;
  }

  describe("issueBirthCertificate", () => {
    run("issues a certificate whose 孩次 follows the mother's earlier certificates, visible as her birthsGiven", async (p) => {
      const m = mother({ bornFrom: "1988-01-01", bornTo: "1996-12-31", births: 2 });
      const father = man("1985-01-01", "1995-12-31");
      const input = certificateInput(m, { fatherIdNumber: father.idNumber, birthDate: "2026-02-14" });
      const issued = expectNoErrors(await p.query(ISSUE, { input }, HEALTH)).issueBirthCertificate;
      expect(issued).toMatchObject({
        certificateNumber: input.certificateNumber,
        childName: "王𠮷安",
        sex: "FEMALE",
        birthDate: "2026-02-14",
        birthOrder: 3,
        version: 1,
        region: { code: VILLAGE },
        mother: { id: m.id },
        father: { id: father.id },
      });
      const births = expectNoErrors(await p.query(BIRTHS, { n: m.idNumber }, HEALTH)).person.birthsGiven;
      expect(births).toHaveLength(3);
      expect(births[2]).toEqual({ certificateNumber: input.certificateNumber, birthOrder: 3, birthDate: "2026-02-14" });

      // A twin issued second is the next child.
      const twin = certificateInput(m, { fatherIdNumber: father.idNumber, birthDate: "2026-02-14", sex: "MALE" });
      expect(expectNoErrors(await p.query(ISSUE, { input: twin }, HEALTH)).issueBirthCertificate.birthOrder).toBe(4);
    });

    run("a first birth of a mother new to health's records is 孩次 1, and a lower-case x in her ID number is accepted", async (p) => {
      const idNumber = makeIdNumber("522301", "1995-07-19", 128);
      const lower = idNumber.toLowerCase();
      const input = certificateInput({ idNumber: lower } as PersonRow, { birthDate: "2026-01-05" });
      const issued = expectNoErrors(await p.query(ISSUE, { input }, HEALTH)).issueBirthCertificate;
      expect(issued.birthOrder).toBe(1);
    });

    const base = () => ({ birthDate: "2026-03-01" });
    // Every row has all four elements: jest takes a fourth parameter the row does not fill for a done callback.
    const cases: [string, (m: PersonRow) => Record<string, unknown>, string, QueryOptions][] = [
      ["a mother's ID number with a wrong check character", (m) => ({ motherIdNumber: wrongCheck(m.idNumber) }), "input.motherIdNumber", HEALTH],
      ["a mother's ID number of a man (17th digit odd)", () => ({ motherIdNumber: makeIdNumber("522328", "1990-01-01", 11) }), "input.motherIdNumber", HEALTH],
      ["a father's ID number of a woman", () => ({ fatherIdNumber: makeIdNumber("522328", "1988-01-01", 12) }), "input.fatherIdNumber", HEALTH],
      ["a father's ID number with an impossible birth date", () => ({ fatherIdNumber: IMPOSSIBLE_DATE_ID }), "input.fatherIdNumber", HEALTH],
      ["a birth date in the future", () => ({ birthDate: "2099-01-01" }), "input.birthDate", HEALTH],
      ["a birth before the mother's own birth", () => ({ motherIdNumber: makeIdNumber("522328", "2000-05-01", 22), birthDate: "1999-01-01" }), "input.birthDate", HEALTH],
      ["a mother aged 11 at the birth", () => ({ motherIdNumber: makeIdNumber("522328", "2014-05-01", 22), birthDate: "2026-01-01" }), "input.motherIdNumber", HEALTH],
      ["a mother aged 61 at the birth", () => ({ motherIdNumber: makeIdNumber("522328", "1964-05-01", 22), birthDate: "2026-01-01" }), "input.motherIdNumber", HEALTH],
      ["an unknown division code", () => ({ regionCode: "522328999" }), "input.regionCode", HEALTH],
      ["a malformed division code", () => ({ regionCode: "52232" }), "input.regionCode", HEALTH],
      ["a province as the mother's region", () => ({ regionCode: "52" }), "input.regionCode", HEALTH],
      ["an empty child name", () => ({ childName: "  " }), "input.childName", HEALTH],
      ["an empty institution", () => ({ institution: "" }), "input.institution", HEALTH],
      ["a certificate number with spaces", () => ({ certificateNumber: "Z 123" }), "input.certificateNumber", HEALTH],
      ["a region outside the caller's jurisdiction", () => ({}), "input.regionCode", { claims: { dept: "health", region: "522301" } }],
    ];
    it.each(cases)("refuses %s, naming the field, and writes nothing", async (_name, change, field, options) => {
      if (!platform) return;
      const m = persons.find((p) => p.sex === "FEMALE" && p.birthDate >= "1990-01-01" && p.birthDate <= "1995-12-31")!;
      const input = certificateInput(m, { ...base(), ...change(m) });
      const before = await rowCount(platform, BirthCertificateRecord);
      const response = await platform.query(ISSUE, { input }, options);
      expectBadInput(response, field);
      expect(response.body.data?.issueBirthCertificate ?? null).toBeNull();
      expect(await certificateExists(platform, String(input.certificateNumber).toUpperCase())).toBe(false);
      expect(await rowCount(platform, BirthCertificateRecord)).toBe(before);
    });

    run("refuses a date that does not exist (30 February) before any resolver runs", async (p) => {
      const m = persons.find((x) => x.sex === "FEMALE" && x.birthDate >= "1990-01-01")!;
      const input = certificateInput(m, { birthDate: "2025-02-30" });
      const response = await p.query(ISSUE, { input }, HEALTH);
      expect(errorCode(response)).toBe("BAD_USER_INPUT");
      expect(response.body.errors?.[0].message).toContain("input.birthDate");
      expect(await certificateExists(p, input.certificateNumber)).toBe(false);
    });

    run("a second issue of the same certificate number is BAD_USER_INPUT on input.certificateNumber and leaves the first as it was", async (p) => {
      const m = mother({ bornFrom: "1984-01-01", bornTo: "2003-12-31", births: 0 });
      const input = certificateInput(m, { birthDate: "2026-04-01" });
      expectNoErrors(await p.query(ISSUE, { input }, HEALTH));
      const other = mother({ bornFrom: "1984-01-01", bornTo: "2003-12-31", births: 0 });
      const again = await p.query(ISSUE, { input: { ...input, motherIdNumber: other.idNumber, childName: "李四" } }, HEALTH);
      expectBadInput(again, "input.certificateNumber");
      expect(expectNoErrors(await p.query(BIRTHS, { n: other.idNumber }, HEALTH)).person.birthsGiven).toEqual([]);
      expect(expectNoErrors(await p.query(BIRTHS, { n: m.idNumber }, HEALTH)).person.birthsGiven).toHaveLength(1);
    });

    run("the same idempotency key returns the first result and writes once; another payload with it is IDEMPOTENCY_KEY_REUSED", async (p) => {
      const m = mother({ bornFrom: "1990-01-01", bornTo: "1998-12-31", births: 1 });
      const input = certificateInput(m, { birthDate: "2026-05-01" });
      const key = `issue-${dialect}-${input.certificateNumber}`;
      const first = expectNoErrors(await p.query(ISSUE, { input, key }, HEALTH)).issueBirthCertificate;
      const second = expectNoErrors(await p.query(ISSUE, { input, key }, HEALTH)).issueBirthCertificate;
      expect(second).toEqual(first);
      expect(first.birthOrder).toBe(2);
      expect(expectNoErrors(await p.query(BIRTHS, { n: m.idNumber }, HEALTH)).person.birthsGiven).toHaveLength(2);

      const reused = await p.query(ISSUE, { input: { ...input, certificateNumber: certificateNumber() }, key }, HEALTH);
      expect(errorCode(reused)).toBe("IDEMPOTENCY_KEY_REUSED");
      expect(expectNoErrors(await p.query(BIRTHS, { n: m.idNumber }, HEALTH)).person.birthsGiven).toHaveLength(2);
    });

    run("20 concurrent sends with one key write one certificate and all get the same answer", async (p) => {
      const m = mother({ bornFrom: "1984-01-01", bornTo: "2003-12-31", births: 0 });
      const input = certificateInput(m, { birthDate: "2026-06-01" });
      const key = `concurrent-${dialect}-${input.certificateNumber}`;
      const responses = await Promise.all(Array.from({ length: 20 }, () => p.query(ISSUE, { input, key }, HEALTH)));
      const results = responses.map((r) => expectNoErrors(r).issueBirthCertificate);
      for (const result of results) expect(result).toEqual(results[0]);
      expect(expectNoErrors(await p.query(BIRTHS, { n: m.idNumber }, HEALTH)).person.birthsGiven).toEqual([
        { certificateNumber: input.certificateNumber, birthOrder: 1, birthDate: "2026-06-01" },
      ]);
    }, 30_000);

    run("a department without write:births (civil-affairs; a health token narrowed to reading) is FORBIDDEN and nothing is written", async (p) => {
      const m = persons.find((x) => x.sex === "FEMALE" && x.birthDate >= "1992-01-01" && x.birthDate <= "1996-12-31")!;
      const input = certificateInput(m);
      const civil = await p.query(ISSUE, { input }, { claims: { dept: "civil_affairs" } });
      expect(errorCode(civil)).toBe("FORBIDDEN");
      const narrowed = await p.query(ISSUE, { input }, { claims: { dept: "health", scope: "read:births read:identity" } });
      expect(errorCode(narrowed)).toBe("FORBIDDEN");
      expect(await certificateExists(p, input.certificateNumber)).toBe(false);
    });
  });

  describe("recordPrePregnancyCheck", () => {
    function checkInput(woman: PersonRow, overrides: Record<string, unknown> = {}) {
      return {
        womanIdNumber: woman.idNumber,
        manIdNumber: null,
        checkedOn: "2026-03-10",
        institution: "安龙县妇幼保健院",
        regionCode: VILLAGE,
        riskFound: false,
        ...overrides,
      };
    }

    run("records a check of a couple, visible as both persons' prePregnancyChecks", async (p) => {
      const woman = mother({ bornFrom: "1984-01-01", bornTo: "2003-12-31", births: 0 });
      const husband = man("1988-01-01", "1998-12-31");
      const check = expectNoErrors(await p.query(CHECK, { input: checkInput(woman, { manIdNumber: husband.idNumber, riskFound: true }) }, HEALTH))
        .recordPrePregnancyCheck;
      expect(check).toMatchObject({ checkedOn: "2026-03-10", riskFound: true, version: 1, woman: { id: woman.id }, man: { id: husband.id }, region: { code: VILLAGE } });
      expect(check.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(expectNoErrors(await p.query(CHECKS, { n: woman.idNumber }, HEALTH)).person.prePregnancyChecks).toEqual([{ id: check.id, checkedOn: "2026-03-10" }]);
      expect(expectNoErrors(await p.query(CHECKS, { n: husband.idNumber }, HEALTH)).person.prePregnancyChecks.map((c: { id: string }) => c.id)).toContain(check.id);
    });

    run("one free check per child: a second check with no birth in between is refused, one after a birth is accepted", async (p) => {
      const woman = mother({ bornFrom: "1984-01-01", bornTo: "2003-12-31", births: 0 });
      expectNoErrors(await p.query(CHECK, { input: checkInput(woman, { checkedOn: "2025-01-10" }) }, HEALTH));
      expectBadInput(await p.query(CHECK, { input: checkInput(woman, { checkedOn: "2025-06-10" }) }, HEALTH), "input.womanIdNumber");
      expectNoErrors(await p.query(ISSUE, { input: certificateInput(woman, { birthDate: "2025-11-02" }) }, HEALTH));
      expectNoErrors(await p.query(CHECK, { input: checkInput(woman, { checkedOn: "2026-05-10" }) }, HEALTH));
      expect(expectNoErrors(await p.query(CHECKS, { n: woman.idNumber }, HEALTH)).person.prePregnancyChecks).toHaveLength(2);
    });

    let validationWoman: PersonRow | undefined;
    const cases: [string, Record<string, unknown>, string][] = [
      ["a woman's ID number of a man", { womanIdNumber: makeIdNumber("522328", "1995-01-01", 13) }, "input.womanIdNumber"],
      ["a woman's ID number with a wrong check character", { womanIdNumber: wrongCheck(makeIdNumber("522328", "1995-01-01", 20)) }, "input.womanIdNumber"],
      ["a woman aged 19 on the day", { womanIdNumber: makeIdNumber("522328", "2006-06-01", 24), checkedOn: "2026-03-01" }, "input.womanIdNumber"],
      ["a woman aged 50 on the day", { womanIdNumber: makeIdNumber("522328", "1975-06-01", 24), checkedOn: "2026-03-01" }, "input.womanIdNumber"],
      ["a man's ID number of a woman", { manIdNumber: makeIdNumber("522328", "1990-01-01", 14) }, "input.manIdNumber"],
      ["a man aged 21", { manIdNumber: makeIdNumber("522328", "2004-09-01", 15), checkedOn: "2026-03-01" }, "input.manIdNumber"],
      ["a check date in the future", { checkedOn: "2099-03-01" }, "input.checkedOn"],
      ["an unknown division code", { regionCode: "522328101999" }, "input.regionCode"],
    ];
    it.each(cases)("refuses %s, naming the field, and writes nothing", async (_name, change, field) => {
      if (!platform) return;
      validationWoman ??= mother({ bornFrom: "1984-01-01", bornTo: "2003-12-31", births: 0 });
      const before = await rowCount(platform, PrePregnancyCheckRecord);
      const response = await platform.query(CHECK, { input: checkInput(validationWoman, change) }, HEALTH);
      expectBadInput(response, field);
      expect(await rowCount(platform, PrePregnancyCheckRecord)).toBe(before);
      expect(expectNoErrors(await platform.query(CHECKS, { n: validationWoman.idNumber }, HEALTH)).person.prePregnancyChecks).toEqual([]);
    });

    run("idempotency: a repeat returns the first check; 20 concurrent sends of one key make exactly one check", async (p) => {
      const woman = mother({ bornFrom: "1984-01-01", bornTo: "2003-12-31", births: 0 });
      const input = checkInput(woman);
      const key = `check-${dialect}-${woman.id}`;
      const responses = await Promise.all(Array.from({ length: 20 }, () => p.query(CHECK, { input, key }, HEALTH)));
      const results = responses.map((r) => expectNoErrors(r).recordPrePregnancyCheck);
      for (const result of results) expect(result).toEqual(results[0]);
      const again = expectNoErrors(await p.query(CHECK, { input, key }, HEALTH)).recordPrePregnancyCheck;
      expect(again).toEqual(results[0]);
      expect(expectNoErrors(await p.query(CHECKS, { n: woman.idNumber }, HEALTH)).person.prePregnancyChecks).toEqual([{ id: results[0].id, checkedOn: "2026-03-10" }]);
      const reused = await p.query(CHECK, { input: { ...input, riskFound: true }, key }, HEALTH);
      expect(errorCode(reused)).toBe("IDEMPOTENCY_KEY_REUSED");
    }, 30_000);

    run("population (no write:health) is FORBIDDEN", async (p) => {
      const woman = mother({ bornFrom: "1984-01-01", bornTo: "2003-12-31", births: 0 });
      const response = await p.query(CHECK, { input: checkInput(woman) }, { claims: { dept: "population" } });
      expect(errorCode(response)).toBe("FORBIDDEN");
      expect(expectNoErrors(await p.query(CHECKS, { n: woman.idNumber }, HEALTH)).person.prePregnancyChecks).toEqual([]);
    });
  });

  describe("setPrePregnancyCheckTarget", () => {
    run("sets and replaces a town's yearly target", async (p) => {
      const input = { townCode: "522328101", year: 2026, target: 120 };
      const set = expectNoErrors(await p.query(TARGET, { input }, HEALTH)).setPrePregnancyCheckTarget;
      expect(set).toEqual({ town: { code: "522328101", name: expect.any(String) }, year: 2026, target: 120 });
      const replaced = expectNoErrors(await p.query(TARGET, { input: { ...input, target: 140 } }, HEALTH)).setPrePregnancyCheckTarget;
      expect(replaced.target).toBe(140);
    });

    it.each([
      ["a county code instead of a town", { townCode: "522328" }, "input.townCode"],
      ["an unknown town", { townCode: "522328199" }, "input.townCode"],
      ["a year before the programme", { year: 2009 }, "input.year"],
      ["a negative target", { target: -1 }, "input.target"],
    ] as const)("refuses %s", async (_name, change, field) => {
      if (!platform) return;
      expectBadInput(await platform.query(TARGET, { input: { townCode: "522328101", year: 2026, target: 10, ...change } }, HEALTH), field);
    });

    run("a town outside the caller's jurisdiction is refused", async (p) => {
      const response = await p.query(TARGET, { input: { townCode: "522328101", year: 2026, target: 10 } }, { claims: { dept: "health", region: "522328102" } });
      expectBadInput(response, "input.townCode");
    });
  });
});
