import { Authorized, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { CivilAffairsContext } from "../context";
import { DeathRegistration } from "../death/death.type";
import { MaritalStatus, MarriageRecordKind } from "../marriage/marriage.enums";
import type { MarriageRecordRow } from "../marriage/marriage.entity";
import { MarriageRecord } from "../marriage/marriage.type";
import { ReliefEnrollment } from "../relief/relief.type";
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
    const region = await ctx.loaders.regionByCode.load(record.regionCode);
    return { deathDate: record.deathDate, registeredOn: record.registeredOn, region, cremationNumber: record.cremationNumber };
  }

  @Authorized("read:civil-status")
  @FieldResolver(() => [ReliefEnrollment], { nullable: true })
  relief(@Root() person: PersonRef, @Ctx() ctx: CivilAffairsContext): Promise<ReliefEnrollment[]> {
    return ctx.loaders.reliefByPerson.load(person.id);
  }
}

/** Civil-affairs' marital status of a person: the latest marriage or divorce registration, widowed when the spouse's death is registered. */
export async function maritalStatusOf(personId: string, ctx: CivilAffairsContext): Promise<MaritalStatus> {
  const records = await ctx.loaders.marriagesByPerson.load(personId);
  const latest = records[records.length - 1];
  const spouseDeath = latest ? await ctx.loaders.deathByPersonUnfiltered.load(spouseOf(latest, personId)) : null;
  return maritalStatusFrom(personId, records, spouseDeath);
}

export function spouseOf(record: MarriageRecordRow, personId: string): string {
  return record.husbandPersonId === personId ? record.wifePersonId : record.husbandPersonId;
}

/** The rule itself, over a person's registrations in date order and the registered death (if any) of the latest one's spouse. */
export function maritalStatusFrom(personId: string, records: MarriageRecordRow[], spouseDeath: { personId: string; deathDate: string } | null): MaritalStatus {
  const latest = records[records.length - 1];
  if (!latest) return MaritalStatus.UNMARRIED;
  if (latest.kind === MarriageRecordKind.DIVORCE) return MaritalStatus.DIVORCED;
  return spouseDeath && spouseDeath.personId === spouseOf(latest, personId) && spouseDeath.deathDate >= latest.registeredOn
    ? MaritalStatus.WIDOWED
    : MaritalStatus.MARRIED;
}
