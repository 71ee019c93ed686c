import { In } from "typeorm";
import { canSeeRecord } from "../../../../shared/src/auth/authorize";
import { groupLoader } from "../../../../shared/src/loaders";
import type { PopulationContext } from "../context";
import { requestLoader } from "../request-loaders";
import { feeCasePersonIds, SocialMaintenanceFeeRecord } from "./social-maintenance-fee.entity";

/** Fee cases naming a person as mother, father or child, in one statement per request; outside the jurisdiction dropped. */
export function feeCasesByPerson(ctx: PopulationContext) {
  return requestLoader(ctx.loaders, "feeCasesByPerson", () =>
    groupLoader(
      async (ids: readonly string[]) =>
        (
          await ctx.db.dataSource.getRepository(SocialMaintenanceFeeRecord).find({
            where: [{ motherPersonId: In([...ids]) }, { fatherPersonId: In([...ids]) }, { childPersonId: In([...ids]) }],
            order: { decidedOn: "ASC", id: "ASC" },
          })
        ).filter((c) => canSeeRecord(ctx.caller, feeCasePersonIds(c), c.decidingCountyCode)),
      feeCasePersonIds,
    ),
  );
}
