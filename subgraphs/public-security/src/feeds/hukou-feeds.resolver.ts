import type { GraphQLResolveInfo } from "graphql";
import { Arg, Authorized, Ctx, Field, ID, Info, Int, ObjectType, Query, Resolver } from "type-graphql";
import { In } from "typeorm";
import { canSeePerson } from "../../../../shared/src/auth/authorize";
import { badUserInput } from "../../../../shared/src/errors";
import { checkIdPageSize, IdFeedPage, requireFeedKeys, requireServiceCaller, unpackIds } from "../../../../shared/src/feeds";
import { Sex } from "../../../../shared/src/graphql/common";
import { selectsField } from "../../../../shared/src/graphql/selection";
import { checkIdNumber } from "../../../../shared/src/id-number";
import { PERSON_ID_PATTERN } from "../../../../shared/src/person-id";
import { SERVICE_MAX_ID_PAGE_SIZE, SERVICE_MAX_PAGE_SIZE } from "../../../../shared/src/pagination";
import { DateScalar, todayInChina } from "../../../../shared/src/scalars";
import { requireRegionCode } from "../../../../shared/src/validation";
import { BirthRegistrationRecord } from "../birth-registration/birth-registration.entity";
import type { PublicSecurityContext } from "../context";
import { PersonRecord } from "../person/person.entity";
import { PersonStatus } from "../person/person.enums";
import { HukouEventRecord } from "../hukou/hukou-event.entity";

/**
 * The personal fields of this feed are logged like any read (the access log entry names the fields selected,
 * e.g. `HukouPersonFact.status`); the id alone is a key, not personal data, and is not logged.
 */
@ObjectType({ description: "The register's facts about one person that a cross-department rule needs (service feed)" })
export class HukouPersonFact {
  @Field(() => ID)
  id: string;

  @Authorized("read:identity")
  @Field(() => PersonStatus)
  status: PersonStatus;

  @Authorized("read:identity")
  @Field(() => DateScalar)
  birthDate: string;

  @Authorized("read:identity")
  @Field(() => Sex)
  sex: Sex;

  @Authorized("read:hukou")
  @Field(() => DateScalar, { nullable: true })
  hukouCancelledOn: string | null;

  @Authorized("read:hukou")
  @Field(() => String, { nullable: true, description: "迁入地 of the latest 迁出 when the hukou moved out (MIGRATED_OUT); null otherwise" })
  hukouMovedTo: string | null;
}

@ObjectType({ description: "A 落户 made from a birth certificate (service feed)" })
export class BirthRegistrationFact {
  @Field(() => ID)
  certificateNumber: string;

  @Field(() => ID, { description: "The registered child" })
  personId: string;

  @Field(() => DateScalar)
  registeredOn: string;
}

@ObjectType({ description: "One check of the register against itself: how many persons fail it, and some of them" })
export class IdentityAuditRule {
  @Field({ description: "idChecksum, birthDateMismatch, sexMismatch, emptyRequiredFields" })
  code: string;

  @Field(() => Int)
  violations: number;

  @Field(() => [ID])
  sampleIds: string[];
}

@ObjectType({ description: "Public-security's own logic audit of its register (人不漏项), computed where the data lives" })
export class IdentityAudit {
  @Field(() => Int)
  checkedPersons: number;

  @Field(() => [IdentityAuditRule])
  rules: IdentityAuditRule[];
}

@ObjectType({ description: "The hukou register's checks over one range of ids: its own identity checks, and the comparison with another register's ids (service feed; ids only)" })
export class HukouRegisterRangeAudit {
  @Field(() => String, {
    description: "Ids (joined by commas, in order) of the persons whose hukou is under the region, in the range, that are not among the ids sent",
  })
  notAmongSent: string;

  @Field(() => String, {
    description: "Ids (joined by commas, in order) among the ids sent whose hukou is not under the region and that this register does not hold at all (in the caller's jurisdiction)",
  })
  unknown: string;

  @Field(() => IdentityAudit, { description: "identityAudit of the persons under the region in the range" })
  identity: IdentityAudit;
}

const MAX_AUDIT_SAMPLES = 1000;
const CHECK_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
// Characters JavaScript's trim() removes that SQL's TRIM does not: a name starting with one is checked in full.
const SPACE_LIKE = ["\u00a0", "\u1680", "\u2000", "\u2001", "\u2002", "\u2003", "\u2004", "\u2005", "\u2006", "\u2007", "\u2008", "\u2009", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\ufeff"];

/**
 * The SQL condition of a register row that certainly passes every check of identityAudit (an 18-character
 * number of digits with the right check character, whose birth digits are the row's birth date within
 * [1850-01-01, latestBirth], whose sex digit is the row's sex, and no empty field). Rows not matching it are
 * checked one by one in JavaScript with checkIdNumber; so the condition may be stricter than the checks but
 * never looser. Comparisons are binary, so collations cannot make different characters equal.
 */
function certainlyValidCondition(dialect: "mysql" | "sqlite"): string {
  const bin = (x: string) => (dialect === "mysql" ? `BINARY ${x}` : x);
  const n = "p.idNumber";
  // The weighted sum of the first 17 digits modulo 11 (weights 2^(18-i) mod 11). MySQL does it in one function
  // instead of 17 substrings: those digits read as a base-13 number V = sum d_i * 13^(17-i), and 13 = 2 (mod 11),
  // so 2V = sum d_i * 2^(18-i) (mod 11); V < 13^17 < 2^64, within CONV's 64-bit precision. It matters only
  // where `shape` holds (17 digits first), where CONV reads every digit.
  const checksum =
    dialect === "mysql"
      ? `(CAST(CONV(LEFT(${n}, 17), 13, 10) AS UNSIGNED) % 11) * 2 % 11`
      : `(${CHECK_WEIGHTS.map((w, i) => `(SUBSTR(${n}, ${i + 1}, 1) + 0) * ${w}`).join(" + ")}) % 11`;
  const shape = dialect === "mysql" ? `BINARY ${n} REGEXP '^[0-9]{17}[0-9X]$'` : `${n} GLOB '${"[0-9]".repeat(17)}[0-9X]'`;
  const birthDigits = dialect === "mysql" ? "DATE_FORMAT(p.birthDate, '%Y%m%d')" : "REPLACE(SUBSTR(p.birthDate, 1, 10), '-', '')";
  const birthDay = dialect === "mysql" ? "p.birthDate" : "SUBSTR(p.birthDate, 1, 10)";
  return [
    shape,
    `${bin(`SUBSTR(${n}, 18, 1)`)} = SUBSTR('10X98765432', (${checksum}) + 1, 1)`,
    `${bin(`SUBSTR(${n}, 7, 8)`)} = ${birthDigits}`,
    `${birthDay} >= '1850-01-01'`,
    `${birthDay} <= :latestBirth`,
    `${bin("p.sex")} = (CASE WHEN (SUBSTR(${n}, 17, 1) + 0) % 2 = 1 THEN 'MALE' ELSE 'FEMALE' END)`,
    "p.name IS NOT NULL",
    "TRIM(p.name) <> ''",
    `${bin("SUBSTR(p.name, 1, 1)")} > ' '`,
    // Binary: the exact characters (a collation compares them slower, and may equate others).
    `${bin("SUBSTR(p.name, 1, 1)")} NOT IN (${SPACE_LIKE.map((c) => `'${c}'`).join(", ")})`,
    "p.hukouRegisteredOn IS NOT NULL",
  ]
    .map((c) => `(${c})`)
    .join(" AND ");
}

/** The local calendar day of a Date, as checkIdNumber compares birth dates with it. */
function localDay(d: Date): string {
  return `${String(d.getFullYear()).padStart(4, "0")}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}
/** A register row that may fail a check of identityAudit (certainlyValidCondition did not clear it). */
interface SuspectRow {
  id: string;
  idNumber: string;
  sex: string;
  birthDate: string | Date;
  name: string | null;
  registeredOn: unknown;
}

/** identityAudit's checks of the rows, exactly (checkIdNumber): per rule, the violations and the first `samples` ids in the rows' order. */
function auditRows(rows: readonly SuspectRow[], samples: number, asOf: Date): IdentityAuditRule[] {
  const rules = new Map(["idChecksum", "birthDateMismatch", "sexMismatch", "emptyRequiredFields"].map((code) => [code, { code, violations: 0, sampleIds: [] as string[] }]));
  const violate = (code: string, id: string) => {
    const rule = rules.get(code)!;
    rule.violations++;
    if (rule.sampleIds.length < samples) rule.sampleIds.push(id);
  };
  for (const row of rows) {
    const birthDate = row.birthDate instanceof Date ? row.birthDate.toISOString().slice(0, 10) : String(row.birthDate).slice(0, 10);
    if (!row.name?.trim() || !row.idNumber?.trim() || !row.sex || !row.registeredOn) violate("emptyRequiredFields", row.id);
    const checked = checkIdNumber(row.idNumber ?? "", asOf);
    if (!checked.ok) {
      violate("idChecksum", row.id);
      continue;
    }
    if (checked.birthDate !== birthDate) violate("birthDateMismatch", row.id);
    if (checked.sex !== row.sex) violate("sexMismatch", row.id);
  }
  return [...rules.values()];
}

/** An ID number is checked as of the day after `today`: a person born today has a valid number. */
function auditDay(today: string | null | undefined): Date {
  return new Date(Date.parse(`${today ?? todayInChina()}T00:00:00Z`) + 86_400_000);
}

const SUSPECT_COLUMNS = ["p.id AS id", "p.idNumber AS idNumber", "p.sex AS sex", "p.birthDate AS birthDate", "p.name AS name", "p.hukouRegisteredOn AS registeredOn"];

const ID_CURSOR = /^[A-Za-z0-9_-]{1,32}$/;
/** Ids per SQL statement of an IN list: well under SQLite's bound-parameter limit. */
const STATEMENT_KEYS = 5000;

/** The ids of a packed list, in order (the caller sends them sorted: sorting them again costs one pass). */
function packedIds(packed: string): string[] {
  return unpackIds(packed).sort();
}

/** The elements of `a` not in `b`, both sorted: one merge pass, no set of tens of thousands of strings. */
function sortedDifference(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = [];
  let j = 0;
  for (const x of a) {
    while (j < b.length && b[j] < x) j++;
    if (j >= b.length || b[j] !== x) out.push(x);
  }
  return out;
}

/**
 * Service feeds over the hukou register for the population department's reports. Ids only, or the few facts
 * a rule needs; never a whole person record (shared/src/feeds.ts).
 */
@Resolver()
export class HukouFeedsResolver {
  @Query(() => IdFeedPage, { description: "Service feed: ids of the persons whose hukou is under a region prefix, by region and id" })
  async hukouPersonIds(
    @Ctx() ctx: PublicSecurityContext,
    @Arg("regionCode", () => String) regionCode: string,
    @Arg("activeOnly", () => Boolean, { defaultValue: false }) activeOnly: boolean,
    @Arg("first", () => Int, { nullable: true, defaultValue: SERVICE_MAX_PAGE_SIZE, description: `At most ${SERVICE_MAX_ID_PAGE_SIZE} (ids only)` }) first?: number | null,
    @Arg("after", () => String, { nullable: true }) after?: string | null,
  ): Promise<IdFeedPage> {
    requireServiceCaller(ctx.caller, "hukouPersonIds");
    const region = requireRegionCode(regionCode, "regionCode");
    const size = checkIdPageSize(first, "first");
    // The cursor is (hukou region, id), the order of the region index (which carries the id): each page is a
    // range scan of that index, not a sort of the whole region.
    const cursor = after == null ? null : after.split(":");
    if (cursor && (cursor.length !== 2 || !/^\d{1,12}$/.test(cursor[0]) || !ID_CURSOR.test(cursor[1]))) {
      throw badUserInput("after", "游标无效", "is not a cursor of this feed");
    }
    const query = ctx.db.dataSource
      .getRepository(PersonRecord)
      .createQueryBuilder("p")
      .select(["p.id AS id", "p.hukouRegionCode AS regionCode"])
      .where("p.hukouRegionCode LIKE :region", { region: `${region}%` });
    if (ctx.caller.region) query.andWhere("p.hukouRegionCode LIKE :jurisdiction", { jurisdiction: `${ctx.caller.region}%` });
    if (activeOnly) query.andWhere("p.status = :active", { active: PersonStatus.ACTIVE });
    if (cursor) {
      query.andWhere("(p.hukouRegionCode > :afterRegion OR (p.hukouRegionCode = :afterRegion AND p.id > :afterId))", { afterRegion: cursor[0], afterId: cursor[1] });
    }
    const rows: { id: string; regionCode: string }[] = await query.orderBy("p.hukouRegionCode", "ASC").addOrderBy("p.id", "ASC").limit(size + 1).getRawMany();
    const page = rows.slice(0, size);
    const last = page[page.length - 1];
    const ids = page.map((r) => r.id);
    return { ids, packed: ids.join(","), next: rows.length > size ? `${last.regionCode}:${last.id}` : null };
  }

  /**
   * The register's checks over one range of ids (after, through] (null: unbounded), for a report that walks
   * another department's register page by page (population's logic audit, DOMAIN.md §5 report 13):
   * - identityAudit's checks of the persons under the region in the range, computed here (counts and sample
   *   ids; the rows are read once for both parts);
   * - a set comparison with the ids the caller's register holds as having their hukou under the region in the
   *   range: the persons under the region in the range that were not sent, and the ids sent that this register
   *   does not hold at all, so that only the differences travel back.
   * Ids only: no personal field crosses and nothing is logged (as for hukouPersonIds and identityAudit); a
   * caller needing a fact about a person asks hukouPersonFacts, which logs it. Ids compare the same in
   * JavaScript and under every collation (lowercase hex, PERSON_ID_PATTERN), so both registers cut their
   * pages at the same places.
   */
  @Query(() => HukouRegisterRangeAudit, { description: "Service feed: identityAudit over a range of ids, and the register under a region against a page of another register's ids (ids only)" })
  async hukouRegisterRangeAudit(
    @Ctx() ctx: PublicSecurityContext,
    @Arg("regionCode", () => String) regionCode: string,
    @Arg("after", () => String, { nullable: true, description: "The range starts after this id (null: from the first)" }) after: string | null,
    @Arg("through", () => String, { nullable: true, description: "The range ends with this id (null: to the last)" }) through: string | null,
    @Arg("packedIds", () => String, { description: "Ids (joined by commas) the caller holds as having their hukou under the region" }) packedIdsSent: string,
    @Arg("samples", () => Int, { defaultValue: 10, description: "Sample ids per identity rule" }) samples: number,
    @Arg("today", () => DateScalar, { nullable: true }) today?: string | null,
  ): Promise<HukouRegisterRangeAudit> {
    requireServiceCaller(ctx.caller, "hukouRegisterRangeAudit");
    const region = requireRegionCode(regionCode, "regionCode");
    for (const [field, bound] of [["after", after], ["through", through]] as const) {
      if (bound != null && !PERSON_ID_PATTERN.test(bound)) throw badUserInput(field, "游标无效", "is not a person id");
    }
    if (after != null && through != null && after >= through) throw badUserInput("through", "须大于 after", "must come after `after`");
    if (!Number.isInteger(samples) || samples < 0 || samples > MAX_AUDIT_SAMPLES) {
      throw badUserInput("samples", `须在 0 到 ${MAX_AUDIT_SAMPLES} 之间`, `must be between 0 and ${MAX_AUDIT_SAMPLES}`);
    }
    const sent = packedIds(packedIdsSent);
    if (sent.length > SERVICE_MAX_ID_PAGE_SIZE) throw badUserInput("packedIds", `最多 ${SERVICE_MAX_ID_PAGE_SIZE} 个`, `at most ${SERVICE_MAX_ID_PAGE_SIZE} ids per request`);
    const asOf = auditDay(today);
    // The range of the primary key: one range scan per page, whichever the region. Each row comes with whether
    // the identity checks may fail for it (certainlyValidCondition evaluated once, in the database).
    const query = ctx.db.dataSource
      .getRepository(PersonRecord)
      .createQueryBuilder("p")
      .select("p.id", "id")
      .addSelect(`CASE WHEN ${certainlyValidCondition(ctx.db.dialect)} THEN 0 ELSE 1 END`, "suspect")
      .where("p.hukouRegionCode LIKE :region", { region: `${region}%` })
      .setParameter("latestBirth", localDay(asOf));
    if (ctx.caller.region) query.andWhere("p.hukouRegionCode LIKE :jurisdiction", { jurisdiction: `${ctx.caller.region}%` });
    if (after != null) query.andWhere("p.id > :after", { after });
    if (through != null) query.andWhere("p.id <= :through", { through });
    const rows = await query.orderBy("p.id", "ASC").getRawMany<{ id: string; suspect: number | string }>();
    const here = rows.map((r) => r.id).sort();
    const suspects = rows.filter((r) => Number(r.suspect) === 1).map((r) => r.id);
    const notAmongSent = sortedDifference(here, sent);
    // An id sent from outside the range is none of the range's persons: it is then looked up below like any id
    // sent whose hukou is not in the range, so the answer stays right.
    // Ids sent whose hukou is not under the region: does this register hold them anywhere (within the jurisdiction)?
    const elsewhere = sortedDifference(sent, here);
    const known = new Set<string>();
    const suspectRows: SuspectRow[] = [];
    for (let start = 0; start < Math.max(elsewhere.length, suspects.length); start += STATEMENT_KEYS) {
      const [found, suspected] = await Promise.all([
        start < elsewhere.length
          ? ctx.db.dataSource.getRepository(PersonRecord).find({ select: { id: true, hukouRegionCode: true }, where: { id: In(elsewhere.slice(start, start + STATEMENT_KEYS)) } })
          : Promise.resolve([]),
        start < suspects.length
          ? ctx.db.dataSource
              .getRepository(PersonRecord)
              .createQueryBuilder("p")
              .select(SUSPECT_COLUMNS)
              .where("p.id IN (:...ids)", { ids: suspects.slice(start, start + STATEMENT_KEYS) })
              .getRawMany<SuspectRow>()
          : Promise.resolve([]),
      ]);
      for (const p of found) if (canSeePerson(ctx.caller, p.id, p.hukouRegionCode)) known.add(p.id);
      suspectRows.push(...suspected);
    }
    suspectRows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return {
      notAmongSent: notAmongSent.join(","),
      unknown: elsewhere.filter((id) => !known.has(id)).join(","),
      identity: { checkedPersons: rows.length, rules: auditRows(suspectRows, samples, asOf) },
    };
  }

  @Query(() => [HukouPersonFact], { description: "Service feed: status, birth date and sex of the given persons (those in the register and jurisdiction)" })
  async hukouPersonFacts(
    @Ctx() ctx: PublicSecurityContext,
    @Arg("ids", () => [ID]) ids: string[],
    @Arg("leftOnly", () => Boolean, {
      defaultValue: false,
      description: "Only the persons whose hukou has left this register (MIGRATED_OUT or CANCELLED): the others are not read, so their facts are not logged",
    })
    leftOnly: boolean,
    @Info() info: GraphQLResolveInfo,
  ): Promise<HukouPersonFact[]> {
    requireServiceCaller(ctx.caller, "hukouPersonFacts");
    const keys = requireFeedKeys(ids, "ids");
    if (keys.length === 0) return [];
    // Raw rows (no entity per person), the dates as the text 'YYYY-MM-DD' in both dialects.
    const query = ctx.db.dataSource
      .getRepository(PersonRecord)
      .createQueryBuilder("p")
      .select([
        "p.id AS id",
        "p.status AS status",
        "CAST(p.birthDate AS CHAR) AS birthDate",
        "p.sex AS sex",
        "CAST(p.hukouCancelledOn AS CHAR) AS hukouCancelledOn",
        "p.hukouRegionCode AS hukouRegionCode",
      ])
      .where("p.id IN (:...keys)", { keys });
    if (leftOnly) query.andWhere("p.status IN (:...left)", { left: [PersonStatus.MIGRATED_OUT, PersonStatus.CANCELLED] });
    const rows = (await query.getRawMany<Omit<HukouPersonFact, "hukouMovedTo"> & { hukouRegionCode: string }>()).filter((p) => canSeePerson(ctx.caller, p.id, p.hukouRegionCode));
    // Where the hukou went, when asked: the latest MOVE_OUT event of those who moved out (one statement, usually few rows).
    const movedOut = selectsField(info, "hukouMovedTo") ? rows.filter((p) => p.status === PersonStatus.MIGRATED_OUT).map((p) => p.id) : [];
    const movedTo = new Map<string, { on: string; to: string | null }>();
    if (movedOut.length > 0) {
      const events = await ctx.db.dataSource.getRepository(HukouEventRecord).find({
        select: { personId: true, occurredOn: true, toRegionCode: true, id: true },
        where: { personId: In(movedOut), kind: "MOVE_OUT" },
      });
      for (const event of events) {
        const on = String(event.occurredOn).slice(0, 10);
        const seen = movedTo.get(event.personId);
        if (!seen || seen.on <= on) movedTo.set(event.personId, { on, to: event.toRegionCode });
      }
    }
    return rows.map(({ hukouRegionCode: _region, ...fact }) => ({ ...fact, hukouMovedTo: movedTo.get(fact.id)?.to ?? null }));
  }

  @Query(() => [BirthRegistrationFact], { description: "Service feed: the 落户 made from any of the given birth certificates" })
  async birthRegistrationsFor(
    @Ctx() ctx: PublicSecurityContext,
    @Arg("certificateNumbers", () => [ID]) certificateNumbers: string[],
  ): Promise<BirthRegistrationFact[]> {
    requireServiceCaller(ctx.caller, "birthRegistrationsFor");
    const keys = requireFeedKeys(certificateNumbers, "certificateNumbers");
    if (keys.length === 0) return [];
    // One statement, raw rows: the registrations with their child's hukou region, since a registration is as
    // visible as the child it registered (row level).
    const rows = await ctx.db.dataSource
      .getRepository(BirthRegistrationRecord)
      .createQueryBuilder("r")
      .leftJoin(PersonRecord, "p", "p.id = r.personId")
      .select(["r.certificateNumber AS certificateNumber", "r.personId AS personId", "CAST(r.registeredOn AS CHAR) AS registeredOn", "p.hukouRegionCode AS hukouRegionCode"])
      .where("r.certificateNumber IN (:...keys)", { keys })
      .getRawMany<BirthRegistrationFact & { hukouRegionCode: string | null }>();
    const visible = ctx.caller.region ? rows.filter((r) => r.hukouRegionCode !== null && canSeePerson(ctx.caller, r.personId, r.hukouRegionCode)) : rows;
    return visible.map(({ certificateNumber, personId, registeredOn }) => ({ certificateNumber, personId, registeredOn }));
  }

  @Query(() => IdentityAudit, { description: "Service feed: the register's own checks (ID checksum, birth date and sex against the ID number, empty fields)" })
  async identityAudit(
    @Ctx() ctx: PublicSecurityContext,
    @Arg("regionCode", () => String) regionCode: string,
    @Arg("samples", () => Int, { defaultValue: 10 }) samples: number,
    @Arg("today", () => DateScalar, { nullable: true }) today?: string | null,
  ): Promise<IdentityAudit> {
    requireServiceCaller(ctx.caller, "identityAudit");
    const region = requireRegionCode(regionCode, "regionCode");
    if (!Number.isInteger(samples) || samples < 0 || samples > MAX_AUDIT_SAMPLES) {
      throw badUserInput("samples", `须在 0 到 ${MAX_AUDIT_SAMPLES} 之间`, `must be between 0 and ${MAX_AUDIT_SAMPLES}`);
    }
    const asOf = auditDay(today);
    const query = ctx.db.dataSource.getRepository(PersonRecord).createQueryBuilder("p").where("p.hukouRegionCode LIKE :region", { region: `${region}%` });
    if (ctx.caller.region) query.andWhere("p.hukouRegionCode LIKE :jurisdiction", { jurisdiction: `${ctx.caller.region}%` });
    // The checks run in the database: only the rows that may fail one leave it, to be checked exactly here.
    const [checkedPersons, rows] = await Promise.all([
      query.getCount(),
      query
        .clone()
        .select(SUSPECT_COLUMNS)
        .andWhere(`NOT (${certainlyValidCondition(ctx.db.dialect)})`, { latestBirth: localDay(asOf) })
        .orderBy("p.id", "ASC")
        .getRawMany<SuspectRow>(),
    ]);
    return { checkedPersons, rules: auditRows(rows, samples, asOf) };
  }
}
