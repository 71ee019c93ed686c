import { Arg, Authorized, Ctx, Query, Resolver } from "type-graphql";
import { personIdFor } from "../../../../shared/src/person-id";
import { requireIdNumber } from "../../../../shared/src/validation";
import type { PopulationContext } from "../context";
import { OnlyChildCertificateRecord } from "./only-child-certificate.entity";

@Resolver()
export class VerifyOnlyChildResolver {
  /**
   * Minimal disclosure for partners (e.g. a school checking 独生子女 bonus points): true when an only-child
   * certificate names this person as the child, nothing else. Logged like any read of the person's data.
   */
  @Authorized("read:only-child-verification", "read:family-planning")
  @Query(() => Boolean, { description: "Whether an only-child certificate (独生子女父母光荣证) names this person as the child: yes/no only" })
  async verifyOnlyChild(@Ctx() ctx: PopulationContext, @Arg("idNumber", () => String) idNumber: string): Promise<boolean> {
    const personId = personIdFor(requireIdNumber(idNumber, "idNumber").normalized);
    ctx.audit.record(personId, "verifyOnlyChild");
    return ctx.db.dataSource.getRepository(OnlyChildCertificateRecord).existsBy({ childPersonId: personId });
  }
}
