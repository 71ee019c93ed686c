/**
 * The reference check for the anomaly manifest: finds every anomaly of each kind (anomalies.ts) in a county's
 * tables alone, the way the departments' reports see the databases, with none of the generator's or the
 * injector's internals. A county generated with anomalyRate 0 has none; otherwise what this finds is exactly
 * the manifest (tests/unit/synthetic.test.ts), so it is the oracle a report's precision and recall are
 * measured against. Deliberately plain: one pass per kind, maps for the joins.
 */
import { checkIdNumber } from "../id-number";
import type { AnomalyKind } from "./anomalies";
import type { CountyTables } from "./county";

const DAY = 86_400_000;

function days(isoDate: string): number {
  return Date.parse(`${isoDate}T00:00:00Z`) / DAY;
}

/** Completed years between two ISO dates. */
function age(birthDate: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return on.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

export function findAnomalies(tables: CountyTables, today: string): Record<AnomalyKind, string[]> {
  const ps = tables["public-security"];
  const ca = tables["civil-affairs"];
  const pop = tables.population;
  const persons = new Map(ps.person.map((p) => [p.id, p]));
  const deaths = new Map(ca.deathRegistration.map((d) => [d.personId, d]));
  const register = new Map(pop.populationRegister.map((r) => [r.personId, r]));
  const registered = new Set(ps.birthRegistration.map((r) => r.certificateNumber));
  const found: Record<AnomalyKind, string[]> = {
    birthNotRegistered: [],
    deathNotCancelled: [],
    deceasedStillEnrolled: [],
    eligibleNotEnrolled: [],
    migrantWithoutCertificate: [],
    certificateSubmittedLate: [],
    birthDateMismatch: [],
    sexMismatch: [],
    maritalStatusMismatch: [],
    missingFromPopulationRegister: [],
    missingFromHukou: [],
    birthNoticeMissing: [],
    requestWithoutFeedback: [],
    idNumberInvalid: [],
    hukouNameEmpty: [],
    registerNameEmpty: [],
  };
  const now = days(today);

  for (const c of tables.health.birthCertificate) {
    if (persons.has(c.motherPersonId) && now - days(c.birthDate) > 30 && !registered.has(c.certificateNumber)) found.birthNotRegistered.push(c.certificateNumber);
  }

  for (const d of ca.deathRegistration) {
    if (persons.get(d.personId)?.status === "ACTIVE") found.deathNotCancelled.push(d.idNumber);
  }

  const stillEnrolled = new Set<string>();
  for (const e of pop.assistanceEnrollment) {
    const death = deaths.get(e.personId);
    if (e.until === null && death) stillEnrolled.add(death.idNumber);
  }
  found.deceasedStillEnrolled.push(...stillEnrolled);

  const rewarded = new Set(pop.assistanceEnrollment.filter((e) => e.program === "REWARD_ASSISTANCE" && e.until === null).map((e) => e.personId));
  for (const p of ps.person) {
    if (p.status !== "ACTIVE" || deaths.has(p.id) || p.hukouType !== "RURAL" || p.birthDate < "1933-01-01" || age(p.birthDate, today) < 60) continue;
    const r = register.get(p.id);
    if (!r || r.sonsBorn === null || r.daughtersBorn === null) continue;
    const children = r.sonsBorn + r.daughtersBorn === 1 || (r.sonsBorn === 0 && r.daughtersBorn === 2);
    if (children && !rewarded.has(p.id)) found.eligibleNotEnrolled.push(p.idNumber);
  }

  for (const m of pop.migrantRecord) {
    if (m.direction === "OUTFLOW") {
      const p = persons.get(m.personId);
      if (!p || p.sex !== "FEMALE") continue;
      const a = age(p.birthDate, m.movedOn);
      if (a >= 18 && a <= 49 && m.certificateNumber === null) found.migrantWithoutCertificate.push(p.idNumber);
    } else {
      // Inflow migrants are in no hukou register here: the record's own identity columns.
      if (m.sex !== "FEMALE" || m.birthDate === null || m.idNumber === null) continue;
      const a = age(m.birthDate, m.movedOn);
      if (a < 18 || a > 49) continue;
      const late = m.submittedAtDestinationOn === null ? now - days(m.movedOn) > 30 : days(m.submittedAtDestinationOn) - days(m.movedOn) > 30;
      if (late) found.certificateSubmittedLate.push(m.idNumber);
    }
  }

  for (const p of ps.person) {
    // A name empty or of white space only (JavaScript's trim, as public-security's audit reads it).
    if (p.name.trim() === "") found.hukouNameEmpty.push(p.idNumber);
    const id = checkIdNumber(p.idNumber, new Date(Date.parse(`${today}T00:00:00Z`) + DAY));
    if (!id.ok) {
      // An invalid number gives no birth date or sex to compare with.
      found.idNumberInvalid.push(p.idNumber);
      continue;
    }
    if (id.birthDate !== p.birthDate) found.birthDateMismatch.push(p.idNumber);
    if (id.sex !== p.sex) found.sexMismatch.push(p.idNumber);
  }

  // Civil-affairs' marital status: the latest registration; widowed when that marriage's spouse died.
  const latest = new Map<string, { kind: string; on: string; spouse: string }>();
  for (const m of ca.marriageRecord) {
    for (const [self, spouse] of [
      [m.husbandPersonId, m.wifePersonId],
      [m.wifePersonId, m.husbandPersonId],
    ]) {
      const seen = latest.get(self);
      if (!seen || seen.on <= m.registeredOn) latest.set(self, { kind: m.kind, on: m.registeredOn, spouse });
    }
  }
  for (const r of pop.populationRegister) {
    if (r.householdNumber === null || r.maritalStatus === null) continue;
    const l = latest.get(r.personId);
    const civil = !l ? "UNMARRIED" : l.kind === "DIVORCE" ? "DIVORCED" : deaths.has(l.spouse) ? "WIDOWED" : "MARRIED";
    if (civil !== r.maritalStatus) found.maritalStatusMismatch.push(r.idNumber);
  }

  for (const p of ps.person) {
    if (p.status === "ACTIVE" && !register.has(p.id)) found.missingFromPopulationRegister.push(p.idNumber);
  }
  for (const r of pop.populationRegister) {
    if (r.householdNumber !== null && !persons.has(r.personId)) found.missingFromHukou.push(r.idNumber);
    // Empty or spaces only (SQL's TRIM, as population's audit reads it).
    if (/^ *$/.test(r.name)) found.registerNameEmpty.push(r.idNumber);
  }

  // Births here to mothers with hukou elsewhere, and 协查, between this county and others.
  const notified = new Set<string>();
  for (const n of pop.interCountyNotice) {
    if (n.kind === "BIRTH_NOTICE" && n.direction === "OUTGOING" && n.birthCertificateNumber !== null && n.sentOn <= today) notified.add(n.birthCertificateNumber);
    const open = n.feedbackOn === null || n.feedbackOn > today;
    if (n.kind === "VERIFICATION_REQUEST" && open && now - days(n.sentOn) > 30) found.requestWithoutFeedback.push(n.id);
  }
  for (const c of tables.health.birthCertificate) {
    if (!persons.has(c.motherPersonId) && now - days(c.birthDate) > 30 && !notified.has(c.certificateNumber)) found.birthNoticeMissing.push(c.certificateNumber);
  }

  for (const list of Object.values(found)) list.sort();
  return found;
}
