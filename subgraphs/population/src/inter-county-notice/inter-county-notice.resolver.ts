import { In } from "typeorm";
import { Authorized, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { canSeeRecord, visibleIdNumber } from "../../../../shared/src/auth/authorize";
import { RegionRef, regionRef } from "../../../../shared/src/graphql/common";
import { groupLoader } from "../../../../shared/src/loaders";
import type { PopulationContext } from "../context";
import { FamilyPlanningProfile } from "../family-planning/family-planning-profile.type";
import { PersonRef, personRef } from "../person/person.ref";
import { BirthCertificateRef } from "../reports/birth-certificate.ref";
import { requestLoader } from "../request-loaders";
import { InterCountyNoticeRecord } from "./inter-county-notice.entity";
import { InterCountyNotice } from "./inter-county-notice.type";

/** A person's notices, oldest first, in one statement per request; notices outside the jurisdiction dropped. */
export function noticesByPerson(ctx: PopulationContext) {
  return requestLoader(ctx.loaders, "interCountyNoticesByPerson", () =>
    groupLoader(
      async (ids: readonly string[]) =>
        (
          await ctx.db.dataSource.getRepository(InterCountyNoticeRecord).find({ where: { personId: In([...ids]) }, order: { sentOn: "ASC", id: "ASC" } })
        ).filter((n) => canSeeRecord(ctx.caller, [n.personId], n.localRegionCode)),
      (n) => n.personId,
    ),
  );
}

@Resolver(() => InterCountyNotice)
export class InterCountyNoticeResolver {
  @FieldResolver(() => PersonRef, { nullable: true, description: "The person concerned (for a birth notice: the mother)" })
  person(@Root() notice: InterCountyNoticeRecord): PersonRef | null {
    return personRef(notice.personId);
  }

  /**
   * Her ID number as the notice holds it: a mother with hukou in another county is in no register here, so this
   * is how a clerk identifies her to the other county. Masked without the id-number grant, and logged.
   */
  @Authorized("read:migrants", "read:identity-masked")
  @FieldResolver(() => String, { nullable: true, description: "ID number of the person concerned (masked without the id-number grant)" })
  idNumber(@Root() notice: InterCountyNoticeRecord, @Ctx() ctx: PopulationContext): string {
    return visibleIdNumber(ctx.caller, notice.idNumber);
  }

  @FieldResolver(() => RegionRef, { nullable: true, description: "The other county" })
  counterpartCounty(@Root() notice: InterCountyNoticeRecord): RegionRef | null {
    return regionRef(notice.counterpartCountyCode);
  }

  @FieldResolver(() => RegionRef, { nullable: true, description: "The division of this county the notice concerns" })
  localRegion(@Root() notice: InterCountyNoticeRecord): RegionRef | null {
    return regionRef(notice.localRegionCode);
  }

  @FieldResolver(() => BirthCertificateRef, { nullable: true, description: "The 出生医学证明 a birth notice reports" })
  birthCertificate(@Root() notice: InterCountyNoticeRecord): BirthCertificateRef | null {
    return notice.birthCertificateNumber ? { certificateNumber: notice.birthCertificateNumber } : null;
  }
}

@Resolver(() => FamilyPlanningProfile)
export class FamilyPlanningNoticesResolver {
  @Authorized("read:migrants")
  @FieldResolver(() => [InterCountyNotice], { description: "出生通报 and 协查 exchanged with other counties about the person, oldest first" })
  interCountyNotices(@Root() profile: FamilyPlanningProfile, @Ctx() ctx: PopulationContext): Promise<InterCountyNoticeRecord[]> {
    return noticesByPerson(ctx).load(profile.personId);
  }
}
