import { Field, ObjectType } from "type-graphql";
import type { Caller } from "./auth/caller";
import { forbidden } from "./errors";
import { badUserInput } from "./errors";
import { isServiceCaller, SERVICE_MAX_ID_PAGE_SIZE, SERVICE_MAX_PAGE_SIZE } from "./pagination";

// The gateway checks pages of id feeds without loading type-graphql: the checks live in pagination.ts.
export { checkIdPageSize, ID_FEED_FIELDS } from "./pagination";

/**
 * Feeds: compact, service-only queries through which the population department's reports compare the
 * departments' records (DOMAIN.md §5). They exchange pseudonymous person ids and the few facts a rule needs,
 * never whole person records (PIPL Art. 6 minimisation); the persons a report returns are Person references,
 * whose personal fields then come with the analyst's own grants, masking and access log.
 * Only a signed service identity may call them, and every feed is row-filtered by that identity's region
 * (the jurisdiction of the clerk it acts for).
 */
export function requireServiceCaller(caller: Caller, field: string): void {
  if (!isServiceCaller(caller)) throw forbidden(`${field} (a service feed: only departments' services may call it)`);
}

/** An id list sent to a feed: at most a service page, so a report's requests stay bounded by pages. */
export function requireFeedKeys(keys: readonly string[], field: string): string[] {
  if (keys.length > SERVICE_MAX_PAGE_SIZE) {
    throw badUserInput(field, `最多 ${SERVICE_MAX_PAGE_SIZE} 个`, `at most ${SERVICE_MAX_PAGE_SIZE} keys per request`);
  }
  return [...new Set(keys)];
}

/** A list of keys sent to a feed that returns ids only: at most SERVICE_MAX_ID_PAGE_SIZE. */
export function requireIdFeedKeys(keys: readonly string[], field: string): string[] {
  if (keys.length > SERVICE_MAX_ID_PAGE_SIZE) {
    throw badUserInput(field, `最多 ${SERVICE_MAX_ID_PAGE_SIZE} 个`, `at most ${SERVICE_MAX_ID_PAGE_SIZE} keys per request`);
  }
  return [...new Set(keys)];
}

/** Ids a feed sent packed (joined by commas, "" for none) as a list again. */
export function unpackIds(packed: string): string[] {
  return packed === "" ? [] : packed.split(",");
}

/** A page of a feed of ids, ordered by id: `ids` plus where to continue. */
@ObjectType({ description: "One page of a service feed of ids" })
export class IdFeedPage {
  @Field(() => [String])
  ids: string[];

  @Field(() => String, {
    description: "The same ids joined by commas: one string for the gateway and the subgraph to pass on, instead of thousands of list items",
  })
  packed: string;

  @Field(() => String, { nullable: true, description: "The cursor of the next page; null on the last page" })
  next: string | null;
}
