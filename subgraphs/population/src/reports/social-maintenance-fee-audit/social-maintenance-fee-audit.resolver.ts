import { Arg, Authorized, Ctx, Field, ObjectType, Query, Resolver, registerEnumType } from "type-graphql";
import { DateScalar } from "../../../../../shared/src/scalars";
import type { PopulationContext } from "../../context";
import type { SocialMaintenanceFeeRecord } from "../../social-maintenance-fee/social-maintenance-fee.entity";
import { SocialMaintenanceFeeCase } from "../../social-maintenance-fee/social-maintenance-fee.type";
import { BirthCertificateRef } from "../birth-certificate.ref";
import { birthsWithoutPermit } from "../birth-permit-audit/birth-permit-audit.resolver";
import { feeCasesFor, SINGLE_CHILD_ERA, THREE_CHILD_POLICY_FROM } from "../reconciliation-feeds";
import { birthFeed, birthRegistrationsFor, daysBefore, minDate, reportPeriod, reportRegion } from "../report-platform";

export enum FeeFinding {
  /** A birth against policy (one that needed a permit and has none) with no 社会抚养费 decision anywhere. */
  NO_DECISION = "NO_DECISION",
  /** More than one decision for one birth (by its certificate and by the child), against 征收管理办法 Art. 4. */
  DECISIONS_IN_TWO_PLACES = "DECISIONS_IN_TWO_PLACES",
}
registerEnumType(FeeFinding, { name: "SocialMaintenanceFeeFinding" });

@ObjectType({ description: "A birth against policy with no 社会抚养费 decision, or a birth with more than one" })
export class SocialMaintenanceFeeAuditRow {
  @Field(() => BirthCertificateRef)
  birthCertificate: BirthCertificateRef;

  @Field(() => FeeFinding)
  finding: FeeFinding;

  @Field(() => [SocialMaintenanceFeeCase], { description: "The decisions found for the birth (none for NO_DECISION)" })
  decisions: SocialMaintenanceFeeRecord[];
}

const PURPOSE = "对账报表：社会抚养费征收核查 (report: social maintenance fee audit)";

/**
 * Report 12 (DOMAIN.md §1 社会抚养费, §5; 计生 × 卫生 × 公安). Over health's births in [from, to] under the region:
 * - a birth is against policy when it needed a permit (birth-permit-audit's rule: a second child born 2014–2015,
 *   a third or later child) and the mother, of this county's hukou register, holds none for its 孩次; births
 *   from the three-child policy on (2021-06-01, when the fee ended [U]) are never charged. Such a birth with no
 *   decision is NO_DECISION;
 * - a decision names the birth by its certificate number or by the child (whose 落户 public-security links to
 *   the certificate); a birth named by two decisions — e.g. one county by the certificate, another by the
 *   child — is DECISIONS_IN_TWO_PLACES (a fee is never collected twice for one birth, 办法 Arts. 3–4).
 */
@Resolver()
export class SocialMaintenanceFeeAuditResolver {
  @Authorized("read:reports")
  @Query(() => [SocialMaintenanceFeeAuditRow], { description: "Births against policy with no 社会抚养费 decision, or with decisions in two places (population × health × public-security)" })
  async socialMaintenanceFeeAudit(
    @Ctx() ctx: PopulationContext,
    @Arg("regionCode", () => String) regionCode: string,
    @Arg("from", () => DateScalar, { description: "First birth date" }) from: string,
    @Arg("to", () => DateScalar, { description: "Last birth date" }) to: string,
  ): Promise<SocialMaintenanceFeeAuditRow[]> {
    const region = reportRegion(regionCode);
    reportPeriod(from, to, "to");
    // Every birth by number and parents only (a decision may name any of them); the date and 孩次 only of the
    // births that may be out of policy: born before the three-child policy, a second child in the 单独二孩 era or
    // a third or later child (permitRequired).
    const chargeableTo = minDate(to, daysBefore(THREE_CHILD_POLICY_FROM, 1));
    const minBirthOrder = from <= SINGLE_CHILD_ERA.to && chargeableTo >= SINGLE_CHILD_ERA.from ? 2 : 3;
    const [births, chargeable] = await Promise.all([
      birthFeed(ctx.caller, PURPOSE, region, from, to, {}, []),
      from <= chargeableTo ? birthFeed(ctx.caller, PURPOSE, region, from, chargeableTo, { minBirthOrder }, ["birthDate", "birthOrder"]) : Promise.resolve([]),
    ]);
    const certificates = births.map((b) => b.certificateNumber);
    const registrations = birthRegistrationsFor(ctx.caller, PURPOSE, certificates);
    // The cases naming a certificate are read while public-security says which child each certificate registered.
    const [outOfPolicy, certificateOfChild, cases] = await Promise.all([
      birthsWithoutPermit(ctx, PURPOSE, region, from, to, chargeable),
      registrations.then((rows) => new Map(rows.map((r) => [r.personId, r.certificateNumber]))),
      feeCasesFor(ctx, certificates, registrations.then((rows) => rows.map((r) => r.personId))),
    ]);
    const casesOf = new Map<string, SocialMaintenanceFeeRecord[]>();
    for (const fee of cases) {
      const birth = new Set([fee.birthCertificateNumber, fee.childPersonId ? certificateOfChild.get(fee.childPersonId) : null].filter((n): n is string => !!n));
      for (const certificateNumber of birth) casesOf.set(certificateNumber, [...(casesOf.get(certificateNumber) ?? []), fee]);
    }
    const rows: SocialMaintenanceFeeAuditRow[] = [];
    for (const birth of outOfPolicy) {
      if (!casesOf.has(birth.certificateNumber)) rows.push({ birthCertificate: { certificateNumber: birth.certificateNumber }, finding: FeeFinding.NO_DECISION, decisions: [] });
    }
    for (const [certificateNumber, decisions] of casesOf) {
      if (decisions.length > 1) {
        rows.push({
          birthCertificate: { certificateNumber },
          finding: FeeFinding.DECISIONS_IN_TWO_PLACES,
          decisions: decisions.sort((a, b) => (a.decidedOn < b.decidedOn ? -1 : a.decidedOn > b.decidedOn ? 1 : a.id < b.id ? -1 : 1)),
        });
      }
    }
    return rows.sort((a, b) => (a.birthCertificate.certificateNumber < b.birthCertificate.certificateNumber ? -1 : a.finding < b.finding ? -1 : 1));
  }
}
