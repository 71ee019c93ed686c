import type DataLoader from "dataloader";
import { Authorized, Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import { In } from "typeorm";
import { regionRef } from "../../../../shared/src/graphql/common";
import { groupLoader } from "../../../../shared/src/loaders";
import type { PublicSecurityContext } from "../context";
import type { HouseholdRecord } from "../household/household.entity";
import { Household } from "../household/household.type";
import type { PersonRecord } from "../person/person.entity";
import type { PersonStatus } from "../person/person.enums";
import { Person } from "../person/person.type";
import { HukouEventRecord } from "./hukou-event.entity";
import { HukouEvent, HukouEventKind } from "./hukou-event.type";

// Per request like the context's loaders (kept here so that the write path adds no line to context.ts).
const eventLoaders = new WeakMap<object, DataLoader<string, HukouEventRecord[]>>();

function eventsByPerson(ctx: PublicSecurityContext): DataLoader<string, HukouEventRecord[]> {
  let loader = eventLoaders.get(ctx);
  if (!loader) {
    const events = ctx.db.dataSource.getRepository(HukouEventRecord);
    loader = groupLoader(
      (ids: readonly string[]) => events.find({ where: { personId: In([...ids]) }, order: { occurredOn: "ASC", id: "ASC" } }),
      (e) => e.personId,
    );
    eventLoaders.set(ctx, loader);
  }
  return loader;
}

export function toHukouEvent(record: HukouEventRecord): HukouEvent {
  return {
    kind: record.kind as HukouEventKind,
    on: record.occurredOn,
    from: regionRef(record.fromRegionCode),
    to: regionRef(record.toRegionCode),
    reason: record.reason as PersonStatus | null,
  };
}

/** Public-security's write-side fields of Person: the version a change must name, and the hukou history. */
@Resolver(() => Person)
export class PersonHukouHistoryResolver {
  @Authorized("read:hukou")
  @FieldResolver(() => Int, { description: "Changes so far; send it as expectedVersion with an update" })
  version(@Root() person: PersonRecord): number {
    return person.version;
  }

  @Authorized("read:hukou")
  @FieldResolver(() => [HukouEvent], { nullable: true, description: "户口登记 history (落户, 迁入, 迁出, 注销), oldest first" })
  async hukouEvents(@Root() person: PersonRecord, @Ctx() ctx: PublicSecurityContext): Promise<HukouEvent[]> {
    return (await eventsByPerson(ctx).load(person.id)).map(toHukouEvent);
  }
}

@Resolver(() => Household)
export class HouseholdVersionResolver {
  @Authorized("read:hukou")
  @FieldResolver(() => Int, { description: "Changes so far (optimistic concurrency)" })
  version(@Root() household: HouseholdRecord): number {
    return household.version;
  }
}
