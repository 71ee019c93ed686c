import type { GraphQLResolveInfo } from "graphql";
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root, Info } from "type-graphql";
import { visibleName } from "../../../../shared/src/auth/authorize";
import { todayInChina } from "../../../../shared/src/scalars";
import { RegionRef, pageOf, regionRef } from "../../../../shared/src/graphql/common";
import { checkPageSize, decodeCursor, encodeCursor } from "../../../../shared/src/pagination";
import { selectsField } from "../../../../shared/src/graphql/selection";
import { requireDateOrder, requireRegionCode, requireText } from "../../../../shared/src/validation";
import type { HealthContext } from "../context";
import { PersonRef, personRef } from "../person/person.ref";
import { BirthCertificateRecord } from "./birth-certificate.entity";
import { BirthFilter } from "./birth-certificate.inputs";
import { BirthCertificate, BirthCertificateConnection } from "./birth-certificate.type";

const CURSOR_KIND = "birth-certificate";

@Resolver(() => BirthCertificate)
export class BirthCertificateResolver {
  @Authorized("read:births")
  @Query(() => BirthCertificate, { nullable: true, description: "One birth certificate, by its number" })
  birthCertificate(
    @Ctx() ctx: HealthContext,
    @Arg("certificateNumber", () => ID) certificateNumber: string,
  ): Promise<BirthCertificateRecord | null> {
    return ctx.loaders.birthCertificateByNumber.load(requireText(certificateNumber, "certificateNumber", 20));
  }

  @Authorized("read:births")
  @Query(() => BirthCertificateConnection, { description: "Birth certificates, filtered, in pages ordered by certificate number" })
  async birthCertificates(
    @Ctx() ctx: HealthContext,
    @Info() info: GraphQLResolveInfo,
    @Arg("filter", () => BirthFilter, { nullable: true }) filter?: BirthFilter | null,
    @Arg("first", () => Int, { nullable: true, defaultValue: 20 }) first?: number | null,
    @Arg("after", () => String, { nullable: true }) after?: string | null,
  ) {
    const size = checkPageSize(first, "first", ctx.caller);
    const afterNumber = decodeCursor(CURSOR_KIND, after);
    const regionCode = filter?.regionCode != null ? requireRegionCode(filter.regionCode, "filter.regionCode") : null;
    requireDateOrder(filter?.bornFrom, filter?.bornTo, "filter.bornTo");

    const query = ctx.db.dataSource.getRepository(BirthCertificateRecord).createQueryBuilder("b");
    if (ctx.caller.dept === "citizen") {
      query.andWhere("(b.motherPersonId = :self OR b.fatherPersonId = :self)", { self: ctx.caller.personId ?? "" });
    } else if (ctx.caller.region) {
      query.andWhere("b.regionCode LIKE :jurisdiction", { jurisdiction: `${ctx.caller.region}%` });
    }
    if (regionCode) query.andWhere("b.regionCode LIKE :region", { region: `${regionCode}%` });
    if (filter?.sex) query.andWhere("b.sex = :sex", { sex: filter.sex });
    if (filter?.bornFrom) query.andWhere("b.birthDate >= :bornFrom", { bornFrom: filter.bornFrom });
    if (filter?.bornTo) query.andWhere("b.birthDate <= :bornTo", { bornTo: filter.bornTo });

    const counting = selectsField(info, "totalCount") ? query.clone().getCount() : null;
    if (afterNumber) query.andWhere("b.certificateNumber > :afterNumber", { afterNumber });
    const [totalCount, rows] = await Promise.all([counting, query.orderBy("b.certificateNumber", "ASC").take(size + 1).getMany()]);
    return { totalCount, ...pageOf(rows, size, (b) => encodeCursor(CURSOR_KIND, b.certificateNumber)) };
  }

  @Authorized("read:births")
  @FieldResolver(() => String)
  childName(@Root() certificate: BirthCertificateRecord, @Ctx() ctx: HealthContext): string {
    return visibleName(ctx.caller, certificate.childName, certificate.birthDate, todayInChina());
  }

  @Authorized("read:births")
  @FieldResolver(() => RegionRef, { nullable: true })
  region(@Root() certificate: BirthCertificateRecord): RegionRef | null {
    return regionRef(certificate.regionCode);
  }

  @Authorized("read:births")
  @FieldResolver(() => PersonRef, { nullable: true })
  mother(@Root() certificate: BirthCertificateRecord): PersonRef | null {
    return personRef(certificate.motherPersonId);
  }

  @Authorized("read:births")
  @FieldResolver(() => PersonRef, { nullable: true })
  father(@Root() certificate: BirthCertificateRecord): PersonRef | null {
    return personRef(certificate.fatherPersonId);
  }
}

/** Federation entry point: other subgraphs' BirthCertificate references resolve here, batched per request. */
export const birthCertificateReference = {
  __resolveReference(reference: { certificateNumber: string }, ctx: HealthContext) {
    return ctx.loaders.birthCertificateByNumber.load(reference.certificateNumber);
  },
};
