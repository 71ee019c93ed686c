import { makeIdNumber } from "../../shared/src/id-number";
import { generateCounty, type County, type PersonRow } from "../../shared/src/synthetic/county";
import { writeCounty } from "../../shared/src/synthetic/write";
import { dialectsUnderTest, isMysqlAvailable } from "../helpers/databases";
import { expectNoErrors, startPlatform, type GraphQLResponse, type Platform, type QueryOptions } from "../helpers/platform";

const COUNTY = { countyCode: "522328", people: 600, seed: 5 };
const CLERK: QueryOptions = { claims: { sub: "ca-clerk", dept: "civil_affairs" } };

const REGISTER_MARRIAGE = `mutation($input: RegisterMarriageInput!, $key: String) {
  registerMarriage(input: $input, idempotencyKey: $key) {
    registrationNumber kind registeredOn version husband { id } wife { id } region { code }
  }
}`;
const REGISTER_DIVORCE = `mutation($input: RegisterDivorceInput!, $key: String) {
  registerDivorce(input: $input, idempotencyKey: $key) { registrationNumber kind registeredOn husband { id } wife { id } }
}`;
const REGISTER_DEATH = `mutation($input: RegisterDeathInput!, $key: String) {
  registerDeath(input: $input, idempotencyKey: $key) { deathDate registeredOn cremationNumber region { code level } }
}`;
const ENROLL_RELIEF = `mutation($input: EnrollReliefInput!, $key: String) {
  enrollRelief(input: $input, idempotencyKey: $key) { id program since until version region { code } }
}`;
const END_RELIEF = `mutation($input: EndReliefInput!, $key: String) {
  endRelief(input: $input, idempotencyKey: $key) { id program since until version }
}`;
const PERSON = `query($n: String) { person(idNumber: $n) {
  id status
  maritalStatus
  marriages { registrationNumber kind registeredOn version }
  death { deathDate registeredOn cremationNumber region { code } }
  relief { id program since until version }
} }`;
const MARRIAGE_COUNT = `{ marriageRecords(regionCode: "522328", first: 0) { totalCount } }`;

/** The single error of a refused mutation: its code and the input field it names, and no data. */
function refusal(response: GraphQLResponse): { code: string; field?: string } {
  expect(response.body.errors).toHaveLength(1);
  expect(response.body.data ?? null).toBeNull();
  const extensions = response.body.errors![0].extensions ?? {};
  return { code: extensions.code, field: extensions.field };
}

describe.each(dialectsUnderTest())("civil-affairs write paths on %s", (dialect) => {
  let platform: Platform | undefined;
  let county: County;
  let singleMen: PersonRow[];
  let singleWomen: PersonRow[];
  /** Current marriages of the model (latest record of both is this MARRIAGE, both alive and active). */
  let couples: { registrationNumber: string; registeredOn: string; husband: PersonRow; wife: PersonRow }[];
  let unrelieved: PersonRow[];

  beforeAll(async () => {
    if (dialect === "mysql" && !(await isMysqlAvailable())) return;
    county = generateCounty(COUNTY);
    const people = county.tables["public-security"].person;
    const byId = new Map(people.map((p) => [p.id, p]));
    const records = county.tables["civil-affairs"].marriageRecord;
    const dead = new Set(county.tables["civil-affairs"].deathRegistration.map((d) => d.personId));
    const inRecords = new Set(records.flatMap((m) => [m.husbandPersonId, m.wifePersonId]));
    const relieved = new Set(county.tables["civil-affairs"].reliefEnrollment.map((r) => r.personId));
    const alive = (p: PersonRow) => p.status === "ACTIVE" && !dead.has(p.id);
    const bornBetween = (p: PersonRow, from: string, to: string) => p.birthDate >= from && p.birthDate <= to;
    const singles = people.filter((p) => alive(p) && !inRecords.has(p.id) && bornBetween(p, "1960-01-01", "2003-12-31"));
    singleMen = singles.filter((p) => p.sex === "MALE");
    singleWomen = singles.filter((p) => p.sex === "FEMALE");
    const latest = new Map<string, string>();
    for (const m of [...records].sort((a, b) => (a.registeredOn + a.registrationNumber < b.registeredOn + b.registrationNumber ? -1 : 1))) {
      latest.set(m.husbandPersonId, m.registrationNumber);
      latest.set(m.wifePersonId, m.registrationNumber);
    }
    couples = records
      .filter((m) => m.kind === "MARRIAGE" && latest.get(m.husbandPersonId) === m.registrationNumber && latest.get(m.wifePersonId) === m.registrationNumber)
      .map((m) => ({ registrationNumber: m.registrationNumber, registeredOn: m.registeredOn, husband: byId.get(m.husbandPersonId)!, wife: byId.get(m.wifePersonId)! }))
      .filter((c) => c.husband && c.wife && alive(c.husband) && alive(c.wife));
    unrelieved = people.filter((p) => alive(p) && !relieved.has(p.id) && bornBetween(p, "1950-01-01", "1990-12-31"));
    if (singleMen.length < 8 || singleWomen.length < 7 || couples.length < 4 || unrelieved.length < 2) throw new Error("the synthetic county is too small for these tests");
    platform = await startPlatform(dialect, { seed: (urls) => writeCounty(county, urls).then(() => undefined) });
  }, 120_000);
  afterAll(async () => {
    await platform?.stop();
  });

  const run = (name: string, body: (p: Platform) => Promise<void>) =>
    it(name, async () => {
      if (!platform) return; // MySQL not reachable and not required
      await body(platform);
    });

  const person = async (p: Platform, idNumber: string) => expectNoErrors(await p.query(PERSON, { n: idNumber }, CLERK)).person;
  const marriageCount = async (p: Platform) => expectNoErrors(await p.query(MARRIAGE_COUNT, {}, CLERK)).marriageRecords.totalCount as number;
  const town = (row: PersonRow) => row.hukouRegionCode.slice(0, 9);

  run("registers a marriage: the record, marital status and marriages are visible through the gateway; a retry with the key writes nothing", async (p) => {
    const [husband, wife] = [singleMen[0], singleWomen[0]];
    const before = await marriageCount(p);
    const input = { husbandIdNumber: husband.idNumber, wifeIdNumber: wife.idNumber, registeredOn: "2026-01-15", regionCode: town(husband) };
    const first = expectNoErrors(await p.query(REGISTER_MARRIAGE, { input, key: "marriage-1" }, CLERK)).registerMarriage;
    expect(first).toMatchObject({ kind: "MARRIAGE", registeredOn: "2026-01-15", version: 1, husband: { id: husband.id }, wife: { id: wife.id }, region: { code: town(husband) } });
    expect(first.registrationNumber).toMatch(/^J522328-2026-\d{6}$/);

    const seen = await person(p, wife.idNumber);
    expect(seen.maritalStatus).toBe("MARRIED");
    expect(seen.marriages).toEqual([{ registrationNumber: first.registrationNumber, kind: "MARRIAGE", registeredOn: "2026-01-15", version: 1 }]);
    expect((await person(p, husband.idNumber)).maritalStatus).toBe("MARRIED");

    const again = expectNoErrors(await p.query(REGISTER_MARRIAGE, { input, key: "marriage-1" }, CLERK)).registerMarriage;
    expect(again).toEqual(first);
    expect(await marriageCount(p)).toBe(before + 1);

    const reused = await p.query(REGISTER_MARRIAGE, { input: { ...input, registeredOn: "2026-01-16" }, key: "marriage-1" }, CLERK);
    expect(refusal(reused)).toEqual({ code: "IDEMPOTENCY_KEY_REUSED", field: "idempotencyKey" });
    expect(await marriageCount(p)).toBe(before + 1);
  });

  run("refuses each invalid marriage with the field at fault, writing nothing", async (p) => {
    const [husband, wife] = [singleMen[1], singleWomen[1]];
    const married = couples[0];
    const valid = { husbandIdNumber: husband.idNumber, wifeIdNumber: wife.idNumber, registeredOn: "2026-02-01", regionCode: town(husband) };
    const otherTown = county.tables["public-security"].person.map(town).find((t) => t !== town(husband))!;
    const badChecksum = wife.idNumber.slice(0, 17) + (wife.idNumber[17] === "0" ? "1" : "0");
    const cases: [string, Record<string, unknown>, QueryOptions, string][] = [
      ["husband's ID is a woman's", { husbandIdNumber: wife.idNumber }, CLERK, "input.husbandIdNumber"],
      ["wife's ID is a man's", { wifeIdNumber: singleMen[2].idNumber }, CLERK, "input.wifeIdNumber"],
      ["check character wrong", { wifeIdNumber: badChecksum }, CLERK, "input.wifeIdNumber"],
      ["husband 21 on the day", { husbandIdNumber: makeIdNumber("522328", "2004-06-01", 11) }, CLERK, "input.husbandIdNumber"],
      ["wife 19 on the day", { wifeIdNumber: makeIdNumber("522328", "2006-05-01", 12) }, CLERK, "input.wifeIdNumber"],
      ["husband currently married", { husbandIdNumber: married.husband.idNumber }, CLERK, "input.husbandIdNumber"],
      ["wife currently married", { wifeIdNumber: married.wife.idNumber }, CLERK, "input.wifeIdNumber"],
      ["unknown division", { regionCode: "522328999" }, CLERK, "input.regionCode"],
      ["date in the future", { registeredOn: "2099-01-01" }, CLERK, "input.registeredOn"],
      ["outside the clerk's jurisdiction", {}, { claims: { ...CLERK.claims, region: otherTown } }, "input.regionCode"],
    ];
    const before = await marriageCount(p);
    for (const [label, change, options, field] of cases) {
      const response = await p.query(REGISTER_MARRIAGE, { input: { ...valid, ...change } }, options);
      expect({ label, ...refusal(response) }).toEqual({ label, code: "BAD_USER_INPUT", field });
      expect(response.body.errors![0].message).toMatch(/[\u4e00-\u9fff].*\(.*[a-z]/);
    }
    // A date that does not exist is refused by the Date scalar before the resolver runs.
    const unreal = await p.query(REGISTER_MARRIAGE, { input: { ...valid, registeredOn: "2026-02-30" } }, CLERK);
    expect(refusal(unreal)).toEqual({ code: "BAD_USER_INPUT", field: "input.registeredOn" });
    expect(await marriageCount(p)).toBe(before);
    for (const row of [husband, wife, married.husband]) {
      const seen = await person(p, row.idNumber);
      expect(seen.marriages.filter((m: { registeredOn: string }) => m.registeredOn === "2026-02-01")).toEqual([]);
    }
  });

  run("20 concurrent sends of one key register one marriage and all answer the same record", async (p) => {
    const [husband, wife] = [singleMen[2], singleWomen[2]];
    const before = await marriageCount(p);
    const input = { husbandIdNumber: husband.idNumber, wifeIdNumber: wife.idNumber, registeredOn: "2026-03-01", regionCode: town(wife) };
    const responses = await Promise.all(Array.from({ length: 20 }, () => p.query(REGISTER_MARRIAGE, { input, key: "marriage-burst" }, CLERK)));
    const numbers = new Set(responses.map((r) => expectNoErrors(r).registerMarriage.registrationNumber));
    expect(numbers.size).toBe(1);
    expect(await marriageCount(p)).toBe(before + 1);
    expect((await person(p, husband.idNumber)).marriages).toHaveLength(1);
  });

  run("marriages registered at once under different keys get distinct registration numbers", async (p) => {
    const before = await marriageCount(p);
    const inputs = [0, 1, 2, 3].map((i) => ({
      husbandIdNumber: singleMen[4 + i].idNumber,
      wifeIdNumber: singleWomen[3 + i].idNumber,
      registeredOn: "2026-03-02",
      regionCode: "522328",
    }));
    const responses = await Promise.all(inputs.map((input, i) => p.query(REGISTER_MARRIAGE, { input, key: `parallel-${i}` }, CLERK)));
    const numbers = responses.map((r) => expectNoErrors(r).registerMarriage.registrationNumber);
    expect(new Set(numbers).size).toBe(4);
    expect(await marriageCount(p)).toBe(before + 4);
  });

  run("registers a divorce of a current marriage by its number or by both ID numbers, and refuses one that is not current", async (p) => {
    const couple = couples[1];
    const divorce = { marriageRegistrationNumber: couple.registrationNumber, registeredOn: "2026-04-01", regionCode: town(couple.wife) };
    const record = expectNoErrors(await p.query(REGISTER_DIVORCE, { input: divorce, key: "divorce-1" }, CLERK)).registerDivorce;
    expect(record).toMatchObject({ kind: "DIVORCE", registeredOn: "2026-04-01", husband: { id: couple.husband.id }, wife: { id: couple.wife.id } });
    expect(record.registrationNumber).toMatch(/^L522328-2026-\d{6}$/);
    const wife = await person(p, couple.wife.idNumber);
    expect(wife.maritalStatus).toBe("DIVORCED");
    expect(wife.marriages.find((m: { registrationNumber: string }) => m.registrationNumber === couple.registrationNumber).version).toBe(2);

    const before = await marriageCount(p);
    const cases: [Record<string, unknown>, string][] = [
      [divorce, "input.marriageRegistrationNumber"], // no longer current
      [{ registeredOn: "2026-04-01", regionCode: "522328" }, "input.marriageRegistrationNumber"], // neither number nor both IDs
      [{ marriageRegistrationNumber: "J522328-1900-000001", registeredOn: "2026-04-01", regionCode: "522328" }, "input.marriageRegistrationNumber"],
      [{ husbandIdNumber: singleMen[3].idNumber, wifeIdNumber: singleWomen[1].idNumber, registeredOn: "2026-04-01", regionCode: "522328" }, "input.husbandIdNumber"],
      [{ marriageRegistrationNumber: couples[2].registrationNumber, registeredOn: `${Number(couples[2].registeredOn.slice(0, 4)) - 1}-12-31`, regionCode: "522328" }, "input.registeredOn"],
    ];
    for (const [input, field] of cases) {
      expect({ input, ...refusal(await p.query(REGISTER_DIVORCE, { input }, CLERK)) }).toEqual({ input, code: "BAD_USER_INPUT", field });
    }
    expect(await marriageCount(p)).toBe(before);

    // The marriage registered in the first test, named by both spouses' ID numbers.
    const byIds = { husbandIdNumber: singleMen[0].idNumber, wifeIdNumber: singleWomen[0].idNumber, registeredOn: "2026-05-01", regionCode: town(singleMen[0]) };
    expect(expectNoErrors(await p.query(REGISTER_DIVORCE, { input: byIds }, CLERK)).registerDivorce.kind).toBe("DIVORCE");
    expect((await person(p, singleMen[0].idNumber)).maritalStatus).toBe("DIVORCED");
  });

  run("a divorce sent with a stale expectedVersion is VERSION_CONFLICT", async (p) => {
    const couple = couples[2];
    const read = (await person(p, couple.husband.idNumber)).marriages.find((m: { registrationNumber: string }) => m.registrationNumber === couple.registrationNumber);
    const input = { marriageRegistrationNumber: couple.registrationNumber, registeredOn: "2026-04-02", regionCode: "522328", expectedVersion: read.version };
    // Another clerk dissolves it first; this clerk's form still carries the version it read.
    expectNoErrors(await p.query(REGISTER_DIVORCE, { input, key: "divorce-clerk-b" }, CLERK));
    const stale = await p.query(REGISTER_DIVORCE, { input: { ...input, registeredOn: "2026-04-03" }, key: "divorce-clerk-a" }, CLERK);
    expect(refusal(stale).code).toBe("VERSION_CONFLICT");
    expect((await person(p, couple.husband.idNumber)).marriages.filter((m: { kind: string }) => m.kind === "DIVORCE")).toHaveLength(1);
  });

  run("registers a death in civil-affairs only, ends open relief, and lets the widowed spouse remarry", async (p) => {
    const couple = couples[3];
    const input = { idNumber: couple.husband.idNumber, deathDate: "2026-02-10", registeredOn: "2026-02-20", regionCode: couple.husband.hukouRegionCode, cremationNumber: "HH522328202699001" };
    const death = expectNoErrors(await p.query(REGISTER_DEATH, { input, key: "death-1" }, CLERK)).registerDeath;
    expect(death).toEqual({ deathDate: "2026-02-10", registeredOn: "2026-02-20", cremationNumber: "HH522328202699001", region: { code: couple.husband.hukouRegionCode, level: "VILLAGE" } });
    expect(expectNoErrors(await p.query(REGISTER_DEATH, { input, key: "death-1" }, CLERK)).registerDeath).toEqual(death);
    const seen = await person(p, couple.husband.idNumber);
    expect(seen.death).toEqual({ deathDate: "2026-02-10", registeredOn: "2026-02-20", cremationNumber: "HH522328202699001", region: { code: couple.husband.hukouRegionCode } });
    // Public-security's hukou is the police clerk's own registration (cancelHukou): nothing was written across.
    expect(seen.status).toBe("ACTIVE");
    expect((await person(p, couple.wife.idNumber)).maritalStatus).toBe("WIDOWED");

    const marriage = { husbandIdNumber: singleMen[3].idNumber, wifeIdNumber: couple.wife.idNumber, registeredOn: "2026-06-01", regionCode: town(couple.wife) };
    expect(expectNoErrors(await p.query(REGISTER_MARRIAGE, { input: marriage }, CLERK)).registerMarriage.kind).toBe("MARRIAGE");
    expect((await person(p, couple.wife.idNumber)).maritalStatus).toBe("MARRIED");
    // The dead cannot marry, nor be enrolled in relief.
    const dead = await p.query(REGISTER_MARRIAGE, { input: { ...marriage, husbandIdNumber: couple.husband.idNumber, wifeIdNumber: singleWomen[1].idNumber, registeredOn: "2026-07-01" } }, CLERK);
    expect(refusal(dead)).toEqual({ code: "BAD_USER_INPUT", field: "input.husbandIdNumber" });
    const relief = await p.query(ENROLL_RELIEF, { input: { idNumber: couple.husband.idNumber, program: "农村低保", since: "2026-03-01", regionCode: couple.husband.hukouRegionCode } }, CLERK);
    expect(refusal(relief)).toEqual({ code: "BAD_USER_INPUT", field: "input.idNumber" });

    // An open enrollment ends on the day of death.
    const used = new Set(couples.slice(0, 4).flatMap((c) => [c.husband.id, c.wife.id]));
    const open = county.tables["civil-affairs"].reliefEnrollment.find(
      (r) => r.until === null && !used.has(r.personId) && county.tables["public-security"].person.some((x) => x.id === r.personId && x.status === "ACTIVE"),
    )!;
    const recipient = county.tables["public-security"].person.find((x) => x.id === open.personId)!;
    expectNoErrors(await p.query(REGISTER_DEATH, { input: { idNumber: recipient.idNumber, deathDate: "2026-03-05", regionCode: open.regionCode } }, CLERK));
    expect((await person(p, recipient.idNumber)).relief).toContainEqual(expect.objectContaining({ program: open.program, since: open.since, until: "2026-03-05", version: 2 }));
  });

  run("refuses each invalid death registration with the field at fault, writing nothing", async (p) => {
    const subject = unrelieved[0];
    const valid = { idNumber: subject.idNumber, deathDate: "2026-05-01", registeredOn: "2026-05-03", regionCode: subject.hukouRegionCode };
    const cases: [Record<string, unknown>, string][] = [
      [{ idNumber: "52232819900101123" }, "input.idNumber"],
      [{ deathDate: "2099-01-01", registeredOn: null }, "input.deathDate"],
      [{ deathDate: "1900-01-01" }, "input.deathDate"], // before birth
      [{ deathDate: "2026-05-04" }, "input.deathDate"], // after the registration date
      [{ regionCode: "522328999999" }, "input.regionCode"],
      [{ idNumber: couples[3].husband.idNumber }, "input.idNumber"], // registered already (previous test)
    ];
    for (const [change, field] of cases) {
      const input = { ...valid, ...change };
      expect({ input, ...refusal(await p.query(REGISTER_DEATH, { input }, CLERK)) }).toEqual({ input, code: "BAD_USER_INPUT", field });
    }
    expect((await person(p, subject.idNumber)).death).toBeNull();
    expect((await person(p, couples[3].husband.idNumber)).death.deathDate).toBe("2026-02-10");
  });

  run("enrolls in relief and ends it with the version read; one programme at a time", async (p) => {
    const subject = unrelieved[1];
    const input = { idNumber: subject.idNumber, program: "农村低保", since: "2026-01-01", regionCode: subject.hukouRegionCode };
    const enrolled = expectNoErrors(await p.query(ENROLL_RELIEF, { input, key: "relief-1" }, CLERK)).enrollRelief;
    expect(enrolled).toMatchObject({ program: "农村低保", since: "2026-01-01", until: null, version: 1, region: { code: subject.hukouRegionCode } });
    expect(expectNoErrors(await p.query(ENROLL_RELIEF, { input, key: "relief-1" }, CLERK)).enrollRelief).toEqual(enrolled);

    const refused: [Record<string, unknown>, string][] = [
      [{ program: "特困供养" }, "input.program"], // enrolled in 低保 already
      [{ program: "城里低保" }, "input.program"],
      [{ since: "2099-01-01" }, "input.since"],
    ];
    for (const [change, field] of refused) {
      expect(refusal(await p.query(ENROLL_RELIEF, { input: { ...input, ...change } }, CLERK))).toEqual({ code: "BAD_USER_INPUT", field });
    }
    expect((await person(p, subject.idNumber)).relief).toHaveLength(1);

    const end = { idNumber: subject.idNumber, program: "农村低保", until: "2026-06-30", expectedVersion: enrolled.version };
    expect(refusal(await p.query(END_RELIEF, { input: { ...end, until: "2025-12-31" } }, CLERK))).toEqual({ code: "BAD_USER_INPUT", field: "input.until" });
    const ended = expectNoErrors(await p.query(END_RELIEF, { input: end }, CLERK)).endRelief;
    expect(ended).toMatchObject({ id: enrolled.id, until: "2026-06-30", version: 2 });
    expect(refusal(await p.query(END_RELIEF, { input: end }, CLERK))).toEqual({ code: "BAD_USER_INPUT", field: "input.program" });
    // A new period may start after the last one ended, not inside it.
    expect(refusal(await p.query(ENROLL_RELIEF, { input: { ...input, since: "2026-06-01" } }, CLERK))).toEqual({ code: "BAD_USER_INPUT", field: "input.since" });
    expectNoErrors(await p.query(ENROLL_RELIEF, { input: { ...input, program: "特困供养", since: "2026-07-01" } }, CLERK));
    expect((await person(p, subject.idNumber)).relief.map((r: { program: string }) => r.program)).toEqual(["农村低保", "特困供养"]);
  });

  run("refuses writes to departments without the write scope (FORBIDDEN) and writes nothing", async (p) => {
    const before = await marriageCount(p);
    const input = { husbandIdNumber: singleMen[1].idNumber, wifeIdNumber: singleWomen[1].idNumber, registeredOn: "2026-02-01", regionCode: "522328" };
    expect(refusal(await p.query(REGISTER_MARRIAGE, { input }, { claims: { dept: "health" } })).code).toBe("FORBIDDEN");
    expect(refusal(await p.query(REGISTER_MARRIAGE, { input }, { claims: { dept: "civil_affairs", scope: "read:marriage write:civil-status" } })).code).toBe("FORBIDDEN");
    const death = { idNumber: unrelieved[0].idNumber, deathDate: "2026-05-01", regionCode: "522328" };
    expect(refusal(await p.query(REGISTER_DEATH, { input: death }, { claims: { dept: "public_security" } })).code).toBe("FORBIDDEN");
    expect(await marriageCount(p)).toBe(before);
    expect((await person(p, unrelieved[0].idNumber)).death).toBeNull();
  });
});
