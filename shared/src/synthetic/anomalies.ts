/**
 * Anomalies for the analysts' reports (DOMAIN.md §5) to find, injected into a generated county at a given rate,
 * and the ground-truth manifest that lists them.
 *
 * The generator itself produces none of these kinds (a county generated with anomalyRate 0 passes every check
 * below), so a report that finds exactly the manifest's ids has precision and recall 1.0. For each kind,
 * round(rate × the kind's population) records (at least one when the rate is above 0 and a candidate exists)
 * are altered, consistently across the departments' tables. A person (by ID number) is picked for one kind at
 * most, and only where the change cannot make or hide an anomaly of another kind (e.g. a birth date is moved
 * only for people aged 20–50 without migrant records, so that no 奖扶 or 婚育证明 check sees it).
 *
 * Deterministic: the picks come from the county's seed (a stream of their own, so that the county's other
 * records are the same at every rate).
 */
import type { DepartmentName } from "../config";
import { addYears, ageOn, dayOf, iso, yearOf } from "./dates";
import { givenName } from "./names";
import type { CountyTables, NonResidentPerson, PersonRow, PopulationRegisterRow, ResolvedCountyOptions } from "./county";
import type { Random } from "./random";

export const ANOMALY_KINDS = [
  "birthNotRegistered",
  "deathNotCancelled",
  "deceasedStillEnrolled",
  "eligibleNotEnrolled",
  "migrantWithoutCertificate",
  "certificateSubmittedLate",
  "birthDateMismatch",
  "sexMismatch",
  "maritalStatusMismatch",
  "missingFromPopulationRegister",
  "missingFromHukou",
  "birthNoticeMissing",
  "requestWithoutFeedback",
  "idNumberInvalid",
  "hukouNameEmpty",
  "registerNameEmpty",
] as const;

export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

export interface AnomalyKindManifest {
  description: string;
  /** The departments whose records disagree (or whose record is missing). */
  departments: DepartmentName[];
  /** What the ids are. */
  key: string;
  /** The affected records' natural keys, sorted. */
  ids: string[];
}

export interface AnomalyManifest {
  seed: number | string;
  countyCode: string;
  people: number;
  anomalyRate: number;
  today: string;
  kinds: Record<AnomalyKind, AnomalyKindManifest>;
}

/** Descriptions, departments and keys of the kinds (the manifest's fixed part). */
export const ANOMALY_KIND_INFO: Record<AnomalyKind, Omit<AnomalyKindManifest, "ids">> = {
  birthNotRegistered: {
    description:
      "出生医学证明 issued for a birth more than 30 days before `today` to a mother in this county's hukou register (public-security person), " +
      "with no 落户 (no birth_registration row for the certificate); the child is not in the hukou register (nor in population's register)",
    departments: ["health", "public-security"],
    key: "birth certificate number (birth_certificate.certificate_number)",
  },
  deathNotCancelled: {
    description: "死亡登记 in civil-affairs whose person is still ACTIVE in public-security's register (no hukouCancelledOn, no CANCELLATION hukou event)",
    departments: ["civil-affairs", "public-security"],
    key: "ID number of the deceased (death_registration.id_number)",
  },
  deceasedStillEnrolled: {
    description: "奖扶/特扶 enrollment (assistance_enrollment) with no `until` for a person whose death civil-affairs registered",
    departments: ["population", "civil-affairs"],
    key: "ID number of the deceased (death_registration.id_number)",
  },
  eligibleNotEnrolled: {
    description:
      "qualifies for 奖扶 but has no open REWARD_ASSISTANCE enrollment: ACTIVE in public-security's register and no death registration, " +
      "hukouType RURAL, born on or after 1933-01-01, aged 60 or more on `today`, and in population's register sonsBorn + daughtersBorn = 1, " +
      "or sonsBorn = 0 and daughtersBorn = 2",
    departments: ["public-security", "population", "civil-affairs"],
    key: "ID number (person.id_number)",
  },
  migrantWithoutCertificate: {
    description:
      "OUTFLOW migrant record of a woman aged 18–49 on movedOn (sex and birth date as the record and public-security both give them) " +
      "with no 婚育证明 (certificateNumber null)",
    departments: ["population", "public-security"],
    key: "the woman's ID number (migrant_record.id_number = person.id_number)",
  },
  certificateSubmittedLate: {
    description:
      "INFLOW migrant record of a woman aged 18–49 on movedOn (sex and birth date from the record itself; inflow migrants are in no hukou " +
      "register here) whose 婚育证明 was submitted more than 30 days after movedOn, or not at all while movedOn is more than 30 days before `today`",
    departments: ["population"],
    key: "the woman's ID number (migrant_record.id_number)",
  },
  birthDateMismatch: {
    description: "public-security person whose birthDate differs from the birth date in the ID number (the number itself is valid)",
    departments: ["public-security"],
    key: "ID number (person.id_number)",
  },
  sexMismatch: {
    description: "public-security person whose sex differs from the ID number's 17th digit (odd = male, even = female)",
    departments: ["public-security"],
    key: "ID number (person.id_number)",
  },
  maritalStatusMismatch: {
    description:
      "population_register row with a householdNumber whose maritalStatus differs from civil-affairs' registrations: the latest marriage or divorce " +
      "registration, WIDOWED when the spouse of the latest marriage has a registered death, UNMARRIED without any registration " +
      "(public-security keeps no marital status, so population's register stands for the 户口簿 entry)",
    departments: ["population", "civil-affairs"],
    key: "ID number (population_register.id_number)",
  },
  missingFromPopulationRegister: {
    description: "ACTIVE person of public-security's register with no population_register row (户不漏人)",
    departments: ["public-security", "population"],
    key: "ID number (person.id_number)",
  },
  missingFromHukou: {
    description:
      "population_register row with a householdNumber (a local hukou person as the clerk recorded it, with a valid ID number of this county) " +
      "whose person is not in public-security's register at all (居不漏户)",
    departments: ["population", "public-security"],
    key: "ID number (population_register.id_number)",
  },
  birthNoticeMissing: {
    description:
      "出生医学证明 issued for a birth more than 30 days before `today` to a mother who is not in this county's hukou register (an inflow " +
      "migrant), with no OUTGOING BIRTH_NOTICE (inter_county_notice) for the certificate: her hukou county was never told of the birth",
    departments: ["health", "public-security", "population"],
    key: "birth certificate number (birth_certificate.certificate_number)",
  },
  requestWithoutFeedback: {
    description:
      "VERIFICATION_REQUEST (协查, inter_county_notice) sent or received more than 30 days before `today` with no feedback (feedbackOn null)",
    departments: ["population"],
    key: "the request's id (inter_county_notice.id)",
  },
  idNumberInvalid: {
    description:
      "public-security person whose ID number fails GB 11643 (checkIdNumber): a legacy 户籍 record migrated with its check character " +
      "(the 18th) mistyped; the person's id is still that of the correct number, which population's register and the other departments keep",
    departments: ["public-security"],
    key: "ID number as public-security holds it, the invalid one (person.id_number)",
  },
  hukouNameEmpty: {
    description:
      "public-security person whose name is empty (a required field of the hukou register; a legacy record migrated without it); " +
      "population's register keeps the name",
    departments: ["public-security"],
    key: "ID number (person.id_number)",
  },
  registerNameEmpty: {
    description:
      "population_register row whose name is empty (a required field of population's register; a legacy row imported without it); " +
      "public-security's register keeps the name",
    departments: ["population"],
    key: "ID number (population_register.id_number)",
  },
};

/** What the generator gives the injector: the tables to alter and the few things only the generator can make. */
export interface AnomalyContext {
  options: ResolvedCountyOptions;
  /** Day number of `today`. */
  today: number;
  rng: Random;
  tables: CountyTables;
  nonResidents: NonResidentPerson[];
  /** Civil-affairs' marital status by person id (persons without any registration are absent: UNMARRIED). */
  maritalStatuses: ReadonlyMap<string, string>;
  /** The population-register row the clerk would keep for a person of the hukou register. */
  registerRowFor(personId: string): PopulationRegisterRow;
  /** A fresh, unique, valid ID number of this county (and its person id). */
  newIdNumber(rng: Random, birthDate: string, sex: "MALE" | "FEMALE"): { idNumber: string; id: string };
}

export function emptyAnomalyManifest(options: ResolvedCountyOptions): AnomalyManifest {
  const kinds = Object.fromEntries(ANOMALY_KINDS.map((k) => [k, { ...ANOMALY_KIND_INFO[k], ids: [] as string[] }])) as unknown as Record<AnomalyKind, AnomalyKindManifest>;
  return { seed: options.seed, countyCode: options.countyCode, people: options.people, anomalyRate: options.anomalyRate, today: options.today, kinds };
}

/** Alters the tables in place and returns the manifest. */
export function injectAnomalies(context: AnomalyContext): AnomalyManifest {
  const manifest = emptyAnomalyManifest(context.options);
  if (context.options.anomalyRate > 0) {
    const found = new Injector(context).run();
    for (const kind of ANOMALY_KINDS) manifest.kinds[kind].ids = [...found[kind]].sort();
  }
  return manifest;
}

const REGISTER_FROM = dayOf("2013-01-01");
/** The characters an ID number's 18th position may hold (GB 11643): a mistyped one is another of them. */
const CHECK_CHARACTERS = [..."0123456789X"];
const TWO_CHILD_ERA = "2016-01-01";

class Injector {
  private readonly rate: number;
  private readonly today: number;
  private readonly todayIso: string;
  private readonly tables: CountyTables;
  /** ID numbers of the persons already altered for some kind. */
  private readonly used = new Set<string>();
  private readonly found = Object.fromEntries(ANOMALY_KINDS.map((k) => [k, [] as string[]])) as unknown as Record<AnomalyKind, string[]>;
  /** public-security's persons by id (kept up to date as persons are removed). */
  private readonly byId: Map<string, PersonRow>;

  constructor(private readonly context: AnomalyContext) {
    this.rate = context.options.anomalyRate;
    this.today = context.today;
    this.todayIso = iso(context.today);
    this.tables = context.tables;
    this.byId = new Map(this.tables["public-security"].person.map((p) => [p.id, p]));
  }

  /** Completed years of age on `on` (ISO dates). */
  private age(birthDate: string, on: string): number {
    const years = Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4));
    return on.slice(5) < birthDate.slice(5) ? years - 1 : years;
  }

  run(): Record<AnomalyKind, string[]> {
    // Scarce kinds first, so that their few candidates are not taken by another kind.
    this.deceasedStillEnrolled();
    this.deathNotCancelled();
    this.birthNotRegistered();
    this.eligibleNotEnrolled();
    this.migrantWithoutCertificate();
    this.certificateSubmittedLate();
    this.maritalStatusMismatch();
    this.sexMismatch();
    this.birthDateMismatch();
    this.missingFromPopulationRegister();
    this.missingFromHukou();
    this.birthNoticeMissing();
    this.requestWithoutFeedback();
    // Legacy records migrated into the registers (the write mutations validate, so only imports make these).
    // Last, so that the kinds above pick the same records at every seed as before these existed.
    this.idNumberInvalid();
    this.hukouNameEmpty();
    this.registerNameEmpty();
    return this.found;
  }

  /** round(rate × population), at least 1 when there is a candidate; the picks in a seeded random order. */
  private pick<T>(kind: AnomalyKind, population: number, candidates: T[]): T[] {
    if (candidates.length === 0) return [];
    const n = Math.min(candidates.length, Math.max(1, Math.round(this.rate * population)));
    const rng = this.context.rng.derive(kind);
    // Partial Fisher–Yates: the first n of a random permutation.
    const list = candidates.slice();
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(rng.next() * (list.length - i));
      const t = list[i];
      list[i] = list[j];
      list[j] = t;
    }
    return list.slice(0, n);
  }

  private rngFor(kind: AnomalyKind): Random {
    return this.context.rng.derive(`${kind}/values`);
  }

  private record(kind: AnomalyKind, key: string, idNumber: string): void {
    this.found[kind].push(key);
    this.used.add(idNumber);
  }

  private get persons(): PersonRow[] {
    return this.tables["public-security"].person;
  }

  private deathsById() {
    return new Map(this.tables["civil-affairs"].deathRegistration.map((d) => [d.personId, d]));
  }

  // ------------------------------------------------------------------------------------------------------

  /** A dead recipient's enrollment loses its end date. */
  private deceasedStillEnrolled(): void {
    const deaths = this.deathsById();
    const enrollments = this.tables.population.assistanceEnrollment;
    const persons: string[] = [];
    const seen = new Set<string>();
    for (const e of enrollments) {
      if (deaths.has(e.personId) && !seen.has(e.personId)) {
        seen.add(e.personId);
        persons.push(e.personId);
      }
    }
    const candidates = persons.filter((id) => !this.used.has(deaths.get(id)!.idNumber));
    for (const id of this.pick("deceasedStillEnrolled", persons.length, candidates)) {
      const death = deaths.get(id)!;
      const own = enrollments.filter((e) => e.personId === id);
      const row = own.find((e) => e.until === death.deathDate) ?? own[0];
      row.until = null;
      this.record("deceasedStillEnrolled", death.idNumber, death.idNumber);
    }
  }

  /** Civil-affairs registered the death; the police never cancelled the hukou (and population's clerk kept the person). */
  private deathNotCancelled(): void {
    const ps = this.tables["public-security"];
    const byId = this.byId;
    const deaths = this.tables["civil-affairs"].deathRegistration;
    const candidates = deaths.filter((d) => !this.used.has(d.idNumber) && byId.get(d.personId)?.status === "DECEASED");
    const picked = new Set<string>();
    for (const death of this.pick("deathNotCancelled", deaths.length, candidates)) {
      const person = byId.get(death.personId)!;
      person.status = "ACTIVE";
      person.hukouCancelledOn = null;
      picked.add(person.id);
      this.tables.population.populationRegister.push(this.context.registerRowFor(person.id));
      this.record("deathNotCancelled", death.idNumber, death.idNumber);
    }
    ps.hukouEvent = ps.hukouEvent.filter((e) => !(e.kind === "CANCELLATION" && picked.has(e.personId)));
  }

  /**
   * A child born since 2016 (more than 30 days ago) never got its 落户: the registration, the child's hukou entry
   * and history, its 低保 membership and its population-register row go. Only children no other record names.
   */
  private birthNotRegistered(): void {
    const ps = this.tables["public-security"];
    const pop = this.tables.population;
    const byId = this.byId;
    const registrations = new Map(ps.birthRegistration.map((r) => [r.certificateNumber, r]));
    const referenced = new Set<string>();
    const refer = (id: string | null) => {
      if (id !== null) referenced.add(id);
    };
    for (const h of ps.household) refer(h.headPersonId);
    for (const r of this.tables["civil-affairs"].marriageRecord) {
      refer(r.husbandPersonId);
      refer(r.wifePersonId);
    }
    for (const d of this.tables["civil-affairs"].deathRegistration) refer(d.personId);
    for (const c of this.tables["civil-affairs"].disabilityCertificate) refer(c.personId);
    for (const c of this.tables.health.birthCertificate) {
      refer(c.motherPersonId);
      refer(c.fatherPersonId);
    }
    for (const c of this.tables.health.prePregnancyCheck) {
      refer(c.womanPersonId);
      refer(c.manPersonId);
    }
    for (const c of pop.onlyChildCertificate) refer(c.childPersonId);
    for (const x of pop.assistanceEnrollment) refer(x.personId);
    for (const x of pop.associationMember) refer(x.personId);
    for (const x of pop.migrantRecord) refer(x.personId);
    for (const x of pop.socialMaintenanceFee) refer(x.childPersonId);
    for (const x of pop.careVisit) refer(x.personId);
    const feeBirths = new Set(pop.socialMaintenanceFee.map((f) => f.birthCertificateNumber));

    const cutoff = iso(this.today - 30); // born before: more than 30 days ago
    const population = this.tables.health.birthCertificate.filter((c) => c.birthDate < cutoff && byId.has(c.motherPersonId));
    const candidates = population.filter((c) => {
      const registration = registrations.get(c.certificateNumber);
      if (!registration || c.birthDate < TWO_CHILD_ERA || feeBirths.has(c.certificateNumber)) return false;
      const child = byId.get(registration.personId);
      return child !== undefined && child.status === "ACTIVE" && !referenced.has(child.id) && !this.used.has(child.idNumber);
    });
    const removed = new Set<string>();
    const certificates = new Set<string>();
    for (const c of this.pick("birthNotRegistered", population.length, candidates)) {
      const child = byId.get(registrations.get(c.certificateNumber)!.personId)!;
      removed.add(child.id);
      certificates.add(c.certificateNumber);
      this.record("birthNotRegistered", c.certificateNumber, child.idNumber);
    }
    if (removed.size === 0) return;
    ps.birthRegistration = ps.birthRegistration.filter((r) => !certificates.has(r.certificateNumber));
    ps.person = ps.person.filter((p) => !removed.has(p.id));
    for (const id of removed) this.byId.delete(id);
    ps.hukouEvent = ps.hukouEvent.filter((e) => !removed.has(e.personId));
    const ca = this.tables["civil-affairs"];
    ca.reliefEnrollment = ca.reliefEnrollment.filter((r) => !removed.has(r.personId));
    pop.populationRegister = pop.populationRegister.filter((r) => !removed.has(r.personId));
  }

  /** A qualifying 奖扶 recipient's enrollment is missing. */
  private eligibleNotEnrolled(): void {
    const pop = this.tables.population;
    const deaths = this.deathsById();
    const register = new Map(pop.populationRegister.map((r) => [r.personId, r]));
    const open = new Set(pop.assistanceEnrollment.filter((e) => e.program === "REWARD_ASSISTANCE" && e.until === null).map((e) => e.personId));
    const population = this.persons.filter((p) => {
      if (p.status !== "ACTIVE" || deaths.has(p.id) || p.hukouType !== "RURAL" || p.birthDate < "1933-01-01") return false;
      if (this.age(p.birthDate, this.todayIso) < 60) return false;
      const r = register.get(p.id);
      if (!r || r.sonsBorn === null || r.daughtersBorn === null) return false;
      return r.sonsBorn + r.daughtersBorn === 1 || (r.sonsBorn === 0 && r.daughtersBorn === 2);
    });
    const candidates = population.filter((p) => open.has(p.id) && !this.used.has(p.idNumber));
    const picked = new Set<string>();
    for (const p of this.pick("eligibleNotEnrolled", population.length, candidates)) {
      picked.add(p.id);
      this.record("eligibleNotEnrolled", p.idNumber, p.idNumber);
    }
    pop.assistanceEnrollment = pop.assistanceEnrollment.filter((e) => !(e.program === "REWARD_ASSISTANCE" && picked.has(e.personId)));
  }

  /** An outflow woman of childbearing age left without her 婚育证明. */
  private migrantWithoutCertificate(): void {
    const byId = this.byId;
    const population = this.tables.population.migrantRecord.filter((m) => {
      if (m.direction !== "OUTFLOW") return false;
      const p = byId.get(m.personId);
      if (!p || p.sex !== "FEMALE") return false;
      const age = this.age(p.birthDate, m.movedOn);
      return age >= 18 && age <= 49;
    });
    const candidates = population.filter((m) => m.certificateNumber !== null && !this.used.has(byId.get(m.personId)!.idNumber));
    for (const m of this.pick("migrantWithoutCertificate", population.length, candidates)) {
      m.certificateNumber = null;
      m.certificateIssuedOn = null;
      m.certificateValidUntil = null;
      m.submittedAtDestinationOn = null;
      const idNumber = byId.get(m.personId)!.idNumber;
      this.record("migrantWithoutCertificate", idNumber, idNumber);
    }
  }

  /** An inflow woman of childbearing age handed in her 婚育证明 late, or never. */
  private certificateSubmittedLate(): void {
    const people = new Map(this.context.nonResidents.map((p) => [p.id, p]));
    const population = this.tables.population.migrantRecord.filter((m) => {
      if (m.direction !== "INFLOW" || this.today - dayOf(m.movedOn) <= 30) return false;
      const p = people.get(m.personId);
      if (!p || p.sex !== "FEMALE") return false;
      const age = this.age(p.birthDate, m.movedOn);
      return age >= 18 && age <= 49;
    });
    const candidates = population.filter((m) => !this.used.has(people.get(m.personId)!.idNumber));
    const rng = this.rngFor("certificateSubmittedLate");
    for (const m of this.pick("certificateSubmittedLate", population.length, candidates)) {
      const moved = dayOf(m.movedOn);
      const late = moved + rng.int(31, 400);
      m.submittedAtDestinationOn = rng.chance(0.6) && late <= this.today ? iso(late) : null;
      const idNumber = people.get(m.personId)!.idNumber;
      this.record("certificateSubmittedLate", idNumber, idNumber);
    }
  }

  /** The clerk recorded another marital status than civil-affairs' registrations give. */
  private maritalStatusMismatch(): void {
    const byId = this.byId;
    const population = this.tables.population.populationRegister.filter((r) => r.householdNumber !== null && byId.has(r.personId));
    const candidates = population.filter((r) => r.maritalStatus !== null && !this.used.has(r.idNumber) && this.age(r.birthDate, this.todayIso) >= 20);
    const rng = this.rngFor("maritalStatusMismatch");
    for (const r of this.pick("maritalStatusMismatch", population.length, candidates)) {
      const actual = this.context.maritalStatuses.get(r.personId) ?? "UNMARRIED";
      r.maritalStatus = actual === "MARRIED" ? (rng.chance(0.5) ? "UNMARRIED" : "DIVORCED") : actual === "UNMARRIED" ? "MARRIED" : rng.chance(0.7) ? "MARRIED" : "UNMARRIED";
      this.record("maritalStatusMismatch", r.idNumber, r.idNumber);
    }
  }

  /** People aged 20–50 with no migrant record: a changed sex or birth date cannot touch an 奖扶 or 婚育证明 check. */
  private identityCandidates(): PersonRow[] {
    const migrants = new Set(this.tables.population.migrantRecord.map((m) => m.personId));
    return this.persons.filter((p) => {
      if (p.status !== "ACTIVE" || migrants.has(p.id) || this.used.has(p.idNumber)) return false;
      const age = this.age(p.birthDate, this.todayIso);
      return age >= 20 && age <= 50;
    });
  }

  /**
   * Active people of the hukou register with no migrant record, of any age: a legacy record's mistyped check
   * character or missing name changes no birth date, sex, status or id that any other check reads (the reports
   * join the departments by person id), so the age bound of the identity candidates is not needed, and without
   * it there are enough candidates for these kinds after the others at every rate.
   */
  private legacyCandidates(): PersonRow[] {
    const migrants = new Set(this.tables.population.migrantRecord.map((m) => m.personId));
    return this.persons.filter((p) => p.status === "ACTIVE" && !migrants.has(p.id) && !this.used.has(p.idNumber));
  }

  private sexMismatch(): void {
    for (const p of this.pick("sexMismatch", this.persons.length, this.identityCandidates())) {
      p.sex = p.sex === "MALE" ? "FEMALE" : "MALE";
      this.record("sexMismatch", p.idNumber, p.idNumber);
    }
  }

  /** The register's birth date is off by some days or years (always earlier, so it stays before the hukou registration). */
  private birthDateMismatch(): void {
    const rng = this.rngFor("birthDateMismatch");
    for (const p of this.pick("birthDateMismatch", this.persons.length, this.identityCandidates())) {
      const birth = dayOf(p.birthDate);
      const roll = rng.next();
      const changed = roll < 0.5 ? birth - rng.int(1, 60) : roll < 0.85 ? addYears(birth, -rng.int(1, 3)) : addYears(birth, -1) - rng.int(1, 200);
      p.birthDate = iso(changed);
      this.record("birthDateMismatch", p.idNumber, p.idNumber);
    }
  }

  /** The village clerk never recorded a person of the hukou register. */
  private missingFromPopulationRegister(): void {
    const pop = this.tables.population;
    const registered = new Set(pop.populationRegister.map((r) => r.personId));
    const population = this.persons.filter((p) => p.status === "ACTIVE");
    const candidates = population.filter((p) => registered.has(p.id) && !this.used.has(p.idNumber));
    const removed = new Set<string>();
    for (const p of this.pick("missingFromPopulationRegister", population.length, candidates)) {
      removed.add(p.id);
      this.record("missingFromPopulationRegister", p.idNumber, p.idNumber);
    }
    pop.populationRegister = pop.populationRegister.filter((r) => !removed.has(r.personId));
  }

  /** A birth here to a mother with hukou in another county loses its 出生通报 (population's notice to her county). */
  private birthNoticeMissing(): void {
    const notices = this.tables.population.interCountyNotice;
    const births = new Map(this.tables.health.birthCertificate.map((c) => [c.certificateNumber, c]));
    const cutoff = iso(this.today - 30); // born before: more than 30 days ago
    const due = notices.filter((n) => {
      if (n.kind !== "BIRTH_NOTICE" || n.direction !== "OUTGOING" || n.birthCertificateNumber === null) return false;
      const birth = births.get(n.birthCertificateNumber);
      return birth !== undefined && birth.birthDate < cutoff && !this.byId.has(birth.motherPersonId);
    });
    const candidates = due.filter((n) => !this.used.has(n.idNumber));
    const picked = new Set(this.pick("birthNoticeMissing", due.length, candidates));
    if (picked.size === 0) return;
    const kept = notices.filter((n) => !picked.has(n));
    notices.length = 0;
    for (const n of kept) notices.push(n);
    for (const n of picked) this.record("birthNoticeMissing", n.birthCertificateNumber!, n.idNumber);
  }

  /** A 协查 older than 30 days loses its feedback: still open. */
  private requestWithoutFeedback(): void {
    const cutoff = iso(this.today - 30);
    const due = this.tables.population.interCountyNotice.filter((n) => n.kind === "VERIFICATION_REQUEST" && n.sentOn < cutoff);
    const candidates = due.filter((n) => n.feedbackOn !== null && !this.used.has(n.idNumber));
    for (const n of this.pick("requestWithoutFeedback", due.length, candidates)) {
      n.feedbackOn = null;
      n.feedback = null;
      this.record("requestWithoutFeedback", n.id, n.idNumber);
    }
  }

  /**
   * The clerk recorded a person in a hukou household whose hukou was never created: a made-up young person of the
   * household's family name with a valid, unused ID number of this county, unmarried (no civil-affairs record).
   */
  private missingFromHukou(): void {
    const pop = this.tables.population;
    const households = this.tables["public-security"].household;
    const byId = this.byId;
    const local = pop.populationRegister.filter((r) => r.householdNumber !== null).length;
    if (households.length === 0) return;
    const n = Math.max(1, Math.round(this.rate * local));
    const rng = this.rngFor("missingFromHukou");
    const taken = new Set(pop.populationRegister.map((r) => r.personId));
    for (let i = 0; i < n; i++) {
      const household = households[rng.int(0, households.length - 1)];
      const head = household.headPersonId ? byId.get(household.headPersonId) : undefined;
      const sex = rng.chance(0.5) ? "MALE" : "FEMALE";
      const birth = this.today - rng.int(365, 30 * 365);
      const birthDate = iso(birth);
      const { idNumber, id } = this.context.newIdNumber(rng, birthDate, sex);
      if (taken.has(id)) continue;
      taken.add(id);
      const family = head ? Array.from(head.name)[0] : "王";
      const adult = ageOn(birth, this.today) >= 15;
      pop.populationRegister.push({
        personId: id,
        idNumber,
        name: family + givenName(rng, sex, yearOf(birth)),
        sex,
        birthDate,
        regionCode: household.regionCode,
        householdNumber: household.householdNumber,
        maritalStatus: "UNMARRIED",
        sonsBorn: adult ? 0 : null,
        daughtersBorn: adult ? 0 : null,
        recordedOn: iso(Math.min(this.today, Math.max(REGISTER_FROM, birth + 30) + rng.int(0, 365))),
      });
      this.record("missingFromHukou", idNumber, idNumber);
    }
  }

  /**
   * The hukou register's copy of an ID number has a mistyped check character (a legacy record migrated from
   * before validation). Only that copy: the person's id (the pseudonym of the correct number), population's
   * register and the other departments' records keep the correct number. Its birth and sex digits stay; the
   * audit's checksum failure stops that person's other identity checks, so the person is in no other kind.
   */
  private idNumberInvalid(): void {
    const rng = this.rngFor("idNumberInvalid");
    for (const p of this.pick("idNumberInvalid", this.persons.length, this.legacyCandidates())) {
      const correct = p.idNumber;
      const wrong = CHECK_CHARACTERS.filter((c) => c !== correct[17]);
      p.idNumber = correct.slice(0, 17) + wrong[rng.int(0, wrong.length - 1)];
      this.record("idNumberInvalid", p.idNumber, correct);
      this.used.add(p.idNumber);
    }
  }

  /** A hukou record migrated without its name: '' (the column is NOT NULL). Population's register keeps the name. */
  private hukouNameEmpty(): void {
    for (const p of this.pick("hukouNameEmpty", this.persons.length, this.legacyCandidates())) {
      p.name = "";
      this.record("hukouNameEmpty", p.idNumber, p.idNumber);
    }
  }

  /** A population-register row imported without its name: '' (NOT NULL). Public-security's register keeps the name. */
  private registerNameEmpty(): void {
    const register = this.tables.population.populationRegister;
    const rows = new Map(register.map((r) => [r.personId, r]));
    const candidates = this.legacyCandidates()
      .map((p) => rows.get(p.id))
      .filter((r): r is PopulationRegisterRow => r !== undefined);
    for (const r of this.pick("registerNameEmpty", register.length, candidates)) {
      r.name = "";
      this.record("registerNameEmpty", r.idNumber, r.idNumber);
    }
  }
}
