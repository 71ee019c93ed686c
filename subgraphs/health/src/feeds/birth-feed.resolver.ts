import { Arg, Authorized, Ctx, Field, ID, Int, ObjectType, Query, Resolver } from "type-graphql";
import { badUserInput } from "../../../../shared/src/errors";
import { requireServiceCaller } from "../../../../shared/src/feeds";
import { Sex } from "../../../../shared/src/graphql/common";
import { checkPageSize, SERVICE_MAX_PAGE_SIZE } from "../../../../shared/src/pagination";
import { DateScalar } from "../../../../shared/src/scalars";
import { requireDateOrder, requireRegionCode } from "../../../../shared/src/validation";
import { BirthCertificateRecord } from "../birth-certificate/birth-certificate.entity";
import type { HealthContext } from "../context";

@ObjectType({ description: "The facts of one birth certificate a reconciliation rule needs; parents by pseudonymous id (service feed)" })
export class BirthFact {
  @Field(() => ID)
  certificateNumber: string;

  @Authorized("read:births")
  @Field(() => DateScalar)
  birthDate: string;

  @Authorized("read:births")
  @Field(() => Int)
  birthOrder: number;

  @Authorized("read:births")
  @Field(() => Sex)
  sex: Sex;

  @Field(() => ID)
  motherId: string;

  @Field(() => ID, { nullable: true })
  fatherId: string | null;

  @Field()
  regionCode: string;
}

@ObjectType({ description: "One page of the birth feed, ordered by certificate number" })
export class BirthFeedPage {
  @Field(() => [BirthFact])
  births: BirthFact[];

  @Field(() => String, { nullable: true })
  next: string | null;
}

const CERTIFICATE_CURSOR = /^[A-Za-z0-9-]{1,20}$/;

/** Service feed over the 出生医学证明 for the population department's reports (shared/src/feeds.ts). */
@Resolver()
export class BirthFeedResolver {
  @Query(() => BirthFeedPage, { description: "Service feed: birth certificates of mothers living under a region prefix, born in [bornFrom, bornTo]" })
  async birthFeed(
    @Ctx() ctx: HealthContext,
    @Arg("regionCode", () => String) regionCode: string,
    @Arg("bornFrom", () => DateScalar, { nullable: true }) bornFrom?: string | null,
    @Arg("bornTo", () => DateScalar, { nullable: true }) bornTo?: string | null,
    @Arg("birthOrder", () => Int, { nullable: true }) birthOrder?: number | null,
    @Arg("minBirthOrder", () => Int, { nullable: true, description: "Only births of this 孩次 or later" }) minBirthOrder?: number | null,
    @Arg("first", () => Int, { nullable: true, defaultValue: SERVICE_MAX_PAGE_SIZE }) first?: number | null,
    @Arg("after", () => String, { nullable: true }) after?: string | null,
  ): Promise<BirthFeedPage> {
    requireServiceCaller(ctx.caller, "birthFeed");
    const region = requireRegionCode(regionCode, "regionCode");
    requireDateOrder(bornFrom, bornTo, "bornTo");
    const size = checkPageSize(first, "first", ctx.caller);
    if (after != null && !CERTIFICATE_CURSOR.test(after)) throw badUserInput("after", "游标无效", "is not a cursor of this feed");
    const query = ctx.db.dataSource
      .getRepository(BirthCertificateRecord)
      .createQueryBuilder("b")
      .select([
        "b.certificateNumber AS certificateNumber",
        "b.birthDate AS birthDate",
        "b.birthOrder AS birthOrder",
        "b.sex AS sex",
        "b.motherPersonId AS motherId",
        "b.fatherPersonId AS fatherId",
        "b.regionCode AS regionCode",
      ])
      .where("b.regionCode LIKE :region", { region: `${region}%` });
    if (ctx.caller.region) query.andWhere("b.regionCode LIKE :jurisdiction", { jurisdiction: `${ctx.caller.region}%` });
    if (bornFrom) query.andWhere("b.birthDate >= :bornFrom", { bornFrom });
    if (bornTo) query.andWhere("b.birthDate <= :bornTo", { bornTo });
    if (birthOrder != null) query.andWhere("b.birthOrder = :birthOrder", { birthOrder });
    if (minBirthOrder != null) query.andWhere("b.birthOrder >= :minBirthOrder", { minBirthOrder });
    if (after) query.andWhere("b.certificateNumber > :after", { after });
    const rows: (Omit<BirthFact, "birthDate"> & { birthDate: string | Date })[] = await query.orderBy("b.certificateNumber", "ASC").limit(size + 1).getRawMany();
    const births = rows.slice(0, size).map((r) => ({
      ...r,
      birthOrder: Number(r.birthOrder),
      birthDate: r.birthDate instanceof Date ? r.birthDate.toISOString().slice(0, 10) : String(r.birthDate).slice(0, 10),
    }));
    return { births, next: rows.length > size ? births[births.length - 1].certificateNumber : null };
  }
}
