import { makeIdNumber } from "../../shared/src/id-number";
import { generateCounty, type County, type PersonRow } from "../../shared/src/synthetic/county";
import { writeCounty } from "../../shared/src/synthetic/write";
import { dialectsUnderTest, isMysqlAvailable } from "../helpers/databases";
import { expectNoErrors, startPlatform, type GraphQLResponse, type Platform, type QueryOptions } from "../helpers/platform";

const COUNTY = { countyCode: "522328", people: 600, seed: 5 };
const CLERK: QueryOptions = { claims: { sub: "ps-clerk", dept: "public_security" } };

const REGISTER_NEWBORN = `mutation($input: RegisterNewbornInput!, $key: String) {
  registerNewborn(input: $input, idempotencyKey: $key) {
    registeredOn
    person { id name sex birthDate status version hukou { type registeredOn relationToHead region { code } } household { householdNumber } }
  }
}`;
const PERSON_FIELDS = `id status version hukou { registeredOn cancelledOn region { code } } residence { address since region { code } }
  household { householdNumber } hukouEvents { kind on from { code } to { code } reason }`;
const CANCEL = `mutation($input: CancelHukouInput!, $key: String) { cancelHukou(input: $input, idempotencyKey: $key) { ${PERSON_FIELDS} } }`;
const MOVE_OUT = `mutation($input: MoveHukouOutInput!, $key: String) { moveHukouOut(input: $input, idempotencyKey: $key) { ${PERSON_FIELDS} } }`;
const MOVE_IN = `mutation($input: MoveHukouInInput!, $key: String) { moveHukouIn(input: $input, idempotencyKey: $key) { ${PERSON_FIELDS} } }`;
const RESIDENCE = `mutation($input: ChangeResidenceInput!, $key: String) { changeResidence(input: $input, idempotencyKey: $key) { ${PERSON_FIELDS} } }`;
const PERSON = `query($n: String) { person(idNumber: $n) { ${PERSON_FIELDS} } }`;
const CERTIFICATE = `query($n: ID!) { birthCertificate(certificateNumber: $n) { certificateNumber hukouRegistration { registeredOn person { id } } } }`;

/** A child of the model whose 落户 was taken out of the seed: the certificate exists in health, the child is not in the register. */
interface Unregistered {
  certificateNumber: string;
  idNumber: string;
  name: string;
  sex: "MALE" | "FEMALE";
  birthDate: string;
  householdNumber: string;
  registeredOn: string;
  regionCode: string;
}

function refusal(response: GraphQLResponse): { code: string; field?: string } {
  expect(response.body.errors).toHaveLength(1);
  expect(response.body.data ?? null).toBeNull();
  const extensions = response.body.errors![0].extensions ?? {};
  return { code: extensions.code, field: extensions.field };
}

/** Another valid ID number with the same birth date and sex (a different sequence). */
function sibling(idNumber: string): string {
  const sequence = Number(idNumber.slice(14, 17));
  return makeIdNumber(idNumber.slice(0, 6), `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`, (sequence + 500) % 1000);
}

describe.each(dialectsUnderTest())("public-security write paths on %s", (dialect) => {
  let platform: Platform | undefined;
  let county: County;
  let newborns: Unregistered[];
  let registered: { certificateNumber: string; child: PersonRow };
  let adults: PersonRow[];

  beforeAll(async () => {
    if (dialect === "mysql" && !(await isMysqlAvailable())) return;
    county = generateCounty(COUNTY);
    const ps = county.tables["public-security"];
    const heads = new Set(ps.household.map((h) => h.headPersonId));
    const byId = new Map(ps.person.map((p) => [p.id, p]));
    const children = ps.birthRegistration
      .map((r) => ({ registration: r, child: byId.get(r.personId)! }))
      .filter(({ child }) => child.birthDate >= "2016-01-01" && child.status === "ACTIVE" && !heads.has(child.id));
    // Five births whose registration is taken out of the seed: health has the certificate, the register has no child.
    const taken = children.slice(0, 5);
    newborns = taken.map(({ registration, child }) => ({
      certificateNumber: registration.certificateNumber,
      idNumber: child.idNumber,
      name: child.name,
      sex: child.sex as "MALE" | "FEMALE",
      birthDate: child.birthDate,
      householdNumber: child.householdNumber!,
      registeredOn: registration.registeredOn,
      regionCode: child.hukouRegionCode,
    }));
    const takenIds = new Set(taken.map((t) => t.child.id));
    ps.person = ps.person.filter((p) => !takenIds.has(p.id));
    ps.birthRegistration = ps.birthRegistration.filter((r) => !takenIds.has(r.personId));
    registered = { certificateNumber: children[5].registration.certificateNumber, child: children[5].child };
    const dead = new Set(county.tables["civil-affairs"].deathRegistration.map((d) => d.personId));
    adults = ps.person.filter((p) => p.status === "ACTIVE" && !dead.has(p.id) && p.birthDate >= "1960-01-01" && p.birthDate <= "1995-12-31");
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
  const certificate = async (p: Platform, n: string) => expectNoErrors(await p.query(CERTIFICATE, { n }, CLERK)).birthCertificate;
  const newbornInput = (b: Unregistered) => ({
    certificateNumber: b.certificateNumber,
    idNumber: b.idNumber,
    name: b.name,
    householdNumber: b.householdNumber,
    registeredOn: b.registeredOn,
  });

  run("registers a newborn from the health certificate: the certificate's hukouRegistration appears; a retry with the key writes nothing", async (p) => {
    const baby = newborns[0];
    expect((await certificate(p, baby.certificateNumber)).hukouRegistration).toBeNull();
    const input = newbornInput(baby);
    const result = expectNoErrors(await p.query(REGISTER_NEWBORN, { input, key: "newborn-1" }, CLERK)).registerNewborn;
    expect(result.registeredOn).toBe(baby.registeredOn);
    expect(result.person).toMatchObject({
      name: baby.name,
      sex: baby.sex,
      birthDate: baby.birthDate,
      status: "ACTIVE",
      version: 1,
      hukou: { registeredOn: baby.registeredOn, region: { code: baby.regionCode } },
      household: { householdNumber: baby.householdNumber },
    });
    expect(["子", "女", "孙子", "孙女", "外孙子", "外孙女"]).toContain(result.person.hukou.relationToHead);
    expect((await certificate(p, baby.certificateNumber)).hukouRegistration).toEqual({ registeredOn: baby.registeredOn, person: { id: result.person.id } });
    expect((await person(p, baby.idNumber)).hukouEvents).toEqual([{ kind: "BIRTH_REGISTRATION", on: baby.registeredOn, from: null, to: { code: baby.regionCode }, reason: null }]);

    expect(expectNoErrors(await p.query(REGISTER_NEWBORN, { input, key: "newborn-1" }, CLERK)).registerNewborn).toEqual(result);
    expect((await person(p, baby.idNumber)).hukouEvents).toHaveLength(1);
    const reused = await p.query(REGISTER_NEWBORN, { input: { ...input, name: `${baby.name}一` }, key: "newborn-1" }, CLERK);
    expect(refusal(reused)).toEqual({ code: "IDEMPOTENCY_KEY_REUSED", field: "idempotencyKey" });
  });

  run("refuses each invalid newborn registration with the field at fault, writing nothing", async (p) => {
    const baby = newborns[1];
    const valid = newbornInput(baby);
    // Born before the certificate's date (so that the registration date still follows it).
    const wrongDate = makeIdNumber("522328", "2010-01-01", baby.sex === "MALE" ? 301 : 300);
    const wrongSex = makeIdNumber("522328", baby.birthDate, Number(baby.idNumber.slice(14, 17)) ^ 1);
    const otherTown = county.tables["public-security"].household.map((h) => h.regionCode.slice(0, 9)).find((t) => !baby.regionCode.startsWith(t))!;
    const cases: [string, Record<string, unknown>, QueryOptions, string][] = [
      ["check character wrong", { idNumber: baby.idNumber.slice(0, 17) + (baby.idNumber[17] === "0" ? "1" : "0") }, CLERK, "input.idNumber"],
      ["birth date differs from the certificate", { idNumber: wrongDate }, CLERK, "input.idNumber"],
      ["sex digit differs from the certificate", { idNumber: wrongSex }, CLERK, "input.idNumber"],
      ["no such certificate", { certificateNumber: "Z520000000" }, CLERK, "input.certificateNumber"],
      ["certificate registered already", { certificateNumber: registered.certificateNumber, idNumber: sibling(registered.child.idNumber) }, CLERK, "input.certificateNumber"],
      ["no such household", { householdNumber: "52232899999999999" }, CLERK, "input.householdNumber"],
      ["registration date in the future", { registeredOn: "2099-01-01" }, CLERK, "input.registeredOn"],
      ["registration date before the birth", { registeredOn: "2015-01-01" }, CLERK, "input.registeredOn"],
      ["household outside the clerk's jurisdiction", {}, { claims: { ...CLERK.claims, region: otherTown } }, "input.householdNumber"],
    ];
    for (const [label, change, options, field] of cases) {
      const response = await p.query(REGISTER_NEWBORN, { input: { ...valid, ...change } }, options);
      expect({ label, ...refusal(response) }).toEqual({ label, code: "BAD_USER_INPUT", field });
      expect(response.body.errors![0].message).toMatch(/[\u4e00-\u9fff].*\(.*[a-z]/);
    }
    expect((await certificate(p, baby.certificateNumber)).hukouRegistration).toBeNull();
    expect(await person(p, baby.idNumber)).toBeNull();
    expect(await person(p, wrongDate)).toBeNull();

    // An ID number that already has a hukou here is refused, even when it matches the certificate.
    const mover = { idNumber: sibling(baby.idNumber), name: "迁入者", fromRegionCode: "440306", householdNumber: baby.householdNumber, relationToHead: "其他", on: baby.registeredOn };
    expectNoErrors(await p.query(MOVE_IN, { input: mover }, CLERK));
    const duplicate = await p.query(REGISTER_NEWBORN, { input: { ...valid, idNumber: mover.idNumber } }, CLERK);
    expect(refusal(duplicate)).toEqual({ code: "BAD_USER_INPUT", field: "input.idNumber" });
    expect((await certificate(p, baby.certificateNumber)).hukouRegistration).toBeNull();
  });

  run("20 concurrent sends of one key register the newborn once", async (p) => {
    const baby = newborns[2];
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => p.query(REGISTER_NEWBORN, { input: newbornInput(baby), key: "newborn-burst" }, CLERK)),
    );
    const ids = new Set(responses.map((r) => expectNoErrors(r).registerNewborn.person.id));
    expect(ids.size).toBe(1);
    expect((await person(p, baby.idNumber)).hukouEvents).toHaveLength(1);
    const members = expectNoErrors(await p.query(`query($h: ID!) { household(householdNumber: $h) { members { id } } }`, { h: baby.householdNumber }, CLERK));
    expect(members.household.members.filter((m: { id: string }) => ids.has(m.id))).toHaveLength(1);
  });

  run("two clerks registering the same newborn at once with different keys: one succeeds, the other is refused", async (p) => {
    const baby = newborns[4];
    const responses = await Promise.all(
      ["clerk-a", "clerk-b"].map((key) => p.query(REGISTER_NEWBORN, { input: newbornInput(baby), key }, CLERK)),
    );
    const succeeded = responses.filter((r) => !r.body.errors);
    expect(succeeded).toHaveLength(1);
    const refused = responses.find((r) => r.body.errors)!;
    expect(refused.body.errors![0].extensions).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(["input.idNumber", "input.certificateNumber"]).toContain(refused.body.errors![0].extensions!.field);
    expect((await person(p, baby.idNumber)).hukouEvents).toHaveLength(1);
  });

  run("cancels a hukou: status, cancellation date, version and a CANCELLATION event; refuses bad input and a second cancellation", async (p) => {
    const subject = adults[0];
    const read = await person(p, subject.idNumber);
    const input = { idNumber: subject.idNumber, reason: "DECEASED", on: "2026-03-01", expectedVersion: read.version };
    const cancelled = expectNoErrors(await p.query(CANCEL, { input, key: "cancel-1" }, CLERK)).cancelHukou;
    expect(cancelled).toMatchObject({ status: "DECEASED", version: read.version + 1, hukou: { cancelledOn: "2026-03-01" } });
    expect(cancelled.hukouEvents).toEqual([{ kind: "CANCELLATION", on: "2026-03-01", from: { code: subject.hukouRegionCode }, to: null, reason: "DECEASED" }]);
    expect(expectNoErrors(await p.query(CANCEL, { input, key: "cancel-1" }, CLERK)).cancelHukou).toEqual(cancelled);

    const other = adults[1];
    const otherTown = county.tables["public-security"].household.map((h) => h.regionCode.slice(0, 9)).find((t) => !other.hukouRegionCode.startsWith(t))!;
    const cases: [Record<string, unknown>, QueryOptions, string][] = [
      [{ reason: "ACTIVE" }, CLERK, "input.reason"],
      [{ on: "2099-01-01" }, CLERK, "input.on"],
      [{ on: "1950-01-01" }, CLERK, "input.on"], // before birth
      [{ idNumber: makeIdNumber("522328", "1980-01-01", 991) }, CLERK, "input.idNumber"], // not in the register
      [{ idNumber: subject.idNumber }, CLERK, "input.idNumber"], // cancelled already
      [{}, { claims: { ...CLERK.claims, region: otherTown } }, "input.idNumber"], // outside the jurisdiction
    ];
    for (const [change, options, field] of cases) {
      const payload = { idNumber: other.idNumber, reason: "CANCELLED", on: "2026-03-01", ...change };
      expect({ payload, ...refusal(await p.query(CANCEL, { input: payload }, options)) }).toEqual({ payload, code: "BAD_USER_INPUT", field });
    }
    expect(await person(p, other.idNumber)).toMatchObject({ status: "ACTIVE", hukouEvents: [] });
  });

  run("moves a hukou out and back in, recording MOVE_OUT and MOVE_IN; a new person moves in; no second active hukou", async (p) => {
    const subject = adults[2];
    const out = expectNoErrors(await p.query(MOVE_OUT, { input: { idNumber: subject.idNumber, toRegionCode: "440306", on: "2026-02-01" } }, CLERK)).moveHukouOut;
    expect(out).toMatchObject({ status: "MIGRATED_OUT", hukou: { cancelledOn: "2026-02-01" } });
    expect(out.hukouEvents).toEqual([{ kind: "MOVE_OUT", on: "2026-02-01", from: { code: subject.hukouRegionCode }, to: { code: "440306" }, reason: null }]);

    const household = county.tables["public-security"].household.find((h) => h.regionCode !== subject.hukouRegionCode)!;
    const back = { idNumber: subject.idNumber, name: subject.name, fromRegionCode: "440306", householdNumber: household.householdNumber, relationToHead: "其他", on: "2026-05-01", expectedVersion: out.version };
    const returned = expectNoErrors(await p.query(MOVE_IN, { input: back }, CLERK)).moveHukouIn;
    expect(returned).toMatchObject({
      status: "ACTIVE",
      version: out.version + 1,
      hukou: { registeredOn: "2026-05-01", cancelledOn: null, region: { code: household.regionCode } },
      household: { householdNumber: household.householdNumber },
    });
    expect(returned.hukouEvents.map((e: { kind: string }) => e.kind)).toEqual(["MOVE_OUT", "MOVE_IN"]);

    const refused: [string, Record<string, unknown>, string][] = [
      ["active hukou already", { on: "2026-06-01", expectedVersion: null }, "input.idNumber"],
      ["unknown origin inside a listed county", { idNumber: makeIdNumber("440306", "1990-03-03", 17), fromRegionCode: "522328999" }, "input.fromRegionCode"],
      ["malformed origin", { idNumber: makeIdNumber("440306", "1990-03-03", 17), fromRegionCode: "12345" }, "input.fromRegionCode"],
      ["no such household", { idNumber: makeIdNumber("440306", "1990-03-03", 17), householdNumber: "00000000000000000" }, "input.householdNumber"],
    ];
    for (const [label, change, field] of refused) {
      expect({ label, ...refusal(await p.query(MOVE_IN, { input: { ...back, ...change } }, CLERK)) }).toEqual({ label, code: "BAD_USER_INPUT", field });
    }
    expect(await person(p, makeIdNumber("440306", "1990-03-03", 17))).toBeNull();

    const newcomer = { ...back, idNumber: makeIdNumber("440306", "1990-03-03", 17), name: "新来者", expectedVersion: null };
    const moved = expectNoErrors(await p.query(MOVE_IN, { input: newcomer, key: "move-in-1" }, CLERK)).moveHukouIn;
    expect(moved).toMatchObject({ status: "ACTIVE", version: 1, hukou: { region: { code: household.regionCode } } });
    expect(moved.hukouEvents).toEqual([{ kind: "MOVE_IN", on: "2026-05-01", from: { code: "440306" }, to: { code: household.regionCode }, reason: null }]);

    const outRefused = await p.query(MOVE_OUT, { input: { idNumber: adults[3].idNumber, toRegionCode: "522328999", on: "2026-02-01" } }, CLERK);
    expect(refusal(outRefused)).toEqual({ code: "BAD_USER_INPUT", field: "input.toRegionCode" });
    expect((await person(p, adults[3].idNumber)).status).toBe("ACTIVE");
  });

  run("changes the actual residence (人户分离 becomes visible); a stale expectedVersion is VERSION_CONFLICT", async (p) => {
    const subject = adults[4];
    const read = await person(p, subject.idNumber);
    const elsewhere = county.tables["public-security"].household.find((h) => h.regionCode.slice(0, 9) !== subject.hukouRegionCode.slice(0, 9))!.regionCode;
    const input = { idNumber: subject.idNumber, regionCode: elsewhere, address: "安龙县城某小区3栋2单元", since: "2026-04-01", expectedVersion: read.version };
    const changed = expectNoErrors(await p.query(RESIDENCE, { input }, CLERK)).changeResidence;
    expect(changed).toMatchObject({ version: read.version + 1, residence: { address: input.address, since: "2026-04-01", region: { code: elsewhere } } });
    expect(changed.residence.region.code).not.toBe(changed.hukou.region.code);
    expect(changed.hukouEvents).toEqual([]);

    // A second clerk still holding the version read before the change.
    const stale = await p.query(RESIDENCE, { input: { ...input, address: "另一个地址", since: "2026-05-01" } }, CLERK);
    expect(refusal(stale).code).toBe("VERSION_CONFLICT");
    const staleCancel = await p.query(CANCEL, { input: { idNumber: subject.idNumber, reason: "CANCELLED", on: "2026-05-01", expectedVersion: read.version } }, CLERK);
    expect(refusal(staleCancel).code).toBe("VERSION_CONFLICT");

    const cases: [Record<string, unknown>, string][] = [
      [{ regionCode: "522328999" }, "input.regionCode"],
      [{ address: "  " }, "input.address"],
      [{ since: "2026-03-01" }, "input.since"], // before the current residence began
      [{ since: "2099-01-01" }, "input.since"],
    ];
    for (const [change, field] of cases) {
      expect(refusal(await p.query(RESIDENCE, { input: { ...input, expectedVersion: changed.version, ...change } }, CLERK))).toEqual({ code: "BAD_USER_INPUT", field });
    }
    expect(await person(p, subject.idNumber)).toMatchObject({ status: "ACTIVE", version: changed.version, residence: changed.residence });
  });

  run("refuses hukou writes to callers without write:hukou (FORBIDDEN) and writes nothing", async (p) => {
    const baby = newborns[3];
    expect(refusal(await p.query(REGISTER_NEWBORN, { input: newbornInput(baby) }, { claims: { dept: "health" } })).code).toBe("FORBIDDEN");
    expect(refusal(await p.query(REGISTER_NEWBORN, { input: newbornInput(baby) }, { claims: { dept: "public_security", scope: "read:hukou read:identity" } })).code).toBe("FORBIDDEN");
    const cancel = { idNumber: adults[5].idNumber, reason: "CANCELLED", on: "2026-03-01" };
    expect(refusal(await p.query(CANCEL, { input: cancel }, { claims: { dept: "civil_affairs" } })).code).toBe("FORBIDDEN");
    expect((await certificate(p, baby.certificateNumber)).hukouRegistration).toBeNull();
    expect((await person(p, adults[5].idNumber)).status).toBe("ACTIVE");
  });
});
