import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import { DateScalar } from "../../../../shared/src/scalars";
import { badUserInput } from "../../../../shared/src/errors";
import { SERVICE_MAX_PAGE_SIZE } from "../../../../shared/src/pagination";
import { requireServiceCaller } from "../../../../shared/src/feeds";
import type { DeathRegistrationRecord } from "../death/death.entity";
import type { CivilAffairsContext } from "../context";
import { DeathRegistration } from "../death/death.type";
import type { DisabilityCertificateRecord } from "../disability/disability-certificate.entity";
import { DisabilityCertificate } from "../disability/disability-certificate.type";
import { MaritalStatus, MarriageRecordKind } from "../marriage/marriage.enums";
import type { MarriageRecordRow } from "../marriage/marriage.entity";
import { MarriageRecord } from "../marriage/marriage.type";
import { ReliefEnrollment } from "../relief/relief.type";
import type { RegionRecord } from "../region/region.entity";
import { Region } from "../region/region.type";
import { PersonRef } from "./person.ref";

@Resolver(() => PersonRef)
export class PersonCivilAffairsResolver {
  @Authorized("read:marriage")
  @FieldResolver(() => MaritalStatus, {
    nullable: true,
    description: "From civil-affairs' own registrations: the latest marriage or divorce, widowed when the spouse's death is registered",
  })
  maritalStatus(@Root() person: PersonRef, @Ctx() ctx: CivilAffairsContext): Promise<MaritalStatus> {
    return maritalStatusOf(person.id, ctx);
  }

  @Authorized("read:marriage")
  @FieldResolver(() => [MarriageRecord], { nullable: true })
  async marriages(@Root() person: PersonRef, @Ctx() ctx: CivilAffairsContext): Promise<MarriageRecordRow[]> {
    return (await ctx.loaders.marriagesByPerson.load(person.id)).filter(ctx.loaders.visibleMarriage);
  }

  @Authorized("read:civil-status")
  @FieldResolver(() => DeathRegistration, { nullable: true })
  async death(@Root() person: PersonRef, @Ctx() ctx: CivilAffairsContext): Promise<DeathRegistration | null> {
    const record = await ctx.loaders.deathByPerson.load(person.id);
    if (!record) return null;
    // The region is loaded only when asked for (DeathRegistrationRegionResolver): a report reading many deaths'
    // dates then costs no region lookup.
    return { deathDate: record.deathDate, registeredOn: record.registeredOn, regionCode: record.regionCode, cremationNumber: record.cremationNumber } as unknown as DeathRegistration;
  }

  @Authorized("read:civil-status")
  @FieldResolver(() => [ReliefEnrollment], { nullable: true })
  relief(@Root() person: PersonRef, @Ctx() ctx: CivilAffairsContext): Promise<ReliefEnrollment[]> {
    return ctx.loaders.reliefByPerson.load(person.id);
  }

  @Authorized("read:civil-status")
  @FieldResolver(() => [DisabilityCertificate], { nullable: true, description: "残疾人证 recorded for this person, oldest first (特别扶助 reads the grade)" })
  disabilityCertificates(@Root() person: PersonRef, @Ctx() ctx: CivilAffairsContext): Promise<DisabilityCertificateRecord[]> {
    return ctx.loaders.disabilityByPerson.load(person.id);
  }
}

/**
 * For department services only: which of these persons have a registered death (ids only). A roster report
 * screens thousands of recipients with it; each person found is logged here, as the fact crossed.
 */
@Resolver()
export class DeathFeedResolver {
  @Authorized("read:civil-status")
  @Query(() => [ID], { description: "Service identities only: the persons among these whose death civil-affairs registered" })
  async deathRegisteredAmong(@Ctx() ctx: CivilAffairsContext, @Arg("ids", () => [ID]) ids: string[]): Promise<string[]> {
    requireServiceCaller(ctx.caller, "deathRegisteredAmong");
    if (ids.length > SERVICE_MAX_PAGE_SIZE) throw badUserInput("ids", `一次最多 ${SERVICE_MAX_PAGE_SIZE} 个`, `at most ${SERVICE_MAX_PAGE_SIZE} ids at once`);
    const found = (await ctx.loaders.deathByPerson.loadMany([...new Set(ids)])).filter((d): d is DeathRegistrationRecord => !!d && !(d instanceof Error));
    for (const d of found) ctx.audit.record(d.personId, "deathRegisteredAmong");
    return found.map((d) => d.personId);
  }

  /** For department services only: which of these persons hold a 残疾人证 of one of `grades` valid on `on` (ids only; each found is logged). */
  @Authorized("read:civil-status")
  @Query(() => [ID], { description: "Service identities only: the persons among these holding a disability certificate of one of the grades, valid on the day" })
  async disabilityCertifiedAmong(
    @Ctx() ctx: CivilAffairsContext,
    @Arg("ids", () => [ID]) ids: string[],
    @Arg("grades", () => [Int]) grades: number[],
    @Arg("on", () => DateScalar) on: string,
  ): Promise<string[]> {
    requireServiceCaller(ctx.caller, "disabilityCertifiedAmong");
    if (ids.length > SERVICE_MAX_PAGE_SIZE) throw badUserInput("ids", `一次最多 ${SERVICE_MAX_PAGE_SIZE} 个`, `at most ${SERVICE_MAX_PAGE_SIZE} ids at once`);
    const lists = await ctx.loaders.disabilityByPerson.loadMany([...new Set(ids)]);
    const found: string[] = [];
    for (const list of lists) {
      if (list instanceof Error) continue;
      const held = list.find((c) => grades.includes(c.grade) && c.issuedOn <= on && (c.revokedOn === null || c.revokedOn > on));
      if (held) {
        ctx.audit.record(held.personId, "disabilityCertifiedAmong");
        found.push(held.personId);
      }
    }
    return found;
  }
}

@Resolver(() => DeathRegistration)
export class DeathRegistrationRegionResolver {
  @FieldResolver(() => Region, { nullable: true })
  region(@Root() death: DeathRegistration & { regionCode?: string }, @Ctx() ctx: CivilAffairsContext): Region | Promise<RegionRecord | null> | null {
    if (death.region !== undefined) return death.region;
    return death.regionCode ? ctx.loaders.regionByCode.load(death.regionCode) : null;
  }
}

/** Civil-affairs' marital status of a person: the latest marriage or divorce registration, widowed when the spouse's death is registered. */
export async function maritalStatusOf(personId: string, ctx: CivilAffairsContext): Promise<MaritalStatus> {
  const records = await ctx.loaders.marriagesByPerson.load(personId);
  const latest = records[records.length - 1];
  const spouseDeath = latest ? await ctx.loaders.deathByPersonUnfiltered.load(spouseOf(latest, personId)) : null;
  return maritalStatusFrom(personId, records, spouseDeath);
}

export function spouseOf(record: Pick<MarriageRecordRow, "husbandPersonId" | "wifePersonId">, personId: string): string {
  return record.husbandPersonId === personId ? record.wifePersonId : record.husbandPersonId;
}

/** The rule itself, over a person's registrations in date order and the registered death (if any) of the latest one's spouse. */
export function maritalStatusFrom(
  personId: string,
  records: Pick<MarriageRecordRow, "kind" | "registeredOn" | "husbandPersonId" | "wifePersonId">[],
  spouseDeath: { personId: string; deathDate: string } | null,
): MaritalStatus {
  const latest = records[records.length - 1];
  if (!latest) return MaritalStatus.UNMARRIED;
  if (latest.kind === MarriageRecordKind.DIVORCE) return MaritalStatus.DIVORCED;
  return spouseDeath && spouseDeath.personId === spouseOf(latest, personId) && spouseDeath.deathDate >= latest.registeredOn
    ? MaritalStatus.WIDOWED
    : MaritalStatus.MARRIED;
}
