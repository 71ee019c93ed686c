import { Arg, Authorized, Ctx, Field, ObjectType, Query, Resolver, registerEnumType } from "type-graphql";
import { DateScalar } from "../../../../../shared/src/scalars";
import type { BirthPermitRecord } from "../../birth-permit/birth-permit.entity";
import { BirthPermit } from "../../birth-permit/birth-permit.type";
import type { PopulationContext } from "../../context";
import { BirthCertificateRef } from "../birth-certificate.ref";
import { birthsOfMothers, onlyChildrenAmong, permitFor, permitRequired, permitsOfWives, singleChildApprovals } from "../reconciliation-feeds";
import { type BirthFact, birthFeed, birthRegistrationsFor, hukouPersonFacts, maritalStatusesFor, reportPeriod, reportRegion } from "../report-platform";

export enum BirthPermitFinding {
  /** A 单独二孩 approval where neither spouse is the child on a 独生子女父母光荣证 (population's proof of an only child). */
  NO_ONLY_CHILD_SPOUSE = "NO_ONLY_CHILD_SPOUSE",
  /** A 单独二孩 approval where the wife had not exactly one living child on the day of approval (health's births, public-security's deaths). */
  NOT_ONE_LIVING_CHILD = "NOT_ONE_LIVING_CHILD",
  /** A 单独二孩 approval where civil-affairs holds no marriage registration of the wife made on or before the approval. */
  NOT_MARRIED = "NOT_MARRIED",
  /** A birth that needed a permit (a second child born 2014–2015, a third or later child) without one for its 孩次. */
  BIRTH_WITHOUT_PERMIT = "BIRTH_WITHOUT_PERMIT",
}
registerEnumType(BirthPermitFinding, { name: "BirthPermitFinding" });

@ObjectType({ description: "A 单独二孩 approval that does not meet the conditions, or a birth without the permit it needed" })
export class BirthPermitAuditRow {
  @Field(() => BirthPermit, { nullable: true, description: "The approval audited; null for a birth without a permit" })
  permit: BirthPermitRecord | null;

  @Field(() => BirthCertificateRef, { nullable: true, description: "The birth without a permit; null for an approval" })
  birthCertificate: BirthCertificateRef | null;

  @Field(() => [BirthPermitFinding])
  findings: BirthPermitFinding[];
}

const PURPOSE = "对账报表：单独二孩审批与无证生育 (report: 单独二孩 approvals and births without a permit)";

/**
 * Report 11 (DOMAIN.md §1 单独二孩, §5; 计生 × 公安 × 卫生 × 民政). Two parts over [from, to]:
 * - population's 再生育审批(单独二孩) approved under the region, checked against the three conditions: a spouse is
 *   an only child (population's 独生子女父母光荣证 naming the spouse as the child), exactly one living child
 *   (the wife's birth certificates from health born on or before the approval, less the children whose hukou
 *   public-security cancelled as deceased by then), legally married (civil-affairs' first marriage registration
 *   on or before the approval);
 * - health's births to mothers of this county's hukou register that needed a permit (permitRequired) and have
 *   none of the mother's permits for their 孩次 approved on or before the birth.
 */
@Resolver()
export class BirthPermitAuditResolver {
  @Authorized("read:reports")
  @Query(() => [BirthPermitAuditRow], { description: "单独二孩 approvals that don't meet the conditions, and births without the permit they needed (population × public-security × health × civil-affairs)" })
  async birthPermitAudit(
    @Ctx() ctx: PopulationContext,
    @Arg("regionCode", () => String) regionCode: string,
    @Arg("from", () => DateScalar, { description: "First day of approvals and births" }) from: string,
    @Arg("to", () => DateScalar) to: string,
  ): Promise<BirthPermitAuditRow[]> {
    const region = reportRegion(regionCode);
    reportPeriod(from, to, "to");
    const [approvals, withoutPermit] = await Promise.all([this.auditApprovals(ctx, region, from, to), birthsWithoutPermit(ctx, PURPOSE, region, from, to)]);
    return [
      ...approvals,
      ...withoutPermit.map((b) => ({ permit: null, birthCertificate: { certificateNumber: b.certificateNumber }, findings: [BirthPermitFinding.BIRTH_WITHOUT_PERMIT] })),
    ];
  }

  private async auditApprovals(ctx: PopulationContext, region: string, from: string, to: string): Promise<BirthPermitAuditRow[]> {
    const approvals = await singleChildApprovals(ctx, region, from, to);
    if (approvals.length === 0) return [];
    const wives = [...new Set(approvals.map((p) => p.wifePersonId))];
    const spouses = [...new Set(approvals.flatMap((p) => [p.wifePersonId, p.husbandPersonId]).filter((id): id is string => !!id))];
    const [onlyChildren, births, marriages] = await Promise.all([
      onlyChildrenAmong(ctx, spouses),
      birthsOfMothers(ctx.caller, PURPOSE, wives),
      maritalStatusesFor(ctx.caller, PURPOSE, wives),
    ]);
    const latestApproval = approvals.reduce((latest, p) => (p.approvedOn > latest ? p.approvedOn : latest), "");
    const earlier = births.filter((b) => b.birthDate <= latestApproval);
    const registrations = await birthRegistrationsFor(ctx.caller, PURPOSE, earlier.map((b) => b.certificateNumber));
    const childOf = new Map(registrations.map((r) => [r.certificateNumber, r.personId]));
    const children = await hukouPersonFacts(ctx.caller, PURPOSE, [...new Set(registrations.map((r) => r.personId))], ["status", "hukouCancelledOn"]);
    const diedOn = new Map(children.filter((c) => c.status === "DECEASED" && c.hukouCancelledOn).map((c) => [c.id, c.hukouCancelledOn!]));
    const birthsOf = new Map<string, BirthFact[]>();
    for (const b of earlier) birthsOf.set(b.motherId, [...(birthsOf.get(b.motherId) ?? []), b]);
    const marriedOn = new Map(marriages.map((m) => [m.personId, m.firstMarriedOn]));

    const rows: BirthPermitAuditRow[] = [];
    for (const permit of approvals) {
      const approvedOn = String(permit.approvedOn).slice(0, 10);
      const findings: BirthPermitFinding[] = [];
      if (![permit.wifePersonId, permit.husbandPersonId].some((id) => !!id && onlyChildren.has(id))) findings.push(BirthPermitFinding.NO_ONLY_CHILD_SPOUSE);
      const living = (birthsOf.get(permit.wifePersonId) ?? []).filter((b) => {
        if (b.birthDate > approvedOn) return false;
        const child = childOf.get(b.certificateNumber);
        const died = child ? diedOn.get(child) : undefined;
        return !died || died > approvedOn;
      });
      if (living.length !== 1) findings.push(BirthPermitFinding.NOT_ONE_LIVING_CHILD);
      const married = marriedOn.get(permit.wifePersonId);
      if (!married || married > approvedOn) findings.push(BirthPermitFinding.NOT_MARRIED);
      if (findings.length > 0) rows.push({ permit, birthCertificate: null, findings });
    }
    return rows;
  }
}

/**
 * Health's births in [from, to] under the region to mothers of this county's hukou register that needed a
 * permit and have none (shared with the 社会抚养费 audit, which calls them out of policy), by certificate number.
 * `births`, when given, holds at least every birth that may need a permit, with its date and 孩次.
 */
export async function birthsWithoutPermit(ctx: PopulationContext, purpose: string, region: string, from: string, to: string, births?: BirthFact[]): Promise<BirthFact[]> {
  // Only a second or later child can need a permit: the first children's facts are not read.
  const needing = (births ?? (await birthFeed(ctx.caller, purpose, region, from, to, { minBirthOrder: 2 }, ["birthDate", "birthOrder"]))).filter(permitRequired);
  const motherIds = [...new Set(needing.map((b) => b.motherId))];
  // Whether public-security holds the mother (its register and the jurisdiction): ids only, nothing personal.
  const [mothers, permits] = await Promise.all([hukouPersonFacts(ctx.caller, purpose, motherIds, []), permitsOfWives(ctx, motherIds)]);
  const local = new Set(mothers.map((m) => m.id));
  return needing
    .filter((b) => local.has(b.motherId) && !permitFor(b, permits.get(b.motherId)))
    .sort((a, b) => (a.certificateNumber < b.certificateNumber ? -1 : 1));
}
