import { Arg, Ctx, Field, ObjectType, Query, Resolver } from "type-graphql";
import { requireServiceCaller } from "../../../../shared/src/feeds";
import { DateScalar } from "../../../../shared/src/scalars";
import { requireDateOrder, requireRegionCode } from "../../../../shared/src/validation";
import { BirthRegistrationRecord } from "../birth-registration/birth-registration.entity";
import type { PublicSecurityContext } from "../context";
import { PersonRecord } from "../person/person.entity";
import { BirthRegistrationFact } from "./hukou-feeds.resolver";

@ObjectType({ description: "The 落户 of children born in a period whose hukou is under a region (service feed)" })
export class BirthRegistrationFeed {
  @Field(() => [BirthRegistrationFact])
  registrations: BirthRegistrationFact[];
}

/**
 * Service feed: the police's own record of births — the 落户 of children born in [bornFrom, bornTo] whose hukou
 * is under a region — for the report of births missing from population's register. One statement: the
 * registrations (far fewer than the register) joined to their children by primary key.
 */
@Resolver()
export class BirthRegistrationFeedResolver {
  @Query(() => BirthRegistrationFeed, { description: "Service feed: 落户 of children born in [bornFrom, bornTo] with hukou under a region prefix" })
  async birthRegistrationFeed(
    @Ctx() ctx: PublicSecurityContext,
    @Arg("regionCode", () => String) regionCode: string,
    @Arg("bornFrom", () => DateScalar) bornFrom: string,
    @Arg("bornTo", () => DateScalar) bornTo: string,
  ): Promise<BirthRegistrationFeed> {
    requireServiceCaller(ctx.caller, "birthRegistrationFeed");
    const region = requireRegionCode(regionCode, "regionCode");
    requireDateOrder(bornFrom, bornTo, "bornTo");
    const query = ctx.db.dataSource
      .getRepository(BirthRegistrationRecord)
      .createQueryBuilder("r")
      .innerJoin(PersonRecord, "p", "p.id = r.personId")
      .select(["r.certificateNumber AS certificateNumber", "r.personId AS personId", "r.registeredOn AS registeredOn"])
      // A birth is registered after it happens: the condition on the registration narrows the scan.
      .where("r.registeredOn >= :bornFrom", { bornFrom })
      .andWhere("p.birthDate >= :bornFrom AND p.birthDate <= :bornTo", { bornFrom, bornTo })
      .andWhere("p.hukouRegionCode LIKE :region", { region: `${region}%` });
    if (ctx.caller.region) query.andWhere("p.hukouRegionCode LIKE :jurisdiction", { jurisdiction: `${ctx.caller.region}%` });
    const rows: { certificateNumber: string; personId: string; registeredOn: string | Date }[] = await query.orderBy("r.certificateNumber", "ASC").getRawMany();
    return {
      registrations: rows.map((r) => ({
        certificateNumber: r.certificateNumber,
        personId: r.personId,
        registeredOn: r.registeredOn instanceof Date ? r.registeredOn.toISOString().slice(0, 10) : String(r.registeredOn).slice(0, 10),
      })),
    };
  }
}
