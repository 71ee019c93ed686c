import { Authorized, Ctx, Directive, FieldResolver, Resolver, Root } from "type-graphql";
import { AccessLogEntry, accessLogFor } from "../../../../shared/src/audit/access-log.type";
import type { CivilAffairsContext } from "../context";
import { PersonRef } from "./person.ref";

/**
 * This department's access-log entries about a person. Hidden from clients (@inaccessible): public-security's
 * Person.accessLog requires it and merges every department's entries into one list.
 */
@Resolver(() => PersonRef)
export class PersonAccessLogResolver {
  @Authorized("read:audit")
  @Directive("@inaccessible")
  @FieldResolver(() => [AccessLogEntry], { nullable: true })
  civilAffairsAccessLog(@Root() person: PersonRef, @Ctx() ctx: CivilAffairsContext): Promise<AccessLogEntry[]> {
    return accessLogFor(ctx, "civil-affairs", person.id);
  }
}
