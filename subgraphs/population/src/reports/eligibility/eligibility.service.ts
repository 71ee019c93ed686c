import { In } from "typeorm";
import type { Caller } from "../../../../../shared/src/auth/caller";
import { SERVICE_MAX_PAGE_SIZE } from "../../../../../shared/src/pagination";
import { queryPlatform } from "../../../../../shared/src/platform-client";
import { annualAmountYuan } from "../../assistance/assistance-amounts";
import { AssistanceEnrollmentRecord } from "../../assistance/assistance-enrollment.entity";
import { AssistanceProgram } from "../../assistance/assistance.enums";
import type { PopulationContext } from "../../context";
import { OnlyChildCertificateRecord } from "../../only-child-certificate/only-child-certificate.entity";
import { PopulationRegisterRecord } from "../../population-register/population-register.entity";
import { SocialMaintenanceFeeRecord } from "../../social-maintenance-fee/social-maintenance-fee.entity";
import type { CivilFacts, EligibilityInput, IdentityFacts } from "./eligibility.rules";
import { factsFor } from "./eligibility.rules";
import type { Eligibility } from "./eligibility.type";

export const ELIGIBILITY_PURPOSE = "奖扶/特扶资格审核 (assistance eligibility, DOMAIN.md §1)";

/** Rows per IN (...) list: well under SQLite's bound-parameter limit, few statements for a county. */
const IN_CHUNK = 2000;

export function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export interface PersonFacts {
  identity: IdentityFacts | null;
  civil: CivilFacts | null;
}

interface PlatformPerson {
  id: string;
  sex: IdentityFacts["sex"] | null;
  birthDate: string | null;
  status: IdentityFacts["status"] | null;
  hukou: { type: "RURAL" | "URBAN" } | null;
  death?: { deathDate: string } | null;
  disabilityCertificates?: CivilFacts["disabilityCertificates"] | null;
}

const PEOPLE_FACTS = `query EligibilityFacts($ids: [ID!]!) {
  peopleByIds(ids: $ids) {
    id sex birthDate status hukou { type }
    death { deathDate }
    disabilityCertificates { certificateNumber grade issuedOn revokedOn }
  }
}`;

/**
 * Public-security's identity facts and civil-affairs' death and 残疾人证 records of these persons, through the
 * gateway as population's service identity: one request per SERVICE_MAX_PAGE_SIZE persons, each answered by one
 * batched fetch per department, so the cost grows with pages, never with rows. A person public-security does not
 * hold (or not in the clerk's jurisdiction) is absent from the map.
 */
export async function fetchPersonFacts(caller: Caller, ids: readonly string[], purpose = ELIGIBILITY_PURPOSE): Promise<Map<string, PersonFacts>> {
  const result = new Map<string, PersonFacts>();
  for (const part of chunks([...new Set(ids)], SERVICE_MAX_PAGE_SIZE)) {
    const data = await queryPlatform<{ peopleByIds: PlatformPerson[] }>("population", caller, purpose, PEOPLE_FACTS, { ids: part });
    for (const p of data.peopleByIds) {
      const identity: IdentityFacts | null =
        p.sex && p.birthDate && p.status ? { sex: p.sex, birthDate: p.birthDate, status: p.status, hukouType: p.hukou?.type ?? null } : null;
      result.set(p.id, { identity, civil: { deathDate: p.death?.deathDate ?? null, disabilityCertificates: p.disabilityCertificates ?? [] } });
    }
  }
  return result;
}

/** Open on `day`: begun, and not ended before it. */
export function enrolledOn(e: Pick<AssistanceEnrollmentRecord, "since" | "until">, day: string): boolean {
  return e.since <= day && (e.until === null || e.until >= day);
}

/** Population's own records of these persons that the rules read (its database: no cross-department call). */
async function localRecords(ctx: PopulationContext, ids: readonly string[], special: boolean) {
  const ds = ctx.db.dataSource;
  const register = new Map<string, PopulationRegisterRecord>();
  const fees = new Map<string, (string | null)[]>();
  const certificates = new Map<string, OnlyChildCertificateRecord>();
  const enrollments = new Map<string, AssistanceEnrollmentRecord[]>();
  for (const part of chunks(ids, IN_CHUNK)) {
    const [rows, feeRows, enrollmentRows, certificateRows] = await Promise.all([
      ds.getRepository(PopulationRegisterRecord).find({ where: { personId: In(part) }, select: { personId: true, sonsBorn: true, daughtersBorn: true } }),
      ds.getRepository(SocialMaintenanceFeeRecord).find({
        where: [{ motherPersonId: In(part) }, { fatherPersonId: In(part) }],
        select: { id: true, motherPersonId: true, fatherPersonId: true, childBirthDate: true },
      }),
      ds.getRepository(AssistanceEnrollmentRecord).find({ where: { personId: In(part) } }),
      special
        ? ds.getRepository(OnlyChildCertificateRecord).find({ where: [{ fatherPersonId: In(part) }, { motherPersonId: In(part) }], order: { issuedOn: "ASC" } })
        : Promise.resolve([]),
    ]);
    for (const r of rows) register.set(r.personId, r);
    for (const f of feeRows) {
      for (const parent of new Set([f.motherPersonId, f.fatherPersonId])) {
        if (!parent) continue;
        fees.set(parent, [...(fees.get(parent) ?? []), f.childBirthDate]);
      }
    }
    for (const e of enrollmentRows) enrollments.set(e.personId, [...(enrollments.get(e.personId) ?? []), e]);
    // The latest certificate a parent holds (a remarried parent may hold two).
    for (const c of certificateRows) {
      if (c.fatherPersonId) certificates.set(c.fatherPersonId, c);
      if (c.motherPersonId) certificates.set(c.motherPersonId, c);
    }
  }
  return { register, fees, certificates, enrollments };
}

/**
 * Assesses each person for each programme on `day`. Population's own records are read from its database; the
 * facts other departments own (identity, hukou, deaths, 残疾人证) come in one batched platform read for the
 * persons, their spouses on the only-child certificate and the children named on it. `known` passes facts
 * already fetched (a report that screened children first) so that nobody is read twice.
 */
export async function assessEligibility(
  ctx: PopulationContext,
  personIds: readonly string[],
  programs: readonly AssistanceProgram[],
  day: string,
  known: Map<string, PersonFacts> = new Map(),
): Promise<Eligibility[]> {
  const ids = [...new Set(personIds)];
  if (ids.length === 0) return [];
  const special = programs.some((p) => p !== AssistanceProgram.REWARD_ASSISTANCE);
  const local = await localRecords(ctx, ids, special);
  const wanted = new Set<string>(ids);
  for (const c of local.certificates.values()) for (const id of [c.fatherPersonId, c.motherPersonId, c.childPersonId]) if (id) wanted.add(id);
  const missing = [...wanted].filter((id) => !known.has(id));
  const fetched = missing.length > 0 ? await fetchPersonFacts(ctx.caller, missing) : new Map<string, PersonFacts>();
  const factsOf = (id: string | null): PersonFacts | null => (id ? (known.get(id) ?? fetched.get(id) ?? { identity: null, civil: null }) : null);

  const results: Eligibility[] = [];
  for (const id of ids) {
    const own = factsOf(id)!;
    const r = local.register.get(id);
    const certificate = special ? (local.certificates.get(id) ?? null) : null;
    const otherId = certificate ? (certificate.fatherPersonId === id ? certificate.motherPersonId : certificate.fatherPersonId) : null;
    const input: EligibilityInput = {
      identity: own.identity,
      civil: own.civil,
      children: r && r.sonsBorn !== null && r.daughtersBorn !== null ? { sons: r.sonsBorn, daughters: r.daughtersBorn } : null,
      outOfPolicyBirths: local.fees.get(id) ?? [],
      onlyChildCertificate: certificate
        ? { number: certificate.number, fatherId: certificate.fatherPersonId, motherId: certificate.motherPersonId, childId: certificate.childPersonId }
        : null,
      otherParent: factsOf(otherId),
      child: factsOf(certificate?.childPersonId ?? null),
    };
    for (const program of programs) {
      const facts = factsFor(program, input, day, id);
      const eligible = facts.every((f) => f.satisfied);
      const enrolled = (local.enrollments.get(id) ?? []).some((e) => e.program === program && enrolledOn(e, day));
      results.push({ program, eligible, enrolled, facts, person: { id }, asOf: day, annualAmountYuan: eligible ? annualAmountYuan(program, day) : 0 });
    }
  }
  return results;
}
