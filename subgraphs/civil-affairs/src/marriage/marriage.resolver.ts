import type { GraphQLResolveInfo } from "graphql";
import { Arg, Authorized, Ctx, FieldResolver, Int, Query, Resolver, Root, Info } from "type-graphql";
import { pageOf } from "../../../../shared/src/graphql/common";
import { checkPageSize, decodeCursor, encodeCursor } from "../../../../shared/src/pagination";
import { selectsField } from "../../../../shared/src/graphql/selection";
import { DateScalar } from "../../../../shared/src/scalars";
import { requireDateOrder, requireRegionCode } from "../../../../shared/src/validation";
import type { CivilAffairsContext } from "../context";
import { PersonRef, personRef } from "../person/person.ref";
import type { RegionRecord } from "../region/region.entity";
import { Region } from "../region/region.type";
import { MarriageRecordRow } from "./marriage.entity";
import { MarriageRecord, MarriageRecordConnection } from "./marriage.type";

const CURSOR_KIND = "marriage";

@Resolver(() => MarriageRecord)
export class MarriageRecordResolver {
  @Authorized("read:marriage")
  @Query(() => MarriageRecordConnection, { description: "Marriage and divorce registrations, by region prefix and registration date" })
  async marriageRecords(
    @Ctx() ctx: CivilAffairsContext,
    @Info() info: GraphQLResolveInfo,
    @Arg("regionCode", () => String, { nullable: true }) regionCode?: string | null,
    @Arg("from", () => DateScalar, { nullable: true }) from?: string | null,
    @Arg("to", () => DateScalar, { nullable: true }) to?: string | null,
    @Arg("first", () => Int, { nullable: true, defaultValue: 20 }) first?: number | null,
    @Arg("after", () => String, { nullable: true }) after?: string | null,
  ) {
    const size = checkPageSize(first, "first", ctx.caller);
    const afterNumber = decodeCursor(CURSOR_KIND, after);
    const region = regionCode != null ? requireRegionCode(regionCode, "regionCode") : null;
    requireDateOrder(from, to, "to");

    const query = ctx.db.dataSource.getRepository(MarriageRecordRow).createQueryBuilder("m");
    if (ctx.caller.dept === "citizen") {
      query.andWhere("(m.husbandPersonId = :self OR m.wifePersonId = :self)", { self: ctx.caller.personId ?? "" });
    } else if (ctx.caller.region) {
      query.andWhere("m.regionCode LIKE :jurisdiction", { jurisdiction: `${ctx.caller.region}%` });
    }
    if (region) query.andWhere("m.regionCode LIKE :region", { region: `${region}%` });
    if (from) query.andWhere("m.registeredOn >= :from", { from });
    if (to) query.andWhere("m.registeredOn <= :to", { to });
    const counting = selectsField(info, "totalCount") ? query.clone().getCount() : null;
    if (afterNumber) query.andWhere("m.registrationNumber > :afterNumber", { afterNumber });
    const [totalCount, rows] = await Promise.all([counting, query.orderBy("m.registrationNumber", "ASC").take(size + 1).getMany()]);
    return { totalCount, ...pageOf(rows, size, (m) => encodeCursor(CURSOR_KIND, m.registrationNumber)) };
  }

  @Authorized("read:marriage")
  @FieldResolver(() => PersonRef, { nullable: true })
  husband(@Root() record: MarriageRecordRow): PersonRef | null {
    return personRef(record.husbandPersonId);
  }

  @Authorized("read:marriage")
  @FieldResolver(() => PersonRef, { nullable: true })
  wife(@Root() record: MarriageRecordRow): PersonRef | null {
    return personRef(record.wifePersonId);
  }

  @Authorized("read:marriage")
  @FieldResolver(() => Region, { nullable: true })
  region(@Root() record: MarriageRecordRow, @Ctx() ctx: CivilAffairsContext): Promise<RegionRecord | null> {
    return ctx.loaders.regionByCode.load(record.regionCode);
  }
}

export const marriageRecordReference = {
  __resolveReference(reference: { registrationNumber: string }, ctx: CivilAffairsContext) {
    return ctx.loaders.marriageByNumber.load(reference.registrationNumber);
  },
};
