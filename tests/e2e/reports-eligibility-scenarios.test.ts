/**
 * Person.eligibility rule by rule through the gateway (boundaries by moving `asOf`, and by the records three
 * departments hold), the 残疾人证 record and its effect, a death registered by civil-affairs reaching the
 * anomaly report, the statistics of health and public-security, bad arguments, masking and grants, and the
 * number of SQL statements per report for a small and a larger county.
 */
import { addYears, dayOf, iso } from "../../shared/src/synthetic/dates";
import { type County, generateCounty } from "../../shared/src/synthetic/county";
import { writeCounty } from "../../shared/src/synthetic/write";
import { dialectsUnderTest, isMysqlAvailable } from "../helpers/databases";
import { expectNoErrors, startPlatform, type GraphQLResponse, type Platform, type QueryOptions } from "../helpers/platform";

const CODE = "522328";
const ELIGIBILITY = `query($n: String, $p: AssistanceProgram!, $asOf: Date) {
  person(idNumber: $n) { eligibility(program: $p, asOf: $asOf) { program eligible enrolled annualAmountYuan facts { rule satisfied source detail } } }
}`;
const CANDIDATES = `query($r: String!, $p: AssistanceProgram!, $asOf: Date) {
  assistanceCandidates(regionCode: $r, program: $p, asOf: $asOf) { eligible person { id idNumber name } }
}`;
const ANOMALIES = `query($r: String!, $p: AssistanceProgram!, $asOf: Date) {
  assistanceAnomalies(regionCode: $r, program: $p, asOf: $asOf) { person { idNumber } facts { rule satisfied source } }
}`;
const RECORD_DISABILITY = `mutation($input: RecordDisabilityCertificateInput!) { recordDisabilityCertificate(input: $input) { certificateNumber grade issuedOn revokedOn } }`;
const REGISTER_DEATH = `mutation($input: RegisterDeathInput!) { registerDeath(input: $input) { deathDate } }`;
const SEX_RATIO = `query($r: String!, $y: Int!, $g: RegionLevel, $o: Int) {
  sexRatioAtBirth(regionCode: $r, year: $y, groupBy: $g, birthOrder: $o) { region { code } year birthOrder male female ratio suppressed outsideNormalRange }
}`;
const COVERAGE = `query($r: String!, $y: Int!) {
  prePregnancyCheckCoverage(regionCode: $r, year: $y) { region { code } year target completed rate }
  prePregnancyCheckCoverageByTown(regionCode: $r, year: $y) { region { code } target completed rate }
}`;
const WOMEN = `query($r: String!, $asOf: Date) { womenOfChildbearingAge(regionCode: $r, asOf: $asOf) { region { code } women } }`;
const MIGRANT_COUNTS = `query($r: String!) { migrantCounts(regionCode: $r) { region { code } year inflow outflow } }`;

const NEW_MARRIAGES = `query($r: String!, $y: Int!) {
  newMarriagesFollowUp(regionCode: $r, year: $y) {
    marriages withFertilityRecord withPrePregnancyCheck target checksMade targetRate
    followUps { marriage { registrationNumber registeredOn } wife { id } fertilityRecord prePregnancyCheck }
  }
}`;
const VISITS = `query($r: String!, $asOf: Date) { careVisitList(regionCode: $r, asOf: $asOf) { person { id } kinds visits lastVisitedOn onRelief reliefPrograms } }`;

const CIVIL_CLERK: QueryOptions = { claims: { sub: "ca-clerk", dept: "civil_affairs" } };
const ANALYST: QueryOptions = { claims: { sub: "analyst-1", dept: "analyst" } };

function errorOf(response: GraphQLResponse): { code?: string; field?: string } {
  expect(response.body.errors?.length).toBeGreaterThan(0);
  const extensions = response.body.errors![0].extensions ?? {};
  return { code: extensions.code, field: extensions.field };
}

function failed(eligibility: any): string[] {
  return eligibility.facts.filter((f: any) => !f.satisfied).map((f: any) => `${f.rule}@${f.source}`);
}

/** Facts about a county's people the scenarios pick from (from the generated tables, independent of the services). */
function indexCounty(county: County) {
  const ps = county.tables["public-security"];
  const pop = county.tables.population;
  const deaths = new Set(county.tables["civil-affairs"].deathRegistration.map((d) => d.personId));
  const register = new Map(pop.populationRegister.map((r) => [r.personId, r]));
  const byId = new Map(ps.person.map((p) => [p.id, p]));
  const living = ps.person.filter((p) => p.status === "ACTIVE" && !deaths.has(p.id));
  const children = (id: string) => register.get(id);
  return { ps, pop, deaths, register, byId, living, children };
}

describe.each(dialectsUnderTest())("eligibility scenarios and statistics on %s", (dialect) => {
  // Seed 23 draws 失独 and 伤残 families holding an only-child certificate naming the child.
  const county = generateCounty({ countyCode: CODE, people: 2500, seed: 23 });
  const today = county.options.today;
  // Nobody born before 1933 is alive in a county this small: two rural one-child parents get the boundary dates.
  const [born1932, born1933] = (() => {
    const first = indexCounty(county);
    const picks = first.living.filter(
      (p) => p.hukouType === "RURAL" && p.birthDate <= "1965-12-31" && (first.register.get(p.id)?.sonsBorn ?? 0) + (first.register.get(p.id)?.daughtersBorn ?? 0) === 1,
    );
    picks[0].birthDate = "1932-12-31";
    picks[1].birthDate = "1933-01-01";
    return [picks[0].idNumber, picks[1].idNumber];
  })();
  // One 伤残 family's 残疾人证 is taken out before seeding: the test records grade 4, then grade 3, itself.
  const uncertifiedChild = (() => {
    const pop = county.tables.population;
    const enrolled = new Set(pop.assistanceEnrollment.filter((e) => e.program === "SPECIAL_ASSISTANCE_CHILD_DISABLED" && e.until === null).map((e) => e.personId));
    const certificate = pop.onlyChildCertificate.find((c) => c.childPersonId && (enrolled.has(c.motherPersonId ?? "") || enrolled.has(c.fatherPersonId ?? "")));
    const ca = county.tables["civil-affairs"];
    ca.disabilityCertificate = ca.disabilityCertificate.filter((d) => d.personId !== certificate?.childPersonId);
    return certificate?.childPersonId ?? null;
  })();
  const index = indexCounty(county);
  if (!born1932) throw new Error("county without a rural one-child parent of 60");
  let platform: Platform | undefined;

  beforeAll(async () => {
    if (dialect === "mysql" && !(await isMysqlAvailable())) return;
    platform = await startPlatform(dialect, { seed: (urls) => writeCounty(county, urls).then(() => undefined) });
  }, 240_000);

  afterAll(async () => {
    await platform?.stop();
  }, 60_000);

  const eligibility = async (idNumber: string, program: string, asOf = today) =>
    expectNoErrors(await platform!.query(ELIGIBILITY, { n: idNumber, p: program, asOf })).person.eligibility;

  it("奖扶 turns on at 60: the day before the 60th birthday the age fact fails, on the day it holds", async () => {
    if (!platform) return;
    const recipient = index.pop.assistanceEnrollment
      .filter((e) => e.program === "REWARD_ASSISTANCE" && e.until === null && e.since > "2010-01-01")
      .map((e) => index.byId.get(e.personId)!)
      .find((p) => p && p.status === "ACTIVE" && index.register.has(p.id) && ![born1932, born1933].includes(p.idNumber));
    expect(recipient).toBeDefined();
    const birthday = iso(addYears(dayOf(recipient!.birthDate), 60));
    const before = await eligibility(recipient!.idNumber, "REWARD_ASSISTANCE", iso(dayOf(birthday) - 1));
    expect(failed(before)).toEqual(["aged 60 or over@PUBLIC_SECURITY"]);
    expect(before.annualAmountYuan).toBe(0);
    const on = await eligibility(recipient!.idNumber, "REWARD_ASSISTANCE", birthday);
    expect(on).toMatchObject({ eligible: true, enrolled: true, annualAmountYuan: 960 });
  }, 60_000);

  it("two girls qualify, a boy and a girl do not; an urban hukou does not; born before 1933 does not", async () => {
    if (!platform) return;
    const rural60 = index.living.filter((p) => p.hukouType === "RURAL" && p.birthDate >= "1933-01-01" && p.birthDate <= "1965-12-31");
    const withChildren = (list: typeof rural60, sons: number, daughters: number) =>
      list.find((p) => index.register.get(p.id)?.sonsBorn === sons && index.register.get(p.id)?.daughtersBorn === daughters);
    const girls = withChildren(rural60, 0, 2);
    const mixed = withChildren(rural60, 1, 1);
    expect(girls && mixed).toBeTruthy();
    expect((await eligibility(girls!.idNumber, "REWARD_ASSISTANCE")).eligible).toBe(true);
    expect(failed(await eligibility(mixed!.idNumber, "REWARD_ASSISTANCE"))).toEqual(["one child or two daughters@POPULATION"]);

    const urban = index.living.find(
      (p) => p.hukouType === "URBAN" && p.birthDate >= "1933-01-01" && p.birthDate <= "1965-12-31" && index.register.get(p.id)?.sonsBorn === 1 && index.register.get(p.id)?.daughtersBorn === 0,
    );
    expect(urban).toBeDefined();
    expect(failed(await eligibility(urban!.idNumber, "REWARD_ASSISTANCE"))).toEqual(["rural hukou@PUBLIC_SECURITY"]);

    expect(failed(await eligibility(born1932, "REWARD_ASSISTANCE"))).toEqual(["born on or after 1933-01-01@PUBLIC_SECURITY"]);
    expect((await eligibility(born1933, "REWARD_ASSISTANCE")).eligible).toBe(true);
  }, 60_000);

  it("特扶: an only child deceased qualifies; a disabled child qualifies with a grade 3 残疾人证, not grade 4", async () => {
    if (!platform) return;
    const certificates = index.pop.onlyChildCertificate;
    const enrolledWithCertificate = (program: string) =>
      index.pop.assistanceEnrollment
        .filter((e) => e.program === program && e.until === null && index.byId.get(e.personId)?.status === "ACTIVE")
        .map((e) => ({ parent: index.byId.get(e.personId)!, certificate: certificates.find((c) => (c.fatherPersonId === e.personId || c.motherPersonId === e.personId) && c.childPersonId) }))
        .find((x) => x.certificate);
    const bereaved = enrolledWithCertificate("SPECIAL_ASSISTANCE_CHILD_DECEASED");
    expect(bereaved).toBeDefined();
    const deceased = await eligibility(bereaved!.parent.idNumber, "SPECIAL_ASSISTANCE_CHILD_DECEASED");
    expect(deceased).toMatchObject({ eligible: true, enrolled: true });
    expect(deceased.facts.find((f: any) => f.rule === "only child deceased").source).toBe("CIVIL_AFFAIRS");

    const family = index.pop.assistanceEnrollment
      .filter((e) => e.program === "SPECIAL_ASSISTANCE_CHILD_DISABLED" && e.until === null)
      .map((e) => ({ parent: index.byId.get(e.personId)!, certificate: certificates.find((c) => (c.fatherPersonId === e.personId || c.motherPersonId === e.personId) && c.childPersonId === uncertifiedChild) }))
      .find((x) => x.certificate);
    expect(family).toBeDefined();
    const child = index.byId.get(family!.certificate!.childPersonId!)!;
    const before = await eligibility(family!.parent.idNumber, "SPECIAL_ASSISTANCE_CHILD_DISABLED");
    expect(failed(before)).toEqual(["only child disabled, grade 1–3@CIVIL_AFFAIRS"]);
    const anomalies = async () =>
      expectNoErrors(await platform!.query(ANOMALIES, { r: CODE, p: "SPECIAL_ASSISTANCE_CHILD_DISABLED", asOf: today })).assistanceAnomalies.map((e: any) => e.person.idNumber);
    expect(await anomalies()).toContain(family!.parent.idNumber);

    const record = (grade: number) =>
      platform!.query(
        RECORD_DISABILITY,
        { input: { certificateNumber: `${child.idNumber}${grade}2`, idNumber: child.idNumber, grade, issuedOn: "2020-03-01", regionCode: child.hukouRegionCode } },
        CIVIL_CLERK,
      );
    expect(expectNoErrors(await record(4)).recordDisabilityCertificate).toEqual({ certificateNumber: `${child.idNumber}42`, grade: 4, issuedOn: "2020-03-01", revokedOn: null });
    const grade4 = await eligibility(family!.parent.idNumber, "SPECIAL_ASSISTANCE_CHILD_DISABLED");
    expect(failed(grade4)).toEqual(["only child disabled, grade 1–3@CIVIL_AFFAIRS"]);
    expect(grade4.facts.find((f: any) => !f.satisfied).detail).toContain("4");
    expectNoErrors(await record(3));
    expect(await eligibility(family!.parent.idNumber, "SPECIAL_ASSISTANCE_CHILD_DISABLED")).toMatchObject({ eligible: true, enrolled: true });
    expect(await anomalies()).not.toContain(family!.parent.idNumber);

    // A grade outside 1–4 is refused, naming the field.
    const bad = await platform.query(
      RECORD_DISABILITY,
      { input: { certificateNumber: "X1", idNumber: child.idNumber, grade: 5, issuedOn: "2020-03-01", regionCode: child.hukouRegionCode } },
      CIVIL_CLERK,
    );
    expect(errorOf(bad)).toEqual({ code: "BAD_USER_INPUT", field: "input.grade" });
  }, 60_000);

  it("a recipient's death registered by civil-affairs puts them on the anomaly report", async () => {
    if (!platform) return;
    const anomalies = async () =>
      expectNoErrors(await platform!.query(ANOMALIES, { r: CODE, p: "REWARD_ASSISTANCE", asOf: today })).assistanceAnomalies;
    const listed = new Set((await anomalies()).map((e: any) => e.person.idNumber));
    const recipient = index.pop.assistanceEnrollment
      .filter((e) => e.program === "REWARD_ASSISTANCE" && e.until === null)
      .map((e) => index.byId.get(e.personId)!)
      .find((p) => p && p.status === "ACTIVE" && !listed.has(p.idNumber) && index.register.has(p.id) && ![born1932, born1933].includes(p.idNumber));
    expect(recipient).toBeDefined();
    expectNoErrors(await platform.query(REGISTER_DEATH, { input: { idNumber: recipient!.idNumber, deathDate: "2025-11-02", regionCode: recipient!.hukouRegionCode } }, CIVIL_CLERK));
    const row = (await anomalies()).find((e: any) => e.person.idNumber === recipient!.idNumber);
    expect(row.facts.filter((f: any) => !f.satisfied)).toEqual([{ rule: "no death registered", satisfied: false, source: "CIVIL_AFFAIRS" }]);
  }, 60_000);

  it("sexRatioAtBirth by town gives health's counts, suppresses small towns and flags published ratios outside 103–107", async () => {
    if (!platform) return;
    const year = 2018;
    const expected = new Map<string, { male: number; female: number }>();
    for (const b of county.tables.health.birthCertificate) {
      if (!b.birthDate.startsWith(`${year}-`)) continue;
      const town = b.regionCode.slice(0, 9);
      const entry = expected.get(town) ?? { male: 0, female: 0 };
      if (b.sex === "MALE") entry.male++;
      else entry.female++;
      expected.set(town, entry);
    }
    const rows = expectNoErrors(await platform.query(SEX_RATIO, { r: CODE, y: year })).sexRatioAtBirth;
    expect(rows.map((r: any) => [r.region.code, { male: r.male, female: r.female }])).toEqual([...expected.entries()].sort());
    for (const r of rows) expect(r.suppressed).toBe(r.male + r.female < 100);

    const previous = process.env.SEX_RATIO_MIN_BIRTHS;
    process.env.SEX_RATIO_MIN_BIRTHS = "5";
    try {
      const published = expectNoErrors(await platform.query(SEX_RATIO, { r: CODE, y: year })).sexRatioAtBirth;
      for (const r of published) {
        const n = r.male + r.female;
        expect(r.suppressed).toBe(n < 5);
        if (n >= 5 && r.female > 0) {
          const ratio = Math.round((r.male / r.female) * 1000) / 10;
          expect(r.ratio).toBe(ratio);
          expect(r.outsideNormalRange).toBe(ratio < 103 || ratio > 107);
        }
      }
      expect(published.some((r: any) => r.ratio !== null)).toBe(true);
    } finally {
      if (previous === undefined) delete process.env.SEX_RATIO_MIN_BIRTHS;
      else process.env.SEX_RATIO_MIN_BIRTHS = previous;
    }

    const firstBorn = county.tables.health.birthCertificate.filter((b) => b.birthDate.startsWith(`${year}-`) && b.birthOrder === 1);
    const [whole] = expectNoErrors(await platform.query(SEX_RATIO, { r: CODE, y: year, g: "COUNTY", o: 1 })).sexRatioAtBirth;
    expect(whole).toMatchObject({ region: { code: CODE }, birthOrder: 1, male: firstBorn.filter((b) => b.sex === "MALE").length, female: firstBorn.filter((b) => b.sex === "FEMALE").length });
  }, 60_000);

  it("pre-pregnancy check coverage against the towns' targets; women 15–49 by town; migrant moves by town and year", async () => {
    if (!platform) return;
    const year = 2020;
    const targets = county.tables.health.prePregnancyCheckTarget.filter((t) => t.year === year);
    const checks = county.tables.health.prePregnancyCheck.filter((c) => c.checkedOn.startsWith(`${year}-`));
    const data = expectNoErrors(await platform.query(COVERAGE, { r: CODE, y: year }));
    const target = targets.reduce((s, t) => s + t.target, 0);
    expect(target).toBeGreaterThan(0);
    expect(data.prePregnancyCheckCoverage).toEqual({ region: { code: CODE }, year, target, completed: checks.length, rate: Math.round((checks.length / target) * 1000) / 10 });
    expect(data.prePregnancyCheckCoverageByTown.reduce((s: number, t: any) => s + t.completed, 0)).toBe(checks.length);

    const women = expectNoErrors(await platform.query(WOMEN, { r: CODE, asOf: today })).womenOfChildbearingAge;
    const expectedWomen = index.ps.person.filter((p) => {
      if (p.sex !== "FEMALE" || p.status !== "ACTIVE") return false;
      const age = Number(today.slice(0, 4)) - Number(p.birthDate.slice(0, 4)) - (today.slice(5) < p.birthDate.slice(5) ? 1 : 0);
      return age >= 15 && age <= 49;
    });
    expect(women.reduce((s: number, w: any) => s + w.women, 0)).toBe(expectedWomen.length);

    const moves = expectNoErrors(await platform.query(MIGRANT_COUNTS, { r: CODE })).migrantCounts;
    const records = county.tables.population.migrantRecord;
    expect(moves.reduce((s: number, m: any) => s + m.inflow, 0)).toBe(records.filter((m) => m.direction === "INFLOW" && m.toRegionCode.startsWith(CODE)).length);
    expect(moves.reduce((s: number, m: any) => s + m.outflow, 0)).toBe(records.filter((m) => m.direction === "OUTFLOW" && m.fromRegionCode.startsWith(CODE)).length);
  }, 60_000);

  it("new marriages of a year: counts against population's 育龄 records and health's checks, and the follow-up list", async () => {
    if (!platform) return;
    const year = 2019;
    const marriages = county.tables["civil-affairs"].marriageRecord.filter((m) => m.kind === "MARRIAGE" && m.registeredOn.startsWith(`${year}-`) && m.regionCode.startsWith(CODE));
    expect(marriages.length).toBeGreaterThan(0);
    const recorded = new Set([...index.pop.populationRegister.map((r) => r.personId), ...index.pop.birthPermit.map((p) => p.wifePersonId)]);
    const checked = (m: (typeof marriages)[number]) =>
      county.tables.health.prePregnancyCheck.some((c) => c.womanPersonId === m.wifePersonId && c.checkedOn >= m.registeredOn);
    const report = expectNoErrors(await platform.query(NEW_MARRIAGES, { r: CODE, y: year })).newMarriagesFollowUp;
    expect(report).toMatchObject({
      marriages: marriages.length,
      withFertilityRecord: marriages.filter((m) => recorded.has(m.wifePersonId)).length,
      withPrePregnancyCheck: marriages.filter(checked).length,
      target: county.tables.health.prePregnancyCheckTarget.filter((t) => t.year === year).reduce((s, t) => s + t.target, 0),
      checksMade: county.tables.health.prePregnancyCheck.filter((c) => c.checkedOn.startsWith(`${year}-`)).length,
    });
    const expectedFollowUps = marriages.filter((m) => !recorded.has(m.wifePersonId) || !checked(m)).map((m) => m.registrationNumber).sort();
    expect(report.followUps.map((f: any) => f.marriage.registrationNumber)).toEqual(expectedFollowUps);
    for (const f of report.followUps) expect(f.fertilityRecord && f.prePregnancyCheck).toBe(false);
  }, 60_000);

  it("the visit list holds the visited and the 特扶 families, each with civil-affairs' 低保 status", async () => {
    if (!platform) return;
    const rows = expectNoErrors(await platform.query(VISITS, { r: CODE, asOf: today })).careVisitList;
    const expected = new Set(index.pop.careVisit.filter((v) => v.regionCode.startsWith(CODE) && v.visitedOn <= today).map((v) => v.personId));
    for (const e of index.pop.assistanceEnrollment) {
      if (e.program !== "REWARD_ASSISTANCE" && e.since <= today && (e.until === null || e.until >= today)) expected.add(e.personId);
    }
    expect(rows.map((r: any) => r.person.id).sort()).toEqual([...expected].sort());
    const relief = county.tables["civil-affairs"].reliefEnrollment.filter((r) => r.since <= today && (r.until === null || r.until >= today));
    const onRelief = new Set(relief.filter((r) => index.byId.has(r.personId)).map((r) => r.personId));
    expect(rows.filter((r: any) => r.onRelief).map((r: any) => r.person.id).sort()).toEqual([...expected].filter((id) => onRelief.has(id)).sort());
    expect(rows.some((r: any) => r.onRelief)).toBe(true);
    expect(rows.some((r: any) => r.kinds.includes("HARDSHIP_FAMILY"))).toBe(true);
  }, 60_000);

  it("bad arguments are BAD_USER_INPUT naming the argument", async () => {
    if (!platform) return;
    expect(errorOf(await platform.query(SEX_RATIO, { r: "52x", y: 2020 }))).toEqual({ code: "BAD_USER_INPUT", field: "regionCode" });
    expect(errorOf(await platform.query(SEX_RATIO, { r: CODE, y: 1800 }))).toEqual({ code: "BAD_USER_INPUT", field: "year" });
    expect(errorOf(await platform.query(SEX_RATIO, { r: CODE, y: 2020, o: 0 }))).toEqual({ code: "BAD_USER_INPUT", field: "birthOrder" });
    expect(errorOf(await platform.query(SEX_RATIO, { r: CODE, y: 2020, g: "PROVINCE" }))).toEqual({ code: "BAD_USER_INPUT", field: "groupBy" });
    expect(errorOf(await platform.query(CANDIDATES, { r: "999999", p: "REWARD_ASSISTANCE" }))).toEqual({ code: "BAD_USER_INPUT", field: "regionCode" });
    expect(errorOf(await platform.query(ANOMALIES, { r: CODE, p: "REWARD_ASSISTANCE", asOf: "2025-02-30" }))).toEqual({ code: "BAD_USER_INPUT", field: "asOf" });
    expect(errorOf(await platform.query(COVERAGE, { r: CODE, y: 3000 }))).toEqual({ code: "BAD_USER_INPUT", field: "year" });
  }, 60_000);

  it("analysts get the reports with masked identities; without read:reports the answer is FORBIDDEN", async () => {
    if (!platform) return;
    const rows = expectNoErrors(await platform.query(ANOMALIES.replace("person { idNumber }", "person { idNumber name }"), { r: CODE, p: "REWARD_ASSISTANCE", asOf: today }, ANALYST))
      .assistanceAnomalies;
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.person.idNumber).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
      expect(row.person.name).toMatch(/\*/);
    }
    expect(expectNoErrors(await platform.query(SEX_RATIO, { r: CODE, y: 2018 }, ANALYST)).sexRatioAtBirth.length).toBeGreaterThan(0);

    const health: QueryOptions = { claims: { sub: "h-clerk", dept: "health" } };
    expect(errorOf(await platform.query(SEX_RATIO, { r: CODE, y: 2018 }, health)).code).toBe("FORBIDDEN");
    const narrow: QueryOptions = { claims: { sub: "p-clerk", dept: "population", scope: "read:family-planning read:identity" } };
    for (const [query, variables] of [
      [CANDIDATES, { r: CODE, p: "REWARD_ASSISTANCE" }],
      [WOMEN, { r: CODE }],
      [COVERAGE, { r: CODE, y: 2020 }],
      [`query($r: String!) { migrantsWithoutCertificate(regionCode: $r) { movedOn } }`, { r: CODE }],
    ] as const) {
      expect(errorOf(await platform.query(query, variables, narrow)).code).toBe("FORBIDDEN");
    }
  }, 60_000);

  it("a town clerk's report covers only the town", async () => {
    if (!platform) return;
    const town = index.living.find((p) => p.hukouType === "RURAL")!.hukouRegionCode.slice(0, 9);
    const townClerk: QueryOptions = { claims: { sub: "town-clerk", dept: "population", region: town } };
    const all = expectNoErrors(await platform.query(ANOMALIES, { r: CODE, p: "REWARD_ASSISTANCE", asOf: today })).assistanceAnomalies;
    const mine = expectNoErrors(await platform.query(ANOMALIES, { r: CODE, p: "REWARD_ASSISTANCE", asOf: today }, townClerk)).assistanceAnomalies;
    const inTown = new Set(index.ps.person.filter((p) => p.hukouRegionCode.startsWith(town)).map((p) => p.idNumber));
    expect(mine.map((e: any) => e.person.idNumber).sort()).toEqual(all.map((e: any) => e.person.idNumber).filter((n: string) => inTown.has(n)).sort());
  }, 60_000);

  // Last: it enrolls a parent, which changes the rosters the tests above read.
  it("特扶 candidates: a family whose certified only child dies, or is certified disabled grade 2, is listed until enrolled", async () => {
    if (!platform) return;
    const enrolled = new Set(index.pop.assistanceEnrollment.map((e) => e.personId));
    const ageOn = (birthDate: string) => Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4)) - (today.slice(5) < birthDate.slice(5) ? 1 : 0);
    // Families of an only-child certificate naming a living child, the mother alive and 49 or over, nobody enrolled.
    const families = index.pop.onlyChildCertificate
      .map((c) => ({ mother: index.byId.get(c.motherPersonId ?? ""), father: index.byId.get(c.fatherPersonId ?? ""), child: index.byId.get(c.childPersonId ?? "") }))
      .filter(
        (f) =>
          f.mother && f.father && f.child && [f.mother, f.father, f.child].every((x) => x!.status === "ACTIVE" && !index.deaths.has(x!.id) && !enrolled.has(x!.id)) &&
          ageOn(f.mother.birthDate) >= 50 && ageOn(f.father.birthDate) < 90 && ![born1932, born1933].includes(f.mother.idNumber),
      );
    expect(families.length).toBeGreaterThanOrEqual(2);
    const [bereaved, disabledFamily] = families;
    const candidates = async (program: string) =>
      expectNoErrors(await platform!.query(CANDIDATES, { r: CODE, p: program, asOf: today })).assistanceCandidates.map((e: any) => e.person.idNumber);
    expect(await candidates("SPECIAL_ASSISTANCE_CHILD_DECEASED")).not.toContain(bereaved.mother!.idNumber);
    expect(await candidates("SPECIAL_ASSISTANCE_CHILD_DISABLED")).not.toContain(disabledFamily.mother!.idNumber);

    expectNoErrors(await platform.query(REGISTER_DEATH, { input: { idNumber: bereaved.child!.idNumber, deathDate: "2025-10-01", regionCode: bereaved.child!.hukouRegionCode } }, CIVIL_CLERK));
    const deceasedList = await candidates("SPECIAL_ASSISTANCE_CHILD_DECEASED");
    expect(deceasedList).toEqual(expect.arrayContaining([bereaved.mother!.idNumber, bereaved.father!.idNumber]));
    const facts = (await eligibility(bereaved.mother!.idNumber, "SPECIAL_ASSISTANCE_CHILD_DECEASED")).facts;
    expect(facts.find((f: any) => f.rule === "only child deceased")).toMatchObject({ satisfied: true, source: "CIVIL_AFFAIRS" });

    expectNoErrors(
      await platform.query(
        RECORD_DISABILITY,
        { input: { certificateNumber: `${disabledFamily.child!.idNumber}22`, idNumber: disabledFamily.child!.idNumber, grade: 2, issuedOn: "2024-05-01", regionCode: disabledFamily.child!.hukouRegionCode } },
        CIVIL_CLERK,
      ),
    );
    expect(await candidates("SPECIAL_ASSISTANCE_CHILD_DISABLED")).toEqual(expect.arrayContaining([disabledFamily.mother!.idNumber]));
    // The other programme does not list them: the dead child's parents are not disabled-child candidates, and the reverse.
    expect(await candidates("SPECIAL_ASSISTANCE_CHILD_DISABLED")).not.toContain(bereaved.mother!.idNumber);
    expect(await candidates("SPECIAL_ASSISTANCE_CHILD_DECEASED")).not.toContain(disabledFamily.mother!.idNumber);

    const ENROLL = `mutation($input: EnrollAssistanceInput!) { enrollAssistance(input: $input) { program } }`;
    expectNoErrors(await platform.query(ENROLL, { input: { idNumber: bereaved.mother!.idNumber, program: "SPECIAL_ASSISTANCE_CHILD_DECEASED", since: "2025-11-01" } }));
    const after = await candidates("SPECIAL_ASSISTANCE_CHILD_DECEASED");
    expect(after).not.toContain(bereaved.mother!.idNumber);
    expect(after).toContain(bereaved.father!.idNumber);
  }, 60_000);
});
