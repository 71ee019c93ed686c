import { Arg, Authorized, Ctx, Field, ID, InputType, Int, ObjectType, Query, Resolver } from "type-graphql";
import { Between, In } from "typeorm";
import { badUserInput } from "../../../../shared/src/errors";
import { requireFeedKeys, requireIdFeedKeys, requireServiceCaller } from "../../../../shared/src/feeds";
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

  @Authorized("read:civil-status")
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

  @Authorized("read:marriage")
  @Field(() => MaritalStatus)
  status: MaritalStatus;

  @Authorized("read:marriage")
  @Field(() => DateScalar, { nullable: true, description: "The earliest marriage registration; null when there are only divorces" })
  firstMarriedOn: string | null;
}

@InputType({ description: "What another register holds as the marital status of some persons, to be compared with civil-affairs' registrations" })
export class MaritalStatusClaim {
  @Field(() => MaritalStatus)
  status: MaritalStatus;

  @Field(() => String, { description: "The persons' ids joined by commas (one string to pass on, not thousands of list items)" })
  packedPersonIds: string;
}

/** Rows per SQL statement: IN lists stay well under SQLite's bound-parameter limit. */
const STATEMENT_KEYS = 5000;
/** Ids of the generated kind (hex): their order is the same in JavaScript and under every collation. */
const HEX_ID = /^[0-9a-f]+$/;
const MARRIAGE_COLUMNS = { registrationNumber: true, kind: true, registeredOn: true, husbandPersonId: true, wifePersonId: true } as const;

/**
 * Civil-affairs' marital status (and first marriage) of those of `keys` who have a registration. A large batch
 * of hex ids is read as one range of each spouse index (lowest to highest id; the rows of persons not asked for
 * are dropped) when the range holds few more registrations than ids asked: a range scan reads a county's
 * registrations several times faster than thousands of point lookups. Otherwise two statements per
 * STATEMENT_KEYS ids, one per spouse column, so each uses its index (an OR of the two IN lists makes MariaDB
 * scan the table). Then the deaths of the latest spouses.
 */
async function civilStatuses(ctx: CivilAffairsContext, keys: readonly string[]): Promise<Map<string, MaritalStatusFact>> {
  const repository = ctx.db.dataSource.getRepository(MarriageRecordRow);
  const found = new Map<string, MarriageRecordRow>();
  const wanted = new Set(keys);
  let ranged = false;
  if (keys.length >= STATEMENT_KEYS && keys.every((k) => HEX_ID.test(k))) {
    const sorted = [...keys].sort();
    const range = Between(sorted[0], sorted[sorted.length - 1]);
    if ((await repository.countBy({ husbandPersonId: range })) <= 4 * keys.length) {
      ranged = true;
      const [asHusband, asWife] = await Promise.all([
        repository.find({ select: MARRIAGE_COLUMNS, where: { husbandPersonId: range } }),
        repository.find({ select: MARRIAGE_COLUMNS, where: { wifePersonId: range } }),
      ]);
      for (const record of [...asHusband, ...asWife]) if (wanted.has(record.husbandPersonId) || wanted.has(record.wifePersonId)) found.set(record.registrationNumber, record);
    }
  }
  for (let start = 0; !ranged && start < keys.length; start += STATEMENT_KEYS) {
    const chunk = keys.slice(start, start + STATEMENT_KEYS);
    const [asHusband, asWife] = await Promise.all([
      repository.find({ select: MARRIAGE_COLUMNS, where: { husbandPersonId: In(chunk) } }),
      repository.find({ select: MARRIAGE_COLUMNS, where: { wifePersonId: In(chunk) } }),
    ]);
    for (const record of [...asHusband, ...asWife]) found.set(record.registrationNumber, record);
  }
  const records = [...found.values()].sort((a, b) =>
    a.registeredOn !== b.registeredOn ? (a.registeredOn < b.registeredOn ? -1 : 1) : a.registrationNumber < b.registrationNumber ? -1 : a.registrationNumber > b.registrationNumber ? 1 : 0,
  );
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
  const deathRepository = ctx.db.dataSource.getRepository(DeathRegistrationRecord);
  const deathOf = new Map<string, DeathRegistrationRecord>();
  for (let start = 0; start < spouses.length; start += STATEMENT_KEYS) {
    for (const d of await deathRepository.findBy({ personId: In(spouses.slice(start, start + STATEMENT_KEYS)) })) deathOf.set(d.personId, d);
  }
  const facts = new Map<string, MaritalStatusFact>();
  for (const personId of asked) {
    const own = byPerson.get(personId)!;
    const firstMarriage = own.find((r) => r.kind === MarriageRecordKind.MARRIAGE);
    const status = maritalStatusFrom(personId, own, deathOf.get(spouseOf(own[own.length - 1], personId)) ?? null);
    facts.set(personId, { personId, status, firstMarriedOn: firstMarriage?.registeredOn ?? null });
  }
  return facts;
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
    return [...(await civilStatuses(ctx, keys)).values()];
  }

  @Query(() => [MaritalStatusFact], {
    description:
      "Service feed: the comparison runs here, where the registrations are: of the persons claimed to have a status, those whose status by " +
      "civil-affairs' registrations (UNMARRIED without any) differs, with that status. Only their status leaves, and is logged.",
  })
  async maritalStatusMismatches(@Ctx() ctx: CivilAffairsContext, @Arg("claims", () => [MaritalStatusClaim]) claims: MaritalStatusClaim[]): Promise<MaritalStatusFact[]> {
    requireServiceCaller(ctx.caller, "maritalStatusMismatches");
    const claimed = new Map<string, MaritalStatus>();
    for (const claim of claims) for (const id of claim.packedPersonIds.split(",")) if (id !== "") claimed.set(id, claim.status);
    const keys = requireIdFeedKeys([...claimed.keys()], "claims");
    const statuses = await civilStatuses(ctx, keys);
    return keys
      .filter((id) => (statuses.get(id)?.status ?? MaritalStatus.UNMARRIED) !== claimed.get(id))
      .map((id) => statuses.get(id) ?? { personId: id, status: MaritalStatus.UNMARRIED, firstMarriedOn: null });
  }
}
