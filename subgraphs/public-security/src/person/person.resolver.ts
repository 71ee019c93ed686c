import type { GraphQLResolveInfo } from "graphql";
import { Arg, Authorized, Ctx, Directive, FieldResolver, ID, Int, Query, Resolver, Root, Info } from "type-graphql";
import { ACCESS_LOG_SELECTION, AccessLogEntry, accessLogFor } from "../../../../shared/src/audit/access-log.type";
import { visibleIdNumber, visibleName } from "../../../../shared/src/auth/authorize";
import { todayInChina } from "../../../../shared/src/scalars";
import { badUserInput } from "../../../../shared/src/errors";
import { regionRef } from "../../../../shared/src/graphql/common";
import { pageOf } from "../../../../shared/src/graphql/common";
import { checkPageSize, decodeCursor, encodeCursor } from "../../../../shared/src/pagination";
import { selectsField } from "../../../../shared/src/graphql/selection";
import { personIdFor } from "../../../../shared/src/person-id";
import { requireDateOrder, requireIdNumber, requirePersonId, requireRegionCode } from "../../../../shared/src/validation";
import type { PublicSecurityContext } from "../context";
import { Household } from "../household/household.type";
import type { HouseholdRecord } from "../household/household.entity";
import { PersonRecord } from "./person.entity";
import { Hukou, Person, PersonConnection, PersonFilter, Residence } from "./person.type";

const CURSOR_KIND = "person";

/**
 * Escapes LIKE wildcards in user text so that a name such as "王_" is matched literally. The escape
 * character is `!`, not a backslash: MySQL reads `ESCAPE '\'` as an unterminated string literal.
 */
function likePrefix(text: string): string {
  return `${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

@Resolver(() => Person)
export class PersonResolver {
  @Query(() => Person, { nullable: true, description: "One person, by pseudonymous id or by citizen ID number" })
  async person(
    @Ctx() ctx: PublicSecurityContext,
    @Arg("id", () => ID, { nullable: true }) id?: string | null,
    @Arg("idNumber", () => String, { nullable: true }) idNumber?: string | null,
  ): Promise<PersonRecord | null> {
    if ((id == null) === (idNumber == null)) {
      throw badUserInput("id", "须且只能提供 id 或 idNumber 之一", "give exactly one of id and idNumber");
    }
    const personId = id != null ? requirePersonId(id, "id") : personIdFor(requireIdNumber(idNumber as string, "idNumber").normalized);
    return ctx.loaders.personById.load(personId);
  }

  @Query(() => PersonConnection, { description: "People in the hukou register, filtered, in pages" })
  async people(
    @Ctx() ctx: PublicSecurityContext,
    @Info() info: GraphQLResolveInfo,
    @Arg("filter", () => PersonFilter, { nullable: true }) filter?: PersonFilter | null,
    @Arg("first", () => Int, { nullable: true, defaultValue: 20 }) first?: number | null,
    @Arg("after", () => String, { nullable: true }) after?: string | null,
  ) {
    const size = checkPageSize(first, "first", ctx.caller);
    const afterId = decodeCursor(CURSOR_KIND, after);
    const regionCode = filter?.regionCode != null ? requireRegionCode(filter.regionCode, "filter.regionCode") : null;
    requireDateOrder(filter?.bornFrom, filter?.bornTo, "filter.bornTo");

    const query = ctx.db.dataSource.getRepository(PersonRecord).createQueryBuilder("p");
    // Row level: only the caller's jurisdiction (or, for a citizen, only themselves).
    if (ctx.caller.dept === "citizen") query.andWhere("p.id = :self", { self: ctx.caller.personId ?? "" });
    else if (ctx.caller.region) query.andWhere("p.hukouRegionCode LIKE :jurisdiction", { jurisdiction: `${ctx.caller.region}%` });
    if (regionCode) query.andWhere("p.hukouRegionCode LIKE :region", { region: `${regionCode}%` });
    if (filter?.name) query.andWhere("p.name LIKE :name ESCAPE '!'", { name: likePrefix(filter.name.trim()) });
    if (filter?.sex) query.andWhere("p.sex = :sex", { sex: filter.sex });
    if (filter?.status) query.andWhere("p.status = :status", { status: filter.status });
    if (filter?.bornFrom) query.andWhere("p.birthDate >= :bornFrom", { bornFrom: filter.bornFrom });
    if (filter?.bornTo) query.andWhere("p.birthDate <= :bornTo", { bornTo: filter.bornTo });
    if (filter?.hukouType) query.andWhere("p.hukouType = :hukouType", { hukouType: filter.hukouType });

    const counting = selectsField(info, "totalCount") ? query.clone().getCount() : null;
    if (afterId) query.andWhere("p.id > :afterId", { afterId });
    const [totalCount, rows] = await Promise.all([counting, query.orderBy("p.id", "ASC").take(size + 1).getMany()]);
    return { totalCount, ...pageOf(rows, size, (p) => encodeCursor(CURSOR_KIND, p.id)) };
  }

  @Authorized("read:identity", "read:identity-masked")
  @FieldResolver(() => String, { nullable: true, description: "公民身份号码 (GB 11643): masked as 522328********1234 without the id-number grant" })
  idNumber(@Root() person: PersonRecord, @Ctx() ctx: PublicSecurityContext): string {
    return visibleIdNumber(ctx.caller, person.idNumber);
  }

  @Authorized("read:identity", "read:identity-masked")
  @FieldResolver(() => String, { nullable: true, description: "Masked (王**) for children under 14 without the minors grant, and for masked-identity callers" })
  name(@Root() person: PersonRecord, @Ctx() ctx: PublicSecurityContext): string {
    return visibleName(ctx.caller, person.name, person.birthDate, todayInChina());
  }

  @Authorized("read:audit")
  @Directive(
    `@requires(fields: "populationAccessLog { ${ACCESS_LOG_SELECTION} } civilAffairsAccessLog { ${ACCESS_LOG_SELECTION} } healthAccessLog { ${ACCESS_LOG_SELECTION} }")`,
  )
  @FieldResolver(() => [AccessLogEntry], {
    nullable: true,
    description: "Who read this person's data in every department, newest first: merged from each department's own log",
  })
  async accessLog(@Root() person: PersonRecord & ExternalAccessLogs, @Ctx() ctx: PublicSecurityContext): Promise<AccessLogEntry[]> {
    const own = await accessLogFor(ctx, "public-security", person.id);
    const all = [...own, ...(person.populationAccessLog ?? []), ...(person.civilAffairsAccessLog ?? []), ...(person.healthAccessLog ?? [])];
    return all.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  }

  @Authorized("read:hukou")
  @FieldResolver(() => Hukou, { nullable: true })
  hukou(@Root() person: PersonRecord): Hukou {
    return {
      type: person.hukouType,
      region: regionRef(person.hukouRegionCode),
      registeredOn: person.hukouRegisteredOn,
      relationToHead: person.relationToHead,
      cancelledOn: person.hukouCancelledOn,
    };
  }

  @Authorized("read:hukou")
  @FieldResolver(() => Residence, { nullable: true })
  residence(@Root() person: PersonRecord): Residence | null {
    if (!person.residenceAddress || !person.residenceSince) return null;
    return { region: regionRef(person.residenceRegionCode), address: person.residenceAddress, since: person.residenceSince };
  }

  @Authorized("read:hukou")
  @FieldResolver(() => Household, { nullable: true })
  household(@Root() person: PersonRecord, @Ctx() ctx: PublicSecurityContext): Promise<HouseholdRecord | null> | null {
    return person.householdNumber ? ctx.loaders.householdByNumber.load(person.householdNumber) : null;
  }
}

type ExternalAccessLogs = Pick<Person, "populationAccessLog" | "civilAffairsAccessLog" | "healthAccessLog">;

/**
 * Federation entry point: other subgraphs' Person references resolve here, batched per request. A
 * reference may carry the other departments' access logs (for Person.accessLog); they are kept on the root.
 */
export const personReference = {
  async __resolveReference(reference: { id: string } & ExternalAccessLogs, ctx: PublicSecurityContext) {
    const person = await ctx.loaders.personById.load(reference.id);
    if (!person) return null;
    const { populationAccessLog, civilAffairsAccessLog, healthAccessLog } = reference;
    return Object.assign(Object.create(Object.getPrototypeOf(person)), person, { populationAccessLog, civilAffairsAccessLog, healthAccessLog });
  },
};
