import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import { In } from "typeorm";
import { canSeeRecord } from "../../../../shared/src/auth/authorize";
import { requireFeedKeys, requireServiceCaller } from "../../../../shared/src/feeds";
import { BirthCertificateRecord } from "../birth-certificate/birth-certificate.entity";
import type { HealthContext } from "../context";
import { BirthFact } from "./birth-feed.resolver";

function isoDate(value: string | Date): string {
  return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
}

/**
 * Service feed: every birth certificate of the given mothers, wherever they lived at the birth. The 单独二孩
 * audit counts a wife's children born before an approval with it (one statement per page of mothers).
 */
@Resolver()
export class BirthsOfMothersResolver {
  @Query(() => [BirthFact], { description: "Service feed: the birth certificates of the given mothers (by pseudonymous id), in the caller's jurisdiction" })
  async birthsOfMothers(@Ctx() ctx: HealthContext, @Arg("motherIds", () => [ID]) motherIds: string[]): Promise<BirthFact[]> {
    requireServiceCaller(ctx.caller, "birthsOfMothers");
    const keys = requireFeedKeys(motherIds, "motherIds");
    if (keys.length === 0) return [];
    const rows = await ctx.db.dataSource.getRepository(BirthCertificateRecord).find({
      select: { certificateNumber: true, birthDate: true, birthOrder: true, sex: true, motherPersonId: true, fatherPersonId: true, regionCode: true },
      where: { motherPersonId: In(keys) },
      order: { certificateNumber: "ASC" },
    });
    return rows
      .filter((b) => canSeeRecord(ctx.caller, [b.motherPersonId, b.fatherPersonId], b.regionCode))
      .map((b) => ({
        certificateNumber: b.certificateNumber,
        birthDate: isoDate(b.birthDate),
        birthOrder: Number(b.birthOrder),
        sex: b.sex,
        motherId: b.motherPersonId,
        fatherId: b.fatherPersonId ?? null,
        regionCode: b.regionCode,
      }));
  }
}
