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
 * unique per person), in the order of the person's id, at most `limit` rows. The spouse's index covers the
 * columns read, so a range of persons is read from the index alone.
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
    .where(where.sql, where.parameters)
    .orderBy(`m.${role}PersonId`, "ASC");
  if (limit !== undefined) query.limit(limit);
  return query.getRawMany<RegistrationOfSpouse>();
}

/**
 * The registrations of the persons `ids` (distinct, in ascending order), grouped by person: `groups[i]` holds
 * those of `ids[i]` in date order (undefined: none). They are read once per spouse column (so each statement
 * uses that column's index; an OR of the two makes MariaDB scan the table), each with the other spouse's death
 * joined, and matched to the ids by a merge of the two sorted lists. A large batch of hex ids is read as one
 * range of each spouse index (lowest to highest id; the rows of persons not asked for are dropped) when the
 * range holds few more registrations than ids asked: a range scan reads a county's registrations several times
 * faster than thousands of point lookups. Otherwise in IN lists of STATEMENT_KEYS ids.
 */
async function registrationsOf(ctx: CivilAffairsContext, ids: readonly string[]): Promise<(RegistrationOfSpouse[] | undefined)[]> {
  const groups: (RegistrationOfSpouse[] | undefined)[] = new Array(ids.length);
  const attach = (role: Role, rows: RegistrationOfSpouse[]) => {
    const personOf = role === "husband" ? (r: RegistrationOfSpouse) => r.husbandPersonId : (r: RegistrationOfSpouse) => r.wifePersonId;
    // The database orders them by its collation: the same order as JavaScript's for hex ids, but not for any id.
    for (let k = 1; k < rows.length; k++) {
      if (personOf(rows[k - 1]) > personOf(rows[k])) {
        rows.sort((a, b) => (personOf(a) < personOf(b) ? -1 : personOf(a) > personOf(b) ? 1 : 0));
        break;
      }
    }
    let i = 0;
    for (const row of rows) {
      const personId = personOf(row);
      while (i < ids.length && ids[i] < personId) i++;
      if (i === ids.length) break;
      if (ids[i] === personId) (groups[i] ??= []).push(row);
    }
  };
  let ranged = false;
  if (ids.length >= STATEMENT_KEYS && ids.every((id) => HEX_ID.test(id))) {
    // More than this many registrations in the range: the ids are sparse in it, and point lookups read less.
    const limit = 4 * ids.length;
    const range = { low: ids[0], high: ids[ids.length - 1] };
    const [asHusband, asWife] = await Promise.all(
      (["husband", "wife"] as const).map((role) => registrationsAs(ctx, role, { sql: `m.${role}PersonId BETWEEN :low AND :high`, parameters: range }, limit + 1)),
    );
    if (asHusband.length <= limit && asWife.length <= limit) {
      ranged = true;
      attach("husband", asHusband);
      attach("wife", asWife);
    }
  }
  for (let start = 0; !ranged && start < ids.length; start += STATEMENT_KEYS) {
    const chunk = ids.slice(start, start + STATEMENT_KEYS);
    const [asHusband, asWife] = await Promise.all(
      (["husband", "wife"] as const).map((role) => registrationsAs(ctx, role, { sql: `m.${role}PersonId IN (:...ids)`, parameters: { ids: chunk } })),
    );
    attach("husband", asHusband);
    attach("wife", asWife);
  }
  for (const own of groups) {
    if (own && own.length > 1) {
      own.sort((a, b) =>
        a.registeredOn !== b.registeredOn ? (a.registeredOn < b.registeredOn ? -1 : 1) : a.registrationNumber < b.registrationNumber ? -1 : a.registrationNumber > b.registrationNumber ? 1 : 0,
      );
    }
  }
  return groups;
}

/** Civil-affairs' marital status (and first marriage) of a person from their registrations in date order. */
function statusFrom(personId: string, own: RegistrationOfSpouse[]): MaritalStatusFact {
  const latest = own[own.length - 1];
  const spouseDeath = latest.otherSpouseDeathDate === null ? null : { personId: spouseOf(latest, personId), deathDate: latest.otherSpouseDeathDate };
  const firstMarriage = own.find((r) => r.kind === MarriageRecordKind.MARRIAGE);
  return { personId, status: maritalStatusFrom(personId, own, spouseDeath), firstMarriedOn: firstMarriage?.registeredOn ?? null };
}

/** Civil-affairs' marital status (and first marriage) of those of `keys` who have a registration. */
async function civilStatuses(ctx: CivilAffairsContext, keys: readonly string[]): Promise<MaritalStatusFact[]> {
  const ids = [...new Set(keys)].sort();
  const groups = await registrationsOf(ctx, ids);
  const facts: MaritalStatusFact[] = [];
  for (let i = 0; i < ids.length; i++) if (groups[i]) facts.push(statusFrom(ids[i], groups[i]!));
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
    return civilStatuses(ctx, keys);
  }

  @Query(() => [MaritalStatusFact], {
    description:
      "Service feed: the comparison runs here, where the registrations are: of the persons claimed to have a status, those whose status by " +
      "civil-affairs' registrations (UNMARRIED without any) differs, with that status. Only their status leaves, and is logged.",
  })
  async maritalStatusMismatches(@Ctx() ctx: CivilAffairsContext, @Arg("claims", () => [MaritalStatusClaim]) claims: MaritalStatusClaim[]): Promise<MaritalStatusFact[]> {
    requireServiceCaller(ctx.caller, "maritalStatusMismatches");
    // The claims in id order (each status's ids arrive sorted: sorting merges a few sorted runs); where one id is
    // claimed twice, the later claim counts.
    const claimed: [string, MaritalStatus][] = [];
    for (const claim of claims) for (const id of claim.packedPersonIds.split(",")) if (id !== "") claimed.push([id, claim.status]);
    if (claimed.length > SERVICE_MAX_ID_PAGE_SIZE) throw badUserInput("claims", `最多 ${SERVICE_MAX_ID_PAGE_SIZE} 个`, `at most ${SERVICE_MAX_ID_PAGE_SIZE} keys per request`);
    claimed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const ids: string[] = [];
    const statuses: MaritalStatus[] = [];
    for (const [id, status] of claimed) {
      if (ids.length > 0 && ids[ids.length - 1] === id) statuses[statuses.length - 1] = status;
      else {
        ids.push(id);
        statuses.push(status);
      }
    }
    const groups = await registrationsOf(ctx, ids);
    const mismatches: MaritalStatusFact[] = [];
    for (let i = 0; i < ids.length; i++) {
      const fact = groups[i] ? statusFrom(ids[i], groups[i]!) : { personId: ids[i], status: MaritalStatus.UNMARRIED, firstMarriedOn: null };
      if (fact.status !== statuses[i]) mismatches.push(fact);
    }
    return mismatches;
  }
}
