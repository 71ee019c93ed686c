import { Arg, Ctx, Field, ID, Int, ObjectType, Query, Resolver } from "type-graphql";
import { In } from "typeorm";
import { badUserInput } from "../../../../shared/src/errors";
import { requireFeedKeys, requireServiceCaller } from "../../../../shared/src/feeds";
import { checkPageSize, SERVICE_MAX_PAGE_SIZE } from "../../../../shared/src/pagination";
import { DateScalar } from "../../../../shared/src/scalars";
import { requireDateOrder, requireRegionCode } from "../../../../shared/src/validation";
import type { CivilAffairsContext } from "../context";
import { DeathRegistrationRecord } from "../death/death.entity";
import { MaritalStatus, MarriageRecordKind } from "../marriage/marriage.enums";
import { MarriageRecordRow } from "../marriage/marriage.entity";
import { maritalStatusFrom, spouseOf } from "../person/person-civil-affairs.resolver";

@ObjectType({ description: "A registered death: whose, and when (service feed)" })
export class DeathFact {
  @Field(() => ID)
  personId: string;

  @Field(() => DateScalar)
  deathDate: string;
}

@ObjectType({ description: "One page of the death feed, ordered by registration" })
export class DeathFeedPage {
  @Field(() => [DeathFact])
  deaths: DeathFact[];

  @Field(() => String, { nullable: true })
  next: string | null;
}

@ObjectType({ description: "Civil-affairs' marital status of a person with at least one registration (service feed)" })
export class MaritalStatusFact {
  @Field(() => ID)
  personId: string;

  @Field(() => MaritalStatus)
  status: MaritalStatus;

  @Field(() => DateScalar, { nullable: true, description: "The earliest marriage registration; null when there are only divorces" })
  firstMarriedOn: string | null;
}

/** Service feeds over civil-affairs' registrations for the population department's reports (shared/src/feeds.ts). */
@Resolver()
export class CivilAffairsFeedsResolver {
  @Query(() => DeathFeedPage, { description: "Service feed: deaths registered under a region prefix, with the death date in [from, to]" })
  async deathFeed(
    @Ctx() ctx: CivilAffairsContext,
    @Arg("regionCode", () => String) regionCode: string,
    @Arg("from", () => DateScalar, { nullable: true }) from?: string | null,
    @Arg("to", () => DateScalar, { nullable: true }) to?: string | null,
    @Arg("first", () => Int, { nullable: true, defaultValue: SERVICE_MAX_PAGE_SIZE }) first?: number | null,
    @Arg("after", () => String, { nullable: true }) after?: string | null,
  ): Promise<DeathFeedPage> {
    requireServiceCaller(ctx.caller, "deathFeed");
    const region = requireRegionCode(regionCode, "regionCode");
    requireDateOrder(from, to, "to");
    const size = checkPageSize(first, "first", ctx.caller);
    const afterId = after == null ? null : Number(after);
    if (afterId !== null && !Number.isInteger(afterId)) throw badUserInput("after", "游标无效", "is not a cursor of this feed");
    const query = ctx.db.dataSource
      .getRepository(DeathRegistrationRecord)
      .createQueryBuilder("d")
      .select(["d.id AS id", "d.personId AS personId", "d.deathDate AS deathDate"])
      .where("d.regionCode LIKE :region", { region: `${region}%` });
    if (ctx.caller.region) query.andWhere("d.regionCode LIKE :jurisdiction", { jurisdiction: `${ctx.caller.region}%` });
    if (from) query.andWhere("d.deathDate >= :from", { from });
    if (to) query.andWhere("d.deathDate <= :to", { to });
    if (afterId !== null) query.andWhere("d.id > :afterId", { afterId });
    const rows: { id: number; personId: string; deathDate: string | Date }[] = await query.orderBy("d.id", "ASC").limit(size + 1).getRawMany();
    const page = rows.slice(0, size);
    return {
      deaths: page.map((r) => ({ personId: r.personId, deathDate: r.deathDate instanceof Date ? r.deathDate.toISOString().slice(0, 10) : String(r.deathDate).slice(0, 10) })),
      next: rows.length > size ? String(page[page.length - 1].id) : null,
    };
  }

  @Query(() => [MaritalStatusFact], {
    description: "Service feed: civil-affairs' marital status of those of the given persons who have a marriage or divorce registration (the others are UNMARRIED)",
  })
  async maritalStatusesFor(@Ctx() ctx: CivilAffairsContext, @Arg("personIds", () => [ID]) personIds: string[]): Promise<MaritalStatusFact[]> {
    requireServiceCaller(ctx.caller, "maritalStatusesFor");
    const keys = requireFeedKeys(personIds, "personIds");
    if (keys.length === 0) return [];
    // Two statements per request whatever the number of ids (the loaders would batch by 1000).
    const records = await ctx.db.dataSource.getRepository(MarriageRecordRow).find({
      where: [{ husbandPersonId: In(keys) }, { wifePersonId: In(keys) }],
      order: { registeredOn: "ASC", registrationNumber: "ASC" },
    });
    const byPerson = new Map<string, MarriageRecordRow[]>();
    for (const record of records) {
      for (const id of [record.husbandPersonId, record.wifePersonId]) {
        const list = byPerson.get(id);
        if (list) list.push(record);
        else byPerson.set(id, [record]);
      }
    }
    const asked = keys.filter((id) => byPerson.has(id));
    const spouses = [...new Set(asked.map((id) => spouseOf(byPerson.get(id)!.at(-1)!, id)))];
    const deaths = spouses.length === 0 ? [] : await ctx.db.dataSource.getRepository(DeathRegistrationRecord).findBy({ personId: In(spouses) });
    const deathOf = new Map(deaths.map((d) => [d.personId, d]));
    const facts = asked.map((personId) => {
      const own = byPerson.get(personId)!;
      const firstMarriage = own.find((r) => r.kind === MarriageRecordKind.MARRIAGE);
      const status = maritalStatusFrom(personId, own, deathOf.get(spouseOf(own[own.length - 1], personId)) ?? null);
      return { personId, status, firstMarriedOn: firstMarriage?.registeredOn ?? null };
    });
    return facts;
  }
}
