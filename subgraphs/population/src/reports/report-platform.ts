import type { Caller } from "../../../../shared/src/auth/caller";
import { badUserInput } from "../../../../shared/src/errors";
import { SERVICE_MAX_PAGE_SIZE } from "../../../../shared/src/pagination";
import { unpackIds } from "../../../../shared/src/feeds";
import { queryPlatform } from "../../../../shared/src/platform-client";
import { todayInChina } from "../../../../shared/src/scalars";
import { requireDateOrder, requireRegionCode } from "../../../../shared/src/validation";

/**
 * How the reconciliation reports read the other departments: through the gateway, as the population
 * department's service acting for the analyst, over the departments' compact feeds (shared/src/feeds.ts).
 * A report costs a number of requests bounded by departments × pages (of SERVICE_MAX_PAGE_SIZE rows or ids),
 * never by the number of rows.
 */
const CONCURRENCY = 4;

/** Every page of a feed: `fetch(after)` returns one page and the cursor of the next (null at the end). */
export async function allPages<Row>(fetch: (after: string | null) => Promise<{ rows: Row[]; next: string | null }>): Promise<Row[]> {
  const rows: Row[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await fetch(after);
    rows.push(...page.rows);
    if (!page.next) return rows;
    after = page.next;
  }
}

/** Runs `fetch` over the keys in chunks of a service page (or `size`), a few at a time, and concatenates the answers. */
export async function inChunks<Key, Row>(keys: readonly Key[], fetch: (chunk: Key[]) => Promise<Row[]>, size = SERVICE_MAX_PAGE_SIZE): Promise<Row[]> {
  const chunks: Key[][] = [];
  for (let start = 0; start < keys.length; start += size) chunks.push(keys.slice(start, start + size));
  const results: Row[][] = new Array(chunks.length);
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      const index = next++;
      results[index] = await fetch(chunks[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, chunks.length) }, worker));
  return results.flat();
}

export interface BirthFact {
  certificateNumber: string;
  birthDate: string;
  birthOrder: number;
  sex: string;
  motherId: string;
  fatherId: string | null;
  regionCode: string;
}

/**
 * Birth certificates of mothers under a region. `orders`: only one 孩次 (a number, or `birthOrder`) or those from
 * one on (`minBirthOrder`); null: all. `fields`: the certificate's personal fields to read besides its number and the parents' ids
 * (each one read is logged in health's access log for the parents; none: nothing is logged).
 */
export function birthFeed(
  caller: Caller,
  purpose: string,
  regionCode: string,
  bornFrom: string | null,
  bornTo: string | null,
  orders: number | null | { birthOrder?: number; minBirthOrder?: number } = null,
  fields: readonly ("birthDate" | "birthOrder" | "sex")[] = ["birthDate", "birthOrder", "sex"],
) {
  const { birthOrder = null, minBirthOrder = null } = typeof orders === "number" ? { birthOrder: orders } : (orders ?? {});
  return allPages<BirthFact>(async (after) => {
    const data = await queryPlatform<{ birthFeed: { births: BirthFact[]; next: string | null } }>(
      "population",
      caller,
      purpose,
      `query BirthFeed($regionCode: String!, $bornFrom: Date, $bornTo: Date, $birthOrder: Int, $minBirthOrder: Int, $first: Int, $after: String) {
        birthFeed(regionCode: $regionCode, bornFrom: $bornFrom, bornTo: $bornTo, birthOrder: $birthOrder, minBirthOrder: $minBirthOrder, first: $first, after: $after) {
          births { certificateNumber motherId fatherId regionCode ${fields.join(" ")} } next
        }
      }`,
      { regionCode, bornFrom, bornTo, birthOrder, minBirthOrder, first: SERVICE_MAX_PAGE_SIZE, after },
    );
    return { rows: data.birthFeed.births, next: data.birthFeed.next };
  });
}

export interface HukouPersonFact {
  id: string;
  status: string;
  birthDate: string;
  sex: string;
  hukouCancelledOn: string | null;
  /** 迁入地 of the latest 迁出, for a person whose hukou moved out. */
  hukouMovedTo: string | null;
}

/**
 * The facts public-security holds about the given persons (those in its register and the jurisdiction). Ask only
 * for the fields a rule needs: each personal field returned is written to public-security's access log for its
 * person; `id` alone (whether the person is in the register) is not personal data and is not logged.
 */
export function hukouPersonFacts<Field extends Exclude<keyof HukouPersonFact, "id">>(
  caller: Caller,
  purpose: string,
  ids: readonly string[],
  fields: readonly Field[] = ["status", "birthDate", "sex", "hukouCancelledOn"] as Field[],
  options: { leftOnly?: boolean } = {},
): Promise<Pick<HukouPersonFact, "id" | Field>[]> {
  return inChunks(ids, async (chunk) => {
    const data = await queryPlatform<{ hukouPersonFacts: Pick<HukouPersonFact, "id" | Field>[] }>(
      "population",
      caller,
      purpose,
      `query HukouPersonFacts($ids: [ID!]!, $leftOnly: Boolean) { hukouPersonFacts(ids: $ids, leftOnly: $leftOnly) { id ${fields.join(" ")} } }`,
      { ids: chunk, leftOnly: options.leftOnly ?? false },
    );
    return data.hukouPersonFacts;
  });
}

/** A 落户 made from a birth certificate: which certificate, which child (the reports need no more). */
export interface BirthRegistrationFact {
  certificateNumber: string;
  personId: string;
}

export function birthRegistrationsFor(caller: Caller, purpose: string, certificateNumbers: readonly string[]): Promise<BirthRegistrationFact[]> {
  return inChunks(certificateNumbers, async (chunk) => {
    const data = await queryPlatform<{ birthRegistrationsFor: BirthRegistrationFact[] }>(
      "population",
      caller,
      purpose,
      `query BirthRegistrationsFor($numbers: [ID!]!) { birthRegistrationsFor(certificateNumbers: $numbers) { certificateNumber personId } }`,
      { numbers: chunk },
    );
    return data.birthRegistrationsFor;
  });
}

/** Public-security's own checks of its register (identityAudit): per rule, the violations and some ids. */
export interface IdentityAudit {
  checkedPersons: number;
  rules: { code: string; violations: number; sampleIds: string[] }[];
}

/**
 * Public-security's checks over one range of ids (after, through]: its identity checks of its persons under the
 * region in the range, and a set comparison with one page of population's register (population sends the ids
 * it holds as having their hukou under the region in the range; public-security answers with its persons under
 * the region in the range that were not sent, and the ids sent that it does not hold at all). Ids only, both ways.
 */
export async function hukouRegisterRangeAudit(
  caller: Caller,
  purpose: string,
  regionCode: string,
  range: { after: string | null; through: string | null },
  ids: readonly string[],
  samples: number,
  today: string,
): Promise<{ notAmongSent: string[]; unknown: string[]; identity: IdentityAudit }> {
  const data = await queryPlatform<{ hukouRegisterRangeAudit: { notAmongSent: string; unknown: string; identity: IdentityAudit } }>(
    "population",
    caller,
    purpose,
    `query HukouRegisterRangeAudit($regionCode: String!, $after: String, $through: String, $ids: String!, $samples: Int!, $today: Date) {
      hukouRegisterRangeAudit(regionCode: $regionCode, after: $after, through: $through, packedIds: $ids, samples: $samples, today: $today) {
        notAmongSent unknown identity { checkedPersons rules { code violations sampleIds } }
      }
    }`,
    { regionCode, after: range.after, through: range.through, ids: ids.join(","), samples, today },
  );
  const page = data.hukouRegisterRangeAudit;
  return { notAmongSent: unpackIds(page.notAmongSent), unknown: unpackIds(page.unknown), identity: page.identity };
}

/**
 * Walks one of population's own tables in pages of `size` rows in key order (`read(after, limit)`: the rows
 * with a key after `after`, at most `limit`), handing each page and the range of keys it covers to `handle`
 * while the next page is read. At most `inFlight` pages are being handled at once, so a report over a whole
 * county holds a few pages in memory, never the table. The ranges (after, through] cover every key once: the
 * first starts unbounded (after = null), the last ends unbounded (through = null), even for an empty table,
 * so another department can compare its own rows range by range.
 */
export async function forEachKeyRange<Row>(
  read: (after: string | null, limit: number) => Promise<Row[]>,
  keyOf: (row: Row) => string,
  size: number,
  handle: (rows: Row[], range: { after: string | null; through: string | null }) => Promise<void>,
  inFlight = 2,
): Promise<void> {
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | null = null;
  try {
    let after: string | null = null;
    for (;;) {
      const rows = await read(after, size + 1);
      const page = rows.length > size ? rows.slice(0, size) : rows;
      const through = rows.length > size ? keyOf(page[page.length - 1]) : null;
      const task: Promise<void> = handle(page, { after, through }).then(
        () => void running.delete(task),
        (error: unknown) => {
          failure ??= { error };
          running.delete(task);
        },
      );
      running.add(task);
      while (running.size >= inFlight && !failure) await Promise.race(running);
      if (failure || through === null) break;
      after = through;
    }
  } finally {
    await Promise.all(running);
  }
  if (failure) throw (failure as { error: unknown }).error;
}

export interface DeathFact {
  personId: string;
  deathDate: string;
}

export function deathFeed(caller: Caller, purpose: string, regionCode: string, from: string | null, to: string | null): Promise<DeathFact[]> {
  return allPages<DeathFact>(async (after) => {
    const data = await queryPlatform<{ deathFeed: { deaths: DeathFact[]; next: string | null } }>(
      "population",
      caller,
      purpose,
      `query DeathFeed($regionCode: String!, $from: Date, $to: Date, $first: Int, $after: String) {
        deathFeed(regionCode: $regionCode, from: $from, to: $to, first: $first, after: $after) { deaths { personId deathDate } next }
      }`,
      { regionCode, from, to, first: SERVICE_MAX_PAGE_SIZE, after },
    );
    return { rows: data.deathFeed.deaths, next: data.deathFeed.next };
  });
}

export interface MaritalStatusFact {
  personId: string;
  status: string;
  firstMarriedOn: string | null;
}

export function maritalStatusesFor(caller: Caller, purpose: string, personIds: readonly string[]): Promise<MaritalStatusFact[]> {
  return inChunks(personIds, async (chunk) => {
    const data = await queryPlatform<{ maritalStatusesFor: MaritalStatusFact[] }>(
      "population",
      caller,
      purpose,
      `query MaritalStatusesFor($ids: [ID!]!) { maritalStatusesFor(personIds: $ids) { personId status firstMarriedOn } }`,
      { ids: chunk },
    );
    return data.maritalStatusesFor;
  });
}

/**
 * Of the persons whose marital status population's register holds (`claims`: person id → status), those whose
 * status by civil-affairs' registrations differs, with that status. The comparison runs in civil-affairs, so
 * only the disagreeing persons' statuses come back (and are logged there), in requests of MARITAL_CLAIMS_PER_REQUEST
 * persons.
 */
export function maritalStatusMismatches(caller: Caller, purpose: string, claims: ReadonlyMap<string, string>): Promise<{ personId: string; status: string }[]> {
  // In id order: each request then covers one range of ids, which civil-affairs can read as a range.
  const sorted = [...claims].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return inChunks(
    sorted,
    async (chunk) => {
      const byStatus = new Map<string, string[]>();
      for (const [id, status] of chunk) {
        const ids = byStatus.get(status);
        if (ids) ids.push(id);
        else byStatus.set(status, [id]);
      }
      const data = await queryPlatform<{ maritalStatusMismatches: { personId: string; status: string }[] }>(
        "population",
        caller,
        purpose,
        `query MaritalStatusMismatches($claims: [MaritalStatusClaim!]!) { maritalStatusMismatches(claims: $claims) { personId status } }`,
        { claims: [...byStatus].map(([status, personIds]) => ({ status, packedPersonIds: personIds.join(",") })) },
      );
      return data.maritalStatusMismatches;
    },
    MARITAL_CLAIMS_PER_REQUEST,
  );
}
/** Claims per request: 25,000 ids of 33 characters are about 0.8 MB, under the services' 1 MB request body limit. */
export const MARITAL_CLAIMS_PER_REQUEST = 25_000;

// ---------------------------------------------------------------------------------------------------------
// Arguments every report shares, checked before anything is read.

export function reportRegion(regionCode: string): string {
  return requireRegionCode(regionCode, "regionCode");
}

export function reportPeriod(from: string, to: string, toField: string): void {
  requireDateOrder(from, to, toField);
}

export function reportToday(today: string | null | undefined): string {
  return today ?? todayInChina();
}

export function requireDays(value: number, field: string, max = 3650): number {
  if (!Number.isInteger(value) || value < 0 || value > max) throw badUserInput(field, `须为 0 到 ${max} 之间的整数`, `must be an integer between 0 and ${max}`);
  return value;
}

/** The ISO date `days` days after `date`. */
export function daysAfter(date: string, days: number): string {
  return daysBefore(date, -days);
}

/** Whole days from one ISO date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The ISO date `days` days before `date`. */
export function daysBefore(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

export function minDate(a: string, b: string): string {
  return a < b ? a : b;
}
