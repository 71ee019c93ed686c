import { Authorized, FieldResolver, Resolver, Root } from "type-graphql";
import { RegionRef, regionRef } from "../../../../shared/src/graphql/common";
import type { HealthContext } from "../context";
import { PersonRef, personRef } from "../person/person.ref";
import type { PrePregnancyCheckRecord } from "./pre-pregnancy-check.entity";
import { PrePregnancyCheck } from "./pre-pregnancy-check.type";

@Resolver(() => PrePregnancyCheck)
export class PrePregnancyCheckResolver {
  @Authorized("read:health")
  @FieldResolver(() => PersonRef, { nullable: true })
  woman(@Root() check: PrePregnancyCheckRecord): PersonRef | null {
    return personRef(check.womanPersonId);
  }

  @Authorized("read:health")
  @FieldResolver(() => PersonRef, { nullable: true })
  man(@Root() check: PrePregnancyCheckRecord): PersonRef | null {
    return personRef(check.manPersonId);
  }

  @Authorized("read:health")
  @FieldResolver(() => RegionRef, { nullable: true })
  region(@Root() check: PrePregnancyCheckRecord): RegionRef | null {
    return regionRef(check.regionCode);
  }
}

/** Federation entry point: PrePregnancyCheck references resolve here, batched per request. */
export const prePregnancyCheckReference = {
  __resolveReference(reference: { id: string }, ctx: HealthContext) {
    return ctx.loaders.prePregnancyCheckById.load(reference.id);
  },
};
