import { Arg, Authorized, Ctx, Field, ID, InputType, Int, ObjectType, Query, Resolver } from "type-graphql";
import { badUserInput } from "../../../../shared/src/errors";
import { requireFeedKeys, requireServiceCaller } from "../../../../shared/src/feeds";
import { checkPageSize, SERVICE_MAX_ID_PAGE_SIZE, SERVICE_MAX_PAGE_SIZE } from "../../../../shared/src/pagination";
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

@ObjectType({ description: "A marriage or divorce registration as a report needs it: which, when, whom (service feed)" })
export class MarriageFact {
  @Field(() => ID)
  registrationNumber: string;

  @Authorized("read:marriage")
  @Field(() => MarriageRecordKind)
  kind: MarriageRecordKind;

  @Authorized("read:marriage")
  @Field(() => DateScalar)
  registeredOn: string;

  @Authorized("read:marriage")
  @Field(() => ID)
  husbandId: string;

  @Authorized("read:marriage")
  @Field(() => ID)
  wifeId: string;
}

@ObjectType({ description: "One page of the marriage feed, ordered by registration number" })
export class MarriageFeedPage {
  @Field(() => [MarriageFact])
  marriages: MarriageFact[];

  @Field(() => String, { nullable: true })
  next: string | null;
}

const REGISTRATION_CURSOR = /^[A-Za-z0-9-]{1,32}$/;

/** Rows per SQL statement: IN lists stay well under SQLite's bound-parameter limit. */
const STATEMENT_KEYS = 5000;
/** Ids of the generated kind (hex): their order is the same in JavaScript and under every collation. */
const HEX_ID = /^[0-9a-f]+$/;

type Role = "husband" | "wife";
/** A registration as one of its spouses sees it: with the registered death of the other spouse, if any. */
interface RegistrationOfSpouse {
  registrationNumber: string;
  kind: MarriageRecordKind;
  registeredOn: string;
  husbandPersonId: string;
  wifePersonId: string;
  otherSpouseDeathDate: string | null;
}


/**
 * The registrations naming persons in `role` (husband or wife) selected by `where`, each joined to the death
 * registration of the other spouse (one statement: the death decides WIDOWED, and a death registration is
 * unique per person), at most `limit` rows.
 */
async function registrationsAs(
  ctx: CivilAffairsContext,
  role: Role,
  where: { sql: string; parameters: Record<string, unknown> },
  limit?: number,
): Promise<RegistrationOfSpouse[]> {
  const other = role === "husband" ? "wife" : "husband";
  const query = ctx.db.dataSource
    .getRepository(MarriageRecordRow)
    .createQueryBuilder("m")
    .select([
      "m.registrationNumber AS registrationNumber",
      "m.kind AS kind",
      // Dates as the text 'YYYY-MM-DD' (both dialects): no Date object per row.
      "CAST(m.registeredOn AS CHAR) AS registeredOn",
      "m.husbandPersonId AS husbandPersonId",
      "m.wifePersonId AS wifePersonId",
      "CAST(d.deathDate AS CHAR) AS otherSpouseDeathDate",
    ])
    .leftJoin(DeathRegistrationRecord, "d", `d.personId = m.${other}PersonId`)
    .where(where.sql, where.parameters);
  if (limit !== undefined) query.limit(limit);
  return query.getRawMany<RegistrationOfSpouse>();
}

/**
 * Civil-affairs' marital status (and first marriage) of those of `keys` who have a registration. The
 * registrations are read once per spouse column (so each statement uses that column's index; an OR of the two
 * makes MariaDB scan the table), each with the other spouse's death joined. A large batch of hex ids is read
 * as one range of each spouse index (lowest to highest id; the rows of persons not asked for are dropped) when
 * the range holds few more registrations than ids asked: a range scan reads a county's registrations several
 * times faster than thousands of point lookups. Otherwise in IN lists of STATEMENT_KEYS ids.
 */
async function civilStatuses(
  ctx: CivilAffairsContext,
  keys: readonly string[],
  wanted: { has(key: string): boolean } = new Set(keys),
): Promise<Map<string, MaritalStatusFact>> {
  const byPerson = new Map<string, RegistrationOfSpouse[]>();
  const add = (role: Role, rows: RegistrationOfSpouse[]) => {
    for (const row of rows) {
      const personId = role === "husband" ? row.husbandPersonId : row.wifePersonId;
      if (!wanted.has(personId)) continue;
      const list = byPerson.get(personId);
      if (list) list.push(row);
      else byPerson.set(personId, [row]);
    }
  };
  let ranged = false;
  let hex = keys.length >= STATEMENT_KEYS;
  let low = keys[0];
  let high = keys[0];
  for (let i = 0; hex && i < keys.length; i++) {
    const key = keys[i];
    if (!HEX_ID.test(key)) hex = false;
    else if (key < low) low = key;
    else if (key > high) high = key;
  }
  if (hex) {
    // More than this many registrations in the range: the ids are sparse in it, and point lookups read less.
    const limit = 4 * keys.length;
    const [asHusband, asWife] = await Promise.all(
      (["husband", "wife"] as const).map((role) => registrationsAs(ctx, role, { sql: `m.${role}PersonId BETWEEN :low AND :high`, parameters: { low, high } }, limit + 1)),
    );
    if (asHusband.length <= limit && asWife.length <= limit) {
      ranged = true;
      add("husband", asHusband);
      add("wife", asWife);
    }
  }
  for (let start = 0; !ranged && start < keys.length; start += STATEMENT_KEYS) {
    const chunk = keys.slice(start, start + STATEMENT_KEYS);
    const [asHusband, asWife] = await Promise.all(
      (["husband", "wife"] as const).map((role) => registrationsAs(ctx, role, { sql: `m.${role}PersonId IN (:...ids)`, parameters: { ids: chunk } })),
    );
    add("husband", asHusband);
    add("wife", asWife);
  }
  const facts = new Map<string, MaritalStatusFact>();
  for (const [personId, own] of byPerson) {
    if (own.length > 1) {
      own.sort((a, b) =>
        a.registeredOn !== b.registeredOn ? (a.registeredOn < b.registeredOn ? -1 : 1) : a.registrationNumber < b.registrationNumber ? -1 : a.registrationNumber > b.registrationNumber ? 1 : 0,
      );
    }
    const latest = own[own.length - 1];
    const spouseDeath = latest.otherSpouseDeathDate === null ? null : { personId: spouseOf(latest, personId), deathDate: latest.otherSpouseDeathDate };
    const firstMarriage = own.find((r) => r.kind === MarriageRecordKind.MARRIAGE);
    facts.set(personId, { personId, status: maritalStatusFrom(personId, own, spouseDeath), firstMarriedOn: firstMarriage?.registeredOn ?? null });
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

  /**
   * The registrations of a period under a region, for a report that screens them all (the year's new marriages):
   * only the registration's number, kind, day and spouses' ids, in pages of a service page, instead of the
   * public `marriageRecords` list and its per-record resolvers. Every field but the number is logged for both
   * spouses, as reading the record is.
   */
  @Query(() => MarriageFeedPage, { description: "Service feed: marriage (and divorce) registrations under a region prefix, registered in [from, to]" })
  async marriageFeed(
    @Ctx() ctx: CivilAffairsContext,
    @Arg("regionCode", () => String) regionCode: string,
    @Arg("from", () => DateScalar) from: string,
    @Arg("to", () => DateScalar) to: string,
    @Arg("kind", () => MarriageRecordKind, { nullable: true, description: "Only this kind (default: both)" }) kind?: MarriageRecordKind | null,
    @Arg("first", () => Int, { nullable: true, defaultValue: SERVICE_MAX_PAGE_SIZE }) first?: number | null,
    @Arg("after", () => String, { nullable: true }) after?: string | null,
  ): Promise<MarriageFeedPage> {
    requireServiceCaller(ctx.caller, "marriageFeed");
    const region = requireRegionCode(regionCode, "regionCode");
    requireDateOrder(from, to, "to");
    const size = checkPageSize(first, "first", ctx.caller);
    if (after != null && !REGISTRATION_CURSOR.test(after)) throw badUserInput("after", "游标无效", "is not a cursor of this feed");
    const query = ctx.db.dataSource
      .getRepository(MarriageRecordRow)
      .createQueryBuilder("m")
      .select([
        "m.registrationNumber AS registrationNumber",
        "m.kind AS kind",
        "CAST(m.registeredOn AS CHAR) AS registeredOn",
        "m.husbandPersonId AS husbandId",
        "m.wifePersonId AS wifeId",
      ])
      .where("m.regionCode LIKE :region", { region: `${region}%` })
      .andWhere("m.registeredOn >= :from AND m.registeredOn <= :to", { from, to });
    if (ctx.caller.region) query.andWhere("m.regionCode LIKE :jurisdiction", { jurisdiction: `${ctx.caller.region}%` });
    if (kind) query.andWhere("m.kind = :kind", { kind });
    if (after) query.andWhere("m.registrationNumber > :after", { after });
    const rows = await query.orderBy("m.registrationNumber", "ASC").limit(size + 1).getRawMany<MarriageFact>();
    const marriages = rows.slice(0, size);
    return { marriages, next: rows.length > size ? marriages[marriages.length - 1].registrationNumber : null };
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
    if (claimed.size > SERVICE_MAX_ID_PAGE_SIZE) throw badUserInput("claims", `最多 ${SERVICE_MAX_ID_PAGE_SIZE} 个`, `at most ${SERVICE_MAX_ID_PAGE_SIZE} keys per request`);
    const statuses = await civilStatuses(ctx, [...claimed.keys()], claimed);
    const mismatches: MaritalStatusFact[] = [];
    for (const [id, status] of claimed) {
      const fact = statuses.get(id);
      if ((fact?.status ?? MaritalStatus.UNMARRIED) !== status) mismatches.push(fact ?? { personId: id, status: MaritalStatus.UNMARRIED, firstMarriedOn: null });
    }
    return mismatches;
  }
}
