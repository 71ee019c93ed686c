import { In } from "typeorm";
import { canSeeRecord } from "../../../../shared/src/auth/authorize";
import { groupLoader } from "../../../../shared/src/loaders";
import type { PopulationContext } from "../context";
import { requestLoader } from "../request-loaders";
import { CareVisitRecord } from "./care-visit.entity";

/** A person's visits, oldest first, in one statement per request; visits outside the jurisdiction dropped. */
export function careVisitsByPerson(ctx: PopulationContext) {
  return requestLoader(ctx.loaders, "careVisitsByPerson", () =>
    groupLoader(
      async (ids: readonly string[]) =>
        (
          await ctx.db.dataSource.getRepository(CareVisitRecord).find({ where: { personId: In([...ids]) }, order: { visitedOn: "ASC", id: "ASC" } })
        ).filter((v) => canSeeRecord(ctx.caller, [v.personId], v.regionCode)),
      (v) => v.personId,
    ),
  );
}
