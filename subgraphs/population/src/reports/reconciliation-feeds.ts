import { In } from "typeorm";
import type { Caller } from "../../../../shared/src/auth/caller";
import { canSeeRecord } from "../../../../shared/src/auth/authorize";
import { queryPlatform } from "../../../../shared/src/platform-client";
import { BirthPermitRecord } from "../birth-permit/birth-permit.entity";
import type { PopulationContext } from "../context";
import { OnlyChildCertificateRecord } from "../only-child-certificate/only-child-certificate.entity";
import { PopulationRegisterRecord } from "../population-register/population-register.entity";
import { feeCasePersonIds, SocialMaintenanceFeeRecord } from "../social-maintenance-fee/social-maintenance-fee.entity";
import { type BirthFact, type BirthRegistrationFact, hukouPersonFacts, inChunks } from "./report-platform";

/**
 * The feeds and population's own lookups of the reports of births against the registers, permits and fees
 * (DOMAIN.md §5, reports 2, 8, 11, 12). Like report-platform.ts: other departments through the gateway in
 * pages of ids; population's own tables in one statement per page of keys.
 */

/** Health: every birth certificate of the given mothers. */
export function birthsOfMothers(caller: Caller, purpose: string, motherIds: readonly string[]): Promise<BirthFact[]> {
  return inChunks(motherIds, async (chunk) => {
    const data = await queryPlatform<{ birthsOfMothers: BirthFact[] }>(
      "population",
      caller,
      purpose,
      `query BirthsOfMothers($ids: [ID!]!) { birthsOfMothers(motherIds: $ids) { certificateNumber birthDate birthOrder sex motherId fatherId regionCode } }`,
      { ids: chunk },
    );
    return data.birthsOfMothers;
  });
}

/** Public-security: the 落户 of children born in a period whose hukou is under a region. */
export async function birthRegistrationFeed(caller: Caller, purpose: string, regionCode: string, bornFrom: string, bornTo: string): Promise<BirthRegistrationFact[]> {
  const data = await queryPlatform<{ birthRegistrationFeed: { registrations: BirthRegistrationFact[] } }>(
    "population",
    caller,
    purpose,
    `query BirthRegistrationFeed($regionCode: String!, $bornFrom: Date!, $bornTo: Date!) {
      birthRegistrationFeed(regionCode: $regionCode, bornFrom: $bornFrom, bornTo: $bornTo) { registrations { certificateNumber personId } }
    }`,
    { regionCode, bornFrom, bornTo },
  );
  return data.birthRegistrationFeed.registrations;
}

/** Which of the persons have a row in population's register (anywhere: a person moves between villages). */
export async function inPopulationRegister(ctx: PopulationContext, personIds: readonly string[]): Promise<Set<string>> {
  const rows = await inChunks(personIds, (chunk) =>
    ctx.db.dataSource.getRepository(PopulationRegisterRecord).find({ select: { personId: true }, where: { personId: In(chunk) } }),
  );
  return new Set(rows.map((r) => r.personId));
}

/** Every permit (生育登记 / 再生育审批) of the given wives, grouped by wife. */
export async function permitsOfWives(ctx: PopulationContext, wifeIds: readonly string[]): Promise<Map<string, BirthPermitRecord[]>> {
  const rows = await inChunks(wifeIds, (chunk) => ctx.db.dataSource.getRepository(BirthPermitRecord).find({ where: { wifePersonId: In(chunk) } }));
  const byWife = new Map<string, BirthPermitRecord[]>();
  for (const permit of rows) {
    const list = byWife.get(permit.wifePersonId);
    if (list) list.push(permit);
    else byWife.set(permit.wifePersonId, [permit]);
  }
  return byWife;
}

/** The 再生育审批(单独二孩) approved in [from, to] by a township or county under the region (and the caller's jurisdiction). */
export function singleChildApprovals(ctx: PopulationContext, regionCode: string, from: string, to: string): Promise<BirthPermitRecord[]> {
  const query = ctx.db.dataSource
    .getRepository(BirthPermitRecord)
    .createQueryBuilder("p")
    .where("p.regionCode LIKE :region", { region: `${regionCode}%` })
    .andWhere("p.kind LIKE :kind", { kind: "%单独二孩%" })
    .andWhere("p.approvedOn >= :from AND p.approvedOn <= :to", { from, to });
  if (ctx.caller.region) query.andWhere("p.regionCode LIKE :jurisdiction", { jurisdiction: `${ctx.caller.region}%` });
  return query.orderBy("p.number", "ASC").getMany();
}

/** The persons among `personIds` who are the child on a 独生子女父母光荣证 (population's proof of an only child). */
export async function onlyChildrenAmong(ctx: PopulationContext, personIds: readonly string[]): Promise<Set<string>> {
  const rows = await inChunks(personIds, (chunk) =>
    ctx.db.dataSource.getRepository(OnlyChildCertificateRecord).find({ select: { number: true, childPersonId: true }, where: { childPersonId: In(chunk) } }),
  );
  return new Set(rows.map((r) => r.childPersonId!));
}

/**
 * 社会抚养费 cases naming any of the birth certificates or children (cases of other counties included), in the
 * caller's jurisdiction. The children may come later (`childIds` a promise): the certificates are looked up
 * meanwhile.
 */
export async function feeCasesFor(
  ctx: PopulationContext,
  certificateNumbers: readonly string[],
  childIds: readonly string[] | Promise<readonly string[]>,
): Promise<SocialMaintenanceFeeRecord[]> {
  const repository = ctx.db.dataSource.getRepository(SocialMaintenanceFeeRecord);
  const [byCertificate, byChild] = await Promise.all([
    inChunks(certificateNumbers, (chunk) => repository.find({ where: { birthCertificateNumber: In(chunk) } })),
    Promise.resolve(childIds).then((ids) => inChunks(ids, (chunk) => repository.find({ where: { childPersonId: In(chunk) } }))),
  ]);
  const cases = new Map([...byCertificate, ...byChild].map((c) => [c.id, c]));
  return [...cases.values()].filter((c) => canSeeRecord(ctx.caller, feeCasePersonIds(c), c.decidingCountyCode));
}

// ---------------------------------------------------------------------------------------------------------
// When a birth needed a permit (DOMAIN.md §1, 单独二孩; the provinces' amended regulations [U]).

/** Provinces amended their regulations for 单独二孩 in 2014; 全面两孩 replaced it from 2016-01-01. */
export const SINGLE_CHILD_ERA = { from: "2014-01-01", to: "2015-12-31" } as const;
/** 三孩政策 (2021-05-31) and the end of 社会抚养费 [U]: a third child needs only 生育登记, and no fee is decided. */
export const THREE_CHILD_POLICY_FROM = "2021-06-01";

/**
 * A birth that needed a permit for its 孩次: a second child born in the 单独二孩 era (再生育审批), and any third or
 * later child (再生育审批 before 2016, 生育登记 under the three-child policy).
 */
export function permitRequired(birth: Pick<BirthFact, "birthOrder" | "birthDate">): boolean {
  if (birth.birthOrder >= 3) return true;
  return birth.birthOrder === 2 && birth.birthDate >= SINGLE_CHILD_ERA.from && birth.birthDate <= SINGLE_CHILD_ERA.to;
}

/** The permit for this birth: the mother's, for its 孩次, approved on or before the birth. */
export function permitFor(birth: Pick<BirthFact, "birthOrder" | "birthDate">, permits: readonly BirthPermitRecord[] | undefined): BirthPermitRecord | null {
  return permits?.find((p) => p.birthOrder === birth.birthOrder && String(p.approvedOn).slice(0, 10) <= birth.birthDate) ?? null;
}

/** Where a mother's hukou went before she gave birth (the county she moved it to, when she moved it). */
export interface HukouLeftBeforeBirth {
  leftOn: string;
  movedTo: string | null;
}

/**
 * The births (by certificate number) of mothers public-security holds whose hukou had already left this
 * register on the day of the birth (迁出 or 注销 on or before it): their children are registered where the
 * mother's hukou went, so they are not this county's 落户 to chase but births to report to that county.
 * Public-security returns only the mothers whose hukou has left (the others' facts are neither read nor
 * logged), and health the birth dates of those mothers' certificates only.
 */
export async function birthsAfterMotherLeft(
  caller: Caller,
  purpose: string,
  births: readonly { certificateNumber: string; motherId: string }[],
  heldMotherIds: readonly string[],
): Promise<Map<string, HukouLeftBeforeBirth>> {
  const left = await hukouPersonFacts(caller, purpose, heldMotherIds, ["hukouCancelledOn", "hukouMovedTo"], { leftOnly: true });
  const result = new Map<string, HukouLeftBeforeBirth>();
  const leftMothers = new Map(left.filter((m) => m.hukouCancelledOn !== null).map((m) => [m.id, { leftOn: m.hukouCancelledOn!, movedTo: m.hukouMovedTo }]));
  if (leftMothers.size === 0) return result;
  const wanted = new Set(births.filter((b) => leftMothers.has(b.motherId)).map((b) => b.certificateNumber));
  for (const birth of await birthsOfMothers(caller, purpose, [...leftMothers.keys()])) {
    const mother = leftMothers.get(birth.motherId)!;
    if (wanted.has(birth.certificateNumber) && mother.leftOn <= birth.birthDate) result.set(birth.certificateNumber, mother);
  }
  return result;
}
