import { Authorized, Ctx, Directive, FieldResolver, Resolver, Root } from "type-graphql";
import { AccessLogEntry, accessLogFor } from "../../../../shared/src/audit/access-log.type";
import type { PopulationContext } from "../context";
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
  populationAccessLog(@Root() person: PersonRef, @Ctx() ctx: PopulationContext): Promise<AccessLogEntry[]> {
    return accessLogFor(ctx, "population", person.id);
  }
}
