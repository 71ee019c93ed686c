import { createHash } from "node:crypto";
import { checkIdNumber } from "../../shared/src/id-number";
import { personIdFor } from "../../shared/src/person-id";
import { findRegion } from "../../shared/src/regions";
import { type County, generateCounty } from "../../shared/src/synthetic/county";
import { addYears, ageOn, dayOf } from "../../shared/src/synthetic/dates";
import { Random } from "../../shared/src/synthetic/random";
import { ANOMALY_KINDS, type AnomalyKind } from "../../shared/src/synthetic/anomalies";
import { findAnomalies } from "../../shared/src/synthetic/oracle";
import { DEMO_COUNTY } from "../../shared/src/synthetic/seed";

const TODAY = "2025-12-31";
const AFTER_TODAY = new Date(Date.UTC(2026, 0, 2));

function sha256(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex");
}

describe("Random", () => {
  it("repeats for one seed and differs between seeds", () => {
    const a = new Random(7);
    const b = new Random(7);
    const c = new Random(8);
    const xs = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(xs);
  });

  it("stays within its ranges", () => {
    const rng = new Random("ranges");
    for (let i = 0; i < 2_000; i++) {
      const n = rng.int(3, 9);
      expect(n >= 3 && n <= 9 && Number.isInteger(n)).toBe(true);
      const x = rng.next();
      expect(x >= 0 && x < 1).toBe(true);
    }
    expect(rng.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe("generateCounty", () => {
  const county = generateCounty({ countyCode: "522328", people: 3000, seed: 7, today: TODAY });
  const ps = county.tables["public-security"];
  const ca = county.tables["civil-affairs"];
  const health = county.tables.health;
  const pop = county.tables.population;
  const byId = new Map(ps.person.map((p) => [p.id, p]));
  const byIdNumber = new Map(ps.person.map((p) => [p.idNumber, p]));
  const nonResidents = new Map(county.nonResidents.map((p) => [p.id, p]));

  it("is deterministic: one seed gives the same county, another seed a different one", () => {
    const again = generateCounty({ countyCode: "522328", people: 3000, seed: 7, today: TODAY });
    expect(sha256(again)).toBe(sha256(county));
    const other = generateCounty({ countyCode: "522328", people: 3000, seed: 8, today: TODAY });
    expect(sha256(other)).not.toBe(sha256(county));
  });

  it("has exactly the requested number of people in the hukou register, with unique ids and ID numbers", () => {
    expect(ps.person).toHaveLength(3000);
    expect(byId.size).toBe(3000);
    expect(byIdNumber.size).toBe(3000);
    for (const p of county.nonResidents) {
      expect(byId.has(p.id)).toBe(false);
      expect(p.idNumber.slice(0, 6)).not.toBe("522328");
    }
  });

  it("gives every person a valid ID number matching birth date and sex, and Person.id = personIdFor(idNumber)", () => {
    for (const p of [...ps.person, ...county.nonResidents]) {
      const checked = checkIdNumber(p.idNumber, AFTER_TODAY);
      if (!checked.ok) throw new Error(`${p.idNumber}: ${checked.problem}`);
      expect(checked.birthDate).toBe(p.birthDate);
      expect(checked.sex).toBe(p.sex);
      expect(p.id).toBe(personIdFor(p.idNumber));
    }
    for (const p of ps.person) expect(p.idNumber.slice(0, 6)).toBe("522328");
  });

  it("puts households on the county's villages with the hukou type of the village", () => {
    const numbers = new Set(ps.household.map((h) => h.householdNumber));
    expect(numbers.size).toBe(ps.household.length);
    for (const h of ps.household) {
      const village = findRegion(h.regionCode);
      expect(village?.level).toBe("VILLAGE");
      expect(h.regionCode.startsWith("522328")).toBe(true);
      const kind = Number(h.regionCode.slice(9));
      expect(h.type).toBe(kind >= 1 && kind <= 199 ? "URBAN" : "RURAL");
      expect(h.address).toMatch(/^安龙县.+\d+组\d+号$/);
      const head = byId.get(h.headPersonId!)!;
      expect(head.householdNumber).toBe(h.householdNumber);
      expect(head.relationToHead).toBe("户主");
      expect(head.status).toBe("ACTIVE");
    }
    for (const p of ps.person) {
      expect(numbers.has(p.householdNumber!)).toBe(true);
      expect(p.hukouType).toBe(ps.household.find((h) => h.householdNumber === p.householdNumber)!.type);
    }
    const heads = ps.person.filter((p) => p.relationToHead === "户主");
    expect(heads).toHaveLength(ps.household.length);
    const split = ps.person.filter((p) => p.residenceRegionCode !== p.hukouRegionCode).length / ps.person.length;
    expect(split).toBeGreaterThan(0.01);
    expect(split).toBeLessThan(0.08);
  });

  it("registers marriages at legal age only, never two at once, with spouses in one household", () => {
    const spans = new Map<string, { from: string; to: string }[]>();
    const open = new Map<string, string>(); // "husband|wife" -> married on
    const records = [...ca.marriageRecord].sort((a, b) => (a.registeredOn < b.registeredOn ? -1 : 1));
    expect(new Set(records.map((r) => r.registrationNumber)).size).toBe(records.length);
    for (const r of records) {
      expect(r.regionCode).toHaveLength(9);
      expect(findRegion(r.regionCode)?.level).toBe("TOWN");
      const husband = byId.get(r.husbandPersonId)!;
      const wife = byId.get(r.wifePersonId)!;
      expect(husband.idNumber).toBe(r.husbandIdNumber);
      expect(wife.idNumber).toBe(r.wifeIdNumber);
      expect(husband.sex).toBe("MALE");
      expect(wife.sex).toBe("FEMALE");
      const key = `${r.husbandPersonId}|${r.wifePersonId}`;
      if (r.kind === "MARRIAGE") {
        expect(ageOn(dayOf(husband.birthDate), dayOf(r.registeredOn))).toBeGreaterThanOrEqual(22);
        expect(ageOn(dayOf(wife.birthDate), dayOf(r.registeredOn))).toBeGreaterThanOrEqual(20);
        open.set(key, r.registeredOn);
      } else {
        const from = open.get(key);
        expect(from).toBeDefined();
        open.delete(key);
        for (const id of [r.husbandPersonId, r.wifePersonId]) spans.set(id, [...(spans.get(id) ?? []), { from: from!, to: r.registeredOn }]);
      }
    }
    for (const [key, from] of open) {
      const [h, w] = key.split("|");
      for (const id of [h, w]) spans.set(id, [...(spans.get(id) ?? []), { from, to: "9999-12-31" }]);
      const husband = byId.get(h)!;
      const wife = byId.get(w)!;
      expect(husband.householdNumber).toBe(wife.householdNumber);
    }
    for (const [id, list] of spans) {
      const sorted = [...list].sort((a, b) => (a.from < b.from ? -1 : 1));
      for (let i = 1; i < sorted.length; i++) {
        if (sorted[i].from < sorted[i - 1].to) throw new Error(`${id} is married twice at once`);
      }
    }
    expect(ca.marriageRecord.some((r) => r.kind === "DIVORCE")).toBe(true);
  });

  it("counts birth orders per mother and links each registered child to a matching person in her household", () => {
    const byMother = new Map<string, typeof health.birthCertificate>();
    for (const c of health.birthCertificate) byMother.set(c.motherPersonId, [...(byMother.get(c.motherPersonId) ?? []), c]);
    for (const list of byMother.values()) {
      const sorted = [...list].sort((a, b) => (a.birthDate < b.birthDate ? -1 : 1));
      for (let i = 1; i < sorted.length; i++) expect(sorted[i].birthOrder).toBe(sorted[i - 1].birthOrder + 1);
      expect(sorted[0].birthOrder).toBeGreaterThanOrEqual(1);
    }
    const registrations = new Map(ps.birthRegistration.map((r) => [r.certificateNumber, r]));
    expect(registrations.size).toBe(ps.birthRegistration.length);
    expect(new Set(ps.birthRegistration.map((r) => r.personId)).size).toBe(ps.birthRegistration.length);
    expect(new Set(health.birthCertificate.map((c) => c.certificateNumber)).size).toBe(health.birthCertificate.length);
    const marriages = ca.marriageRecord.filter((r) => r.kind === "MARRIAGE");
    for (const c of health.birthCertificate) {
      expect(c.certificateNumber).toMatch(/^[A-Z]\d{9}$/);
      expect(c.birthDate >= "2000-01-01" && c.birthDate <= TODAY).toBe(true);
      const motherAge = ageOn(dayOf((byId.get(c.motherPersonId) ?? nonResidents.get(c.motherPersonId))!.birthDate), dayOf(c.birthDate));
      expect(motherAge).toBeGreaterThanOrEqual(18);
      expect(motherAge).toBeLessThanOrEqual(45);
      const mother = byId.get(c.motherPersonId);
      const registration = registrations.get(c.certificateNumber);
      if (!mother) {
        // An inflow mother: the child is registered at her hukou county, not here.
        expect(nonResidents.has(c.motherPersonId)).toBe(true);
        expect(registration).toBeUndefined();
        continue;
      }
      expect(marriages.some((m) => m.wifePersonId === c.motherPersonId && m.registeredOn <= c.birthDate)).toBe(true);
      if (!registration) {
        // Only births of the last 30 days may still wait for 落户.
        expect(dayOf(TODAY) - dayOf(c.birthDate)).toBeLessThan(30);
        continue;
      }
      const child = byId.get(registration.personId)!;
      expect(child.birthDate).toBe(c.birthDate);
      expect(child.sex).toBe(c.sex);
      expect(child.name).toBe(c.childName);
      expect(child.householdNumber).toBe(mother.householdNumber);
      expect(child.hukouRegisteredOn).toBe(registration.registeredOn);
      const delay = dayOf(registration.registeredOn) - dayOf(c.birthDate);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(30);
    }
    // Everyone born since 2000 in the register came with a certificate.
    const registered = new Set(ps.birthRegistration.map((r) => r.personId));
    for (const p of ps.person) if (p.birthDate >= "2000-01-01") expect(registered.has(p.id)).toBe(true);
  });

  it("records deaths in civil-affairs and cancels the hukou", () => {
    const deaths = new Map(ca.deathRegistration.map((d) => [d.personId, d]));
    expect(deaths.size).toBeGreaterThan(0);
    for (const p of ps.person) {
      const death = deaths.get(p.id);
      if (p.status === "DECEASED") {
        expect(death).toBeDefined();
        expect(death!.idNumber).toBe(p.idNumber);
        expect(p.hukouCancelledOn! >= death!.deathDate).toBe(true);
        expect(death!.registeredOn >= death!.deathDate && death!.registeredOn <= TODAY).toBe(true);
      } else {
        expect(death).toBeUndefined();
        expect(p.hukouCancelledOn).toBeNull();
      }
    }
    expect(ca.deathRegistration.some((d) => d.cremationNumber !== null)).toBe(true);
  });

  it("refers only to persons that exist (this county's register or the inflow persons)", () => {
    const known = (id: string | null) => id === null || byId.has(id) || nonResidents.has(id);
    const local = (id: string | null) => id === null || byId.has(id);
    const check = (label: string, ids: (string | null)[], exists: (id: string | null) => boolean) => {
      const missing = ids.filter((id) => !exists(id));
      if (missing.length > 0) throw new Error(`${label}: unknown person ids ${missing.slice(0, 3).join(", ")}`);
    };
    check("household heads", ps.household.map((h) => h.headPersonId), local);
    check("birth registrations", ps.birthRegistration.map((r) => r.personId), local);
    check("marriages", ca.marriageRecord.flatMap((r) => [r.husbandPersonId, r.wifePersonId]), local);
    check("deaths", ca.deathRegistration.map((r) => r.personId), local);
    check("relief", ca.reliefEnrollment.map((r) => r.personId), local);
    check("birth certificates", health.birthCertificate.flatMap((c) => [c.motherPersonId, c.fatherPersonId]), known);
    check("pre-pregnancy checks", health.prePregnancyCheck.flatMap((c) => [c.womanPersonId, c.manPersonId]), known);
    check("only-child certificates", pop.onlyChildCertificate.flatMap((c) => [c.fatherPersonId, c.motherPersonId, c.childPersonId]), local);
    check("birth permits", pop.birthPermit.flatMap((p) => [p.wifePersonId, p.husbandPersonId]), local);
    check("assistance", pop.assistanceEnrollment.map((a) => a.personId), local);
    check("association", pop.associationMember.map((a) => a.personId), known);
    check("migrants", pop.migrantRecord.map((m) => m.personId), known);
    for (const c of health.birthCertificate) {
      const mother = byId.get(c.motherPersonId) ?? nonResidents.get(c.motherPersonId)!;
      expect(mother.idNumber).toBe(c.motherIdNumber);
    }
    for (const m of pop.migrantRecord) {
      expect(m.direction === "INFLOW" ? nonResidents.has(m.personId) : byId.has(m.personId)).toBe(true);
    }
  });

  it("keeps the population records consistent with the families", () => {
    // Outflow about 27% and inflow about 14% of the population.
    const outflow = pop.migrantRecord.filter((m) => m.direction === "OUTFLOW");
    const inflow = pop.migrantRecord.filter((m) => m.direction === "INFLOW");
    expect(outflow.length / 3000).toBeGreaterThan(0.22);
    expect(outflow.length / 3000).toBeLessThan(0.32);
    expect(inflow.length).toBe(Math.round(0.14 * 3000));
    for (const m of outflow) {
      const p = byId.get(m.personId)!;
      const age = ageOn(dayOf(p.birthDate), dayOf(m.movedOn));
      expect(age).toBeGreaterThanOrEqual(16);
      expect(age).toBeLessThanOrEqual(59);
      expect(m.fromRegionCode).toBe(p.hukouRegionCode);
      if (m.certificateNumber) {
        expect(p.sex).toBe("FEMALE");
        expect(m.certificateIssuedOn! <= m.movedOn).toBe(true);
      }
    }
    const women = outflow.filter((m) => {
      const p = byId.get(m.personId)!;
      const age = ageOn(dayOf(p.birthDate), dayOf(m.movedOn));
      return p.sex === "FEMALE" && age >= 18 && age <= 49;
    });
    expect(women.filter((m) => m.certificateNumber).length / women.length).toBeGreaterThan(0.7);
    const submitted = [...outflow, ...inflow].filter((m) => m.submittedAtDestinationOn);
    const inTime = submitted.filter((m) => dayOf(m.submittedAtDestinationOn!) - dayOf(m.movedOn) <= 30).length;
    expect(inTime / submitted.length).toBeGreaterThan(0.75);

    // 奖扶: rural, 60+ at the start, one child or two girls.
    for (const a of pop.assistanceEnrollment.filter((x) => x.program === "REWARD_ASSISTANCE")) {
      const p = byId.get(a.personId)!;
      expect(p.hukouType).toBe("RURAL");
      expect(dayOf(a.since)).toBeGreaterThanOrEqual(addYears(dayOf(p.birthDate), 60));
      expect(p.birthDate >= "1933-01-01").toBe(true);
      if (p.status === "DECEASED") expect(a.until).not.toBeNull();
    }
    // Permits: kinds by date.
    for (const permit of pop.birthPermit) {
      if (permit.kind === "生育登记") expect(permit.approvedOn >= "2016-01-01").toBe(true);
      else expect(permit.approvedOn >= "2014-01-01" && permit.approvedOn < "2016-01-01").toBe(true);
    }
    // Pre-pregnancy check coverage per town and year: 55–90% of the target where the counts allow it.
    const checks = new Map<string, number>();
    for (const c of health.prePregnancyCheck) {
      const key = `${c.regionCode.slice(0, 9)}|${c.checkedOn.slice(0, 4)}`;
      checks.set(key, (checks.get(key) ?? 0) + 1);
    }
    for (const t of health.prePregnancyCheckTarget) {
      const n = checks.get(`${t.townCode}|${t.year}`) ?? 0;
      if (n >= 5) {
        expect(n / t.target).toBeGreaterThanOrEqual(0.55);
        expect(n / t.target).toBeLessThanOrEqual(0.9);
      }
    }
    expect(pop.onlyChildCertificate.length).toBeGreaterThan(0);
    expect(pop.associationMember.length / 3000).toBeGreaterThan(0.05);
    expect(ca.reliefEnrollment.length).toBeGreaterThan(0);
  });

  it("keeps population's 全员人口 register: every living person of the hukou register and every inflow person, as on the ID card", () => {
    const register = pop.populationRegister;
    const rows = new Map(register.map((r) => [r.personId, r]));
    expect(rows.size).toBe(register.length);
    const active = ps.person.filter((p) => p.status === "ACTIVE");
    expect(register).toHaveLength(active.length + county.nonResidents.length);
    for (const p of active) {
      const r = rows.get(p.id);
      if (!r) throw new Error(`${p.idNumber} is missing from population's register`);
      expect({ idNumber: r.idNumber, name: r.name, sex: r.sex, birthDate: r.birthDate, regionCode: r.regionCode, householdNumber: r.householdNumber }).toEqual({
        idNumber: p.idNumber,
        name: p.name,
        sex: p.sex,
        birthDate: p.birthDate,
        regionCode: p.hukouRegionCode,
        householdNumber: p.householdNumber,
      });
      expect(r.recordedOn >= p.hukouRegisteredOn && r.recordedOn <= TODAY).toBe(true);
      expect(r.maritalStatus).not.toBeNull();
      expect(r.sonsBorn === null).toBe(ageOn(dayOf(p.birthDate), dayOf(TODAY)) < 15);
      expect(r.sonsBorn === null).toBe(r.daughtersBorn === null);
    }
    for (const n of county.nonResidents) {
      const r = rows.get(n.id)!;
      expect(r).toMatchObject({ idNumber: n.idNumber, name: n.name, sex: n.sex, birthDate: n.birthDate, regionCode: n.residenceRegionCode, householdNumber: null });
    }
    // Every mother has at least as many births recorded as she has birth certificates.
    const certificates = new Map<string, number>();
    for (const c of health.birthCertificate) certificates.set(c.motherPersonId, (certificates.get(c.motherPersonId) ?? 0) + 1);
    for (const [mother, n] of certificates) {
      const r = rows.get(mother);
      if (r?.householdNumber) expect(r.sonsBorn! + r.daughtersBorn!).toBeGreaterThanOrEqual(n);
    }
    expect(new Set(register.map((r) => r.maritalStatus))).toEqual(new Set(["UNMARRIED", "MARRIED", "DIVORCED", "WIDOWED", null]));
  });

  it("gives every migrant record the migrant's ID number, sex and birth date (inflow persons included)", () => {
    for (const m of pop.migrantRecord) {
      const person = m.direction === "OUTFLOW" ? byId.get(m.personId)! : nonResidents.get(m.personId)!;
      expect({ idNumber: m.idNumber, sex: m.sex, birthDate: m.birthDate }).toEqual({ idNumber: person.idNumber, sex: person.sex, birthDate: person.birthDate });
      expect(personIdFor(m.idNumber!)).toBe(m.personId);
    }
  });

  it("notifies every birth here to a mother with hukou elsewhere to her county within 30 days, and answers every 协查 within 30 days", () => {
    const notices = pop.interCountyNotice;
    const certificates = new Map(health.birthCertificate.map((c) => [c.certificateNumber, c]));
    const birthNotices = notices.filter((n) => n.kind === "BIRTH_NOTICE");
    const requests = notices.filter((n) => n.kind === "VERIFICATION_REQUEST");
    expect(birthNotices.length).toBeGreaterThan(0);
    expect(new Set(requests.map((n) => n.direction))).toEqual(new Set(["OUTGOING", "INCOMING"]));
    expect(new Set(notices.map((n) => n.id)).size).toBe(notices.length);
    const notified = new Set(birthNotices.map((n) => n.birthCertificateNumber));
    for (const c of health.birthCertificate) {
      const local = byId.has(c.motherPersonId);
      if (local) expect(notified.has(c.certificateNumber)).toBe(false);
      else if (dayOf(TODAY) - dayOf(c.birthDate) > 30) expect(notified.has(c.certificateNumber)).toBe(true);
    }
    for (const n of birthNotices) {
      const c = certificates.get(n.birthCertificateNumber!)!;
      const mother = nonResidents.get(n.personId)!;
      expect({ direction: n.direction, county: n.counterpartCountyCode, local: n.localRegionCode, idNumber: n.idNumber }).toEqual({
        direction: "OUTGOING",
        county: mother.hukouCountyCode,
        local: c.regionCode,
        idNumber: c.motherIdNumber,
      });
      const days = dayOf(n.sentOn) - dayOf(c.birthDate);
      expect(days >= 3 && days <= 30).toBe(true);
    }
    for (const n of requests) {
      expect(n.counterpartCountyCode).not.toBe("522328");
      expect(n.localRegionCode.startsWith("522328")).toBe(true);
      if (n.feedbackOn === null) expect(dayOf(TODAY) - dayOf(n.sentOn)).toBeLessThan(30);
      else expect(dayOf(n.feedbackOn) - dayOf(n.sentOn)).toBeLessThanOrEqual(30);
    }
  });

  it("decides 社会抚养费 for third and later births before 2016, once per birth, with consistent payments", () => {
    const fees = pop.socialMaintenanceFee;
    expect(fees.length).toBeGreaterThan(0);
    const certificates = new Map(health.birthCertificate.map((c) => [c.certificateNumber, c]));
    const registrations = new Map(ps.birthRegistration.map((r) => [r.certificateNumber, r]));
    expect(new Set(fees.map((f) => f.birthCertificateNumber)).size).toBe(fees.length);
    expect(new Set(fees.map((f) => f.id)).size).toBe(fees.length);
    for (const f of fees) {
      const c = certificates.get(f.birthCertificateNumber!)!;
      expect(c.birthOrder).toBeGreaterThanOrEqual(3);
      expect(c.birthDate < "2016-01-01").toBe(true);
      expect(f).toMatchObject({ childBirthDate: c.birthDate, motherPersonId: c.motherPersonId, fatherPersonId: c.fatherPersonId, decidingCountyCode: "522328" });
      expect(f.childPersonId).toBe(registrations.get(c.certificateNumber)?.personId ?? null);
      expect(f.decidedOn > c.birthDate && f.decidedOn <= "2021-05-31").toBe(true);
      expect(f.paidYuan >= 0 && f.paidYuan <= f.amountYuan).toBe(true);
      expect(f.status).toBe(f.paidYuan === 0 ? "DECIDED" : f.paidYuan === f.amountYuan ? "PAID" : "PARTLY_PAID");
      expect(f.lastPaidOn === null).toBe(f.paidYuan === 0);
      if (f.lastPaidOn) expect(f.lastPaidOn >= f.decidedOn && f.lastPaidOn <= TODAY).toBe(true);
    }
    expect(new Set(fees.map((f) => f.status))).toEqual(new Set(["DECIDED", "PARTLY_PAID", "PAID"]));
  });

  it("visits 计生两户 and special families, each visit once, while the visited person lives", () => {
    const visits = pop.careVisit;
    const deaths = new Map(ca.deathRegistration.map((d) => [d.personId, d.deathDate]));
    const keys = new Set<string>();
    for (const v of visits) {
      const p = byId.get(v.personId)!;
      expect(p).toBeDefined();
      expect(v.visitedOn >= "2016-01-01" && v.visitedOn <= TODAY && v.visitedOn >= p.hukouRegisteredOn).toBe(true);
      const died = deaths.get(v.personId);
      if (died) expect(v.visitedOn < died).toBe(true);
      expect(findRegion(v.regionCode)?.level).toBe("VILLAGE");
      expect(v.visitedBy.length).toBeGreaterThan(0);
      const key = `${v.personId}|${v.visitedOn}|${v.kind}`;
      expect(keys.has(key)).toBe(false);
      keys.add(key);
    }
    const kinds = new Set(visits.map((v) => v.kind));
    for (const kind of ["ONLY_CHILD_FAMILY", "TWO_DAUGHTER_FAMILY", "HARDSHIP_FAMILY"]) expect(kinds.has(kind as never)).toBe(true);
  });

  it("records each person's hukou history on request: how the hukou came into the household, and its cancellation", () => {
    expect(ps.hukouEvent).toEqual([]);
    const withHistory = generateCounty({ countyCode: "522328", people: 3000, seed: 7, today: TODAY, hukouHistory: true });
    // The history is an addition: every other record is the same.
    expect({ ...withHistory.tables["public-security"], hukouEvent: [] }).toEqual(ps);
    expect(withHistory.tables.population).toEqual(pop);
    const events = new Map<string, typeof ps.hukouEvent>();
    for (const e of withHistory.tables["public-security"].hukouEvent) events.set(e.personId, [...(events.get(e.personId) ?? []), e]);
    for (const id of events.keys()) expect(byId.has(id)).toBe(true);
    for (const p of withHistory.tables["public-security"].person) {
      const list = events.get(p.id) ?? [];
      const entry = list.filter((e) => e.kind !== "CANCELLATION");
      expect(entry.length).toBeLessThanOrEqual(1);
      if (p.birthDate >= "1958-01-09") expect(entry).toHaveLength(1);
      for (const e of entry) {
        expect(e).toMatchObject({ occurredOn: p.hukouRegisteredOn, toRegionCode: p.hukouRegionCode, householdNumber: p.householdNumber });
        if (e.kind === "MOVE_IN") expect(findRegion(e.fromRegionCode!)).toBeDefined();
        else expect(e.fromRegionCode).toBeNull();
      }
      const cancellations = list.filter((e) => e.kind === "CANCELLATION");
      if (p.status === "DECEASED") expect(cancellations).toMatchObject([{ occurredOn: p.hukouCancelledOn, reason: "DECEASED", toRegionCode: null }]);
      else expect(cancellations).toHaveLength(0);
    }
    for (const r of ps.birthRegistration) expect(events.get(r.personId)!.find((e) => e.kind === "BIRTH_REGISTRATION")?.occurredOn).toBe(r.registeredOn);
    expect(withHistory.tables["public-security"].hukouEvent.some((e) => e.kind === "MOVE_IN")).toBe(true);
  });

  it("draws the sex of births with the requested ratio (20,000 people)", () => {
    for (const ratio of [112, 105]) {
      const big = generateCounty({ countyCode: "520424", people: 20_000, seed: 11, sexRatioAtBirth: ratio });
      const births = big.tables.health.birthCertificate;
      expect(births.length).toBeGreaterThan(3000);
      const boys = births.filter((b) => b.sex === "MALE").length;
      const observed = (boys / (births.length - boys)) * 100;
      expect(Math.abs(observed - ratio)).toBeLessThan(9);
      const ethnic = big.tables["public-security"].person.filter((p) => p.ethnicity === "布依族" || p.ethnicity === "苗族").length;
      expect(ethnic / 20_000).toBeGreaterThan(0.3);
    }
  });

  it("rejects counties outside the extract and bad options", () => {
    expect(() => generateCounty({ countyCode: "110105", people: 10, seed: 1 })).toThrow(/not in the division extract/);
    expect(() => generateCounty({ countyCode: "522328", people: 0, seed: 1 })).toThrow(/people/);
    expect(() => generateCounty({ countyCode: "522328", people: 10, seed: 1, sexRatioAtBirth: 1000 })).toThrow(/sexRatioAtBirth/);
  });

  it("gives the demo county example variables of a married woman with recent births", () => {
    const vars = DEMO_COUNTY.exampleVariables;
    expect(vars.code).toBe("522328");
    expect(findRegion(vars.regionCode)?.level).toBe("TOWN");
    const demo = generateCounty({ countyCode: DEMO_COUNTY.countyCode, people: DEMO_COUNTY.people, seed: DEMO_COUNTY.seed });
    const woman = demo.tables["public-security"].person.find((p) => p.idNumber === vars.idNumber)!;
    expect(woman.sex).toBe("FEMALE");
    expect(woman.hukouRegionCode.startsWith(vars.regionCode)).toBe(true);
    const births = demo.tables.health.birthCertificate.filter((c) => c.motherIdNumber === vars.idNumber);
    expect(births.some((b) => b.birthDate >= vars.bornFrom && b.birthDate <= vars.bornTo)).toBe(true);
  });
});

describe("残疾人证", () => {
  // Seed 23 draws a 伤残 family (an only child disabled) in a county of 2,500.
  const county = generateCounty({ countyCode: "522328", people: 2500, seed: 23, today: TODAY });
  const pop = county.tables.population;
  const certificates = county.tables["civil-affairs"].disabilityCertificate;

  it("gives the disabled only child of every 伤残 enrollment a grade 1–3 certificate valid while the enrollment is open, and no other only child one", () => {
    const open = pop.assistanceEnrollment.filter((e) => e.program === "SPECIAL_ASSISTANCE_CHILD_DISABLED" && e.until === null);
    expect(open.length).toBeGreaterThan(0);
    const childOf = new Map(pop.onlyChildCertificate.flatMap((c) => [[c.motherPersonId, c.childPersonId] as const, [c.fatherPersonId, c.childPersonId] as const]));
    const disabledChildren = new Set<string>();
    for (const e of open) {
      const child = childOf.get(e.personId)!;
      expect(child).toBeTruthy();
      disabledChildren.add(child!);
      const held = certificates.filter((c) => c.personId === child);
      expect(held).toHaveLength(1);
      expect(held[0].grade).toBeLessThanOrEqual(3);
      expect(held[0].issuedOn <= e.since && held[0].revokedOn === null).toBe(true);
      expect(held[0].certificateNumber.startsWith(held[0].idNumber)).toBe(true);
    }
    const onlyChildren = new Set(pop.onlyChildCertificate.map((c) => c.childPersonId));
    for (const c of certificates) if (onlyChildren.has(c.personId)) expect(disabledChildren.has(c.personId) || c.revokedOn !== null).toBe(true);
    // Other residents hold some too, of every grade.
    expect(new Set(certificates.map((c) => c.grade))).toEqual(new Set([1, 2, 3, 4]));
    expect(new Set(certificates.map((c) => c.certificateNumber)).size).toBe(certificates.length);
  });
});

describe("anomalies", () => {
  const options = { countyCode: "522328", people: 10_000, seed: 7, today: TODAY, anomalyRate: 0.02, hukouHistory: true };
  const county = generateCounty(options);
  const clean = generateCounty({ ...options, anomalyRate: 0 });
  const noneFound = Object.fromEntries(ANOMALY_KINDS.map((k) => [k, []]));
  const manifestIds = (c: County) => Object.fromEntries(ANOMALY_KINDS.map((k) => [k, c.manifest.kinds[k].ids]));

  it("is deterministic: one seed and rate give the same county and manifest", () => {
    const again = generateCounty(options);
    expect(sha256(again)).toBe(sha256(county));
    expect(sha256(again.manifest)).toBe(sha256(county.manifest));
    expect(sha256(generateCounty({ ...options, anomalyRate: 0.03 }).manifest)).not.toBe(sha256(county.manifest));
  });

  it("injects every kind at the rate, each person in one kind at most, and describes the run", () => {
    const m = county.manifest;
    expect({ seed: m.seed, countyCode: m.countyCode, people: m.people, anomalyRate: m.anomalyRate, today: m.today }).toEqual({
      seed: 7,
      countyCode: "522328",
      people: 10_000,
      anomalyRate: 0.02,
      today: TODAY,
    });
    expect(Object.keys(m.kinds)).toEqual([...ANOMALY_KINDS]);
    for (const kind of ANOMALY_KINDS) {
      const entry = m.kinds[kind];
      if (entry.ids.length === 0) throw new Error(`no ${kind} anomaly was injected`);
      expect(entry.ids).toEqual([...entry.ids].sort());
      expect(new Set(entry.ids).size).toBe(entry.ids.length);
      expect(entry.departments.length).toBeGreaterThan(0);
      expect(entry.description.length).toBeGreaterThan(40);
      expect(entry.key.length).toBeGreaterThan(5);
    }
    // round(rate × the kind's population): here the hukou register (after the unregistered newborns left it).
    const persons = county.tables["public-security"].person;
    expect(m.kinds.sexMismatch.ids).toHaveLength(Math.round(0.02 * persons.length));
    expect(m.kinds.missingFromPopulationRegister.ids).toHaveLength(Math.round(0.02 * persons.filter((p) => p.status === "ACTIVE").length));
    expect(m.kinds.idNumberInvalid.ids).toHaveLength(Math.round(0.02 * persons.length));
    expect(m.kinds.hukouNameEmpty.ids).toHaveLength(Math.round(0.02 * persons.length));
    expect(m.kinds.registerNameEmpty.ids).toHaveLength(Math.round(0.02 * county.tables.population.populationRegister.length));
    // Kinds keyed by a certificate or a notice rather than a person.
    const personKinds = ANOMALY_KINDS.filter((k) => !["birthNotRegistered", "birthNoticeMissing", "requestWithoutFeedback"].includes(k));
    const people = personKinds.flatMap((k) => m.kinds[k].ids);
    expect(new Set(people).size).toBe(people.length);
    // Valid numbers, but for the hukou register's mistyped ones.
    const invalid = new Set(m.kinds.idNumberInvalid.ids);
    for (const id of people) expect({ id, ok: checkIdNumber(id, AFTER_TODAY).ok }).toEqual({ id, ok: !invalid.has(id) });
    for (const id of m.kinds.missingFromHukou.ids) expect(id.slice(0, 6)).toBe("522328");
    // One kind at most per person, by person id (a mistyped number is another key for the same person).
    const personOf = new Map<string, string>();
    for (const r of county.tables.population.populationRegister) personOf.set(r.idNumber, r.personId);
    for (const d of county.tables["civil-affairs"].deathRegistration) personOf.set(d.idNumber, d.personId);
    for (const p of persons) personOf.set(p.idNumber, p.id);
    const ids = personKinds.flatMap((k) => m.kinds[k].ids.map((n) => personOf.get(n)));
    expect(ids.every((id) => id !== undefined)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("is found exactly by the reports' checks on the tables: precision and recall 1.0", () => {
    expect(findAnomalies(county.tables, TODAY)).toEqual(manifestIds(county));
  });

  it("makes each listed record anomalous (spot checks by hand)", () => {
    const ps = county.tables["public-security"];
    const byIdNumber = new Map(ps.person.map((p) => [p.idNumber, p]));
    const registered = new Set(ps.birthRegistration.map((r) => r.certificateNumber));
    const certificates = new Map(county.tables.health.birthCertificate.map((c) => [c.certificateNumber, c]));
    for (const number of county.manifest.kinds.birthNotRegistered.ids) {
      expect(registered.has(number)).toBe(false);
      expect(dayOf(TODAY) - dayOf(certificates.get(number)!.birthDate)).toBeGreaterThan(30);
    }
    for (const id of county.manifest.kinds.sexMismatch.ids) expect((checkIdNumber(id) as { sex: string }).sex).not.toBe(byIdNumber.get(id)!.sex);
    for (const id of county.manifest.kinds.birthDateMismatch.ids) expect((checkIdNumber(id) as { birthDate: string }).birthDate).not.toBe(byIdNumber.get(id)!.birthDate);
    const deathNumbers = new Set(county.tables["civil-affairs"].deathRegistration.map((d) => d.idNumber));
    for (const id of county.manifest.kinds.deathNotCancelled.ids) {
      expect(deathNumbers.has(id)).toBe(true);
      expect(byIdNumber.get(id)).toMatchObject({ status: "ACTIVE", hukouCancelledOn: null });
    }
    const inRegister = new Set(county.tables.population.populationRegister.map((r) => r.idNumber));
    for (const id of county.manifest.kinds.missingFromPopulationRegister.ids) expect(inRegister.has(id)).toBe(false);
    for (const id of county.manifest.kinds.missingFromHukou.ids) {
      expect(inRegister.has(id)).toBe(true);
      expect(byIdNumber.has(id)).toBe(false);
    }

    // Legacy records: only the hukou register's copy of the number is mistyped, in its check character.
    const register = new Map(county.tables.population.populationRegister.map((r) => [r.personId, r]));
    const cleanPersons = new Map(clean.tables["public-security"].person.map((p) => [p.id, p]));
    const marriedNumbers = new Map<string, string>();
    for (const r of county.tables["civil-affairs"].marriageRecord) {
      marriedNumbers.set(r.husbandPersonId, r.husbandIdNumber);
      marriedNumbers.set(r.wifePersonId, r.wifeIdNumber);
    }
    for (const id of county.manifest.kinds.idNumberInvalid.ids) {
      const p = byIdNumber.get(id)!;
      expect(checkIdNumber(id, AFTER_TODAY)).toMatchObject({ ok: false, problem: "CHECKSUM" });
      const correct = cleanPersons.get(p.id)!.idNumber;
      expect(correct.slice(0, 17)).toBe(id.slice(0, 17));
      expect(correct[17]).not.toBe(id[17]);
      expect(checkIdNumber(correct, AFTER_TODAY)).toMatchObject({ ok: true, birthDate: p.birthDate, sex: p.sex });
      expect(p.id).toBe(personIdFor(correct));
      expect(register.get(p.id)!.idNumber).toBe(correct);
      if (marriedNumbers.has(p.id)) expect(marriedNumbers.get(p.id)).toBe(correct);
      expect({ ...p, idNumber: correct }).toEqual(cleanPersons.get(p.id));
    }
    for (const id of county.manifest.kinds.hukouNameEmpty.ids) {
      const p = byIdNumber.get(id)!;
      expect(p.name).toBe("");
      expect(cleanPersons.get(p.id)!.name.length).toBeGreaterThan(1);
      expect(register.get(p.id)!.name).toBe(cleanPersons.get(p.id)!.name);
    }
    const registerByNumber = new Map(county.tables.population.populationRegister.map((r) => [r.idNumber, r]));
    for (const id of county.manifest.kinds.registerNameEmpty.ids) {
      const r = registerByNumber.get(id)!;
      expect(r.name).toBe("");
      expect(byIdNumber.get(id)!.name.length).toBeGreaterThan(1);
    }
    // The audit's other required fields are never empty: the empty-field rules find these kinds alone.
    for (const p of ps.person) expect({ id: p.id, empty: !p.idNumber.trim() || !p.sex || !p.hukouRegisteredOn }).toEqual({ id: p.id, empty: false });
    for (const r of county.tables.population.populationRegister) expect({ id: r.personId, empty: !r.idNumber.trim() || !r.sex }).toEqual({ id: r.personId, empty: false });
  });

  it("has none of the kinds without anomalies (rate 0), in any county", () => {
    for (const c of [clean, generateCounty({ countyCode: "522328", people: 3000, seed: 7, today: TODAY }), generateCounty({ countyCode: "371502", people: 8000, seed: 12 })]) {
      expect(manifestIds(c)).toEqual(noneFound);
      expect(findAnomalies(c.tables, c.options.today)).toEqual(noneFound);
    }
  });

  it("changes nothing else and leaves every reference resolvable", () => {
    // Records no kind touches are those of the county without anomalies.
    expect(county.tables.health).toEqual(clean.tables.health);
    expect(county.tables["civil-affairs"].marriageRecord).toEqual(clean.tables["civil-affairs"].marriageRecord);
    expect(county.tables["civil-affairs"].deathRegistration).toEqual(clean.tables["civil-affairs"].deathRegistration);
    expect(county.tables["public-security"].household).toEqual(clean.tables["public-security"].household);
    expect(county.nonResidents).toEqual(clean.nonResidents);
    const ps = county.tables["public-security"];
    const pop = county.tables.population;
    const ca = county.tables["civil-affairs"];
    const known = new Set([...ps.person.map((p) => p.id), ...county.nonResidents.map((p) => p.id)]);
    const referenced = [
      ...ps.household.map((h) => h.headPersonId),
      ...ps.birthRegistration.map((r) => r.personId),
      ...ps.hukouEvent.map((e) => e.personId),
      ...ca.marriageRecord.flatMap((r) => [r.husbandPersonId, r.wifePersonId]),
      ...ca.deathRegistration.map((d) => d.personId),
      ...ca.reliefEnrollment.map((r) => r.personId),
      ...pop.onlyChildCertificate.flatMap((c) => [c.fatherPersonId, c.motherPersonId, c.childPersonId]),
      ...pop.birthPermit.flatMap((p) => [p.wifePersonId, p.husbandPersonId]),
      ...pop.assistanceEnrollment.map((a) => a.personId),
      ...pop.associationMember.map((a) => a.personId),
      ...pop.migrantRecord.map((m) => m.personId),
      ...pop.socialMaintenanceFee.flatMap((f) => [f.childPersonId, f.motherPersonId, f.fatherPersonId]),
      ...pop.careVisit.map((v) => v.personId),
    ].filter((id): id is string => id !== null);
    const unknown = referenced.filter((id) => !known.has(id));
    expect(unknown).toEqual([]);
    // Population's register names only known persons, except the made-up ones missing from the hukou register.
    const madeUp = new Set(county.manifest.kinds.missingFromHukou.ids);
    for (const r of pop.populationRegister) if (!known.has(r.personId)) expect(madeUp.has(r.idNumber)).toBe(true);
    // Unregistered children are in no department's person records.
    const removed = new Set(county.manifest.kinds.birthNotRegistered.ids);
    const children = clean.tables["public-security"].birthRegistration.filter((r) => removed.has(r.certificateNumber)).map((r) => r.personId);
    expect(children).toHaveLength(removed.size);
    for (const id of children) expect(known.has(id) || pop.populationRegister.some((r) => r.personId === id)).toBe(false);
  });
});
