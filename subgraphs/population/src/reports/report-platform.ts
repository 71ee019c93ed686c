import type { Caller } from "../../../../shared/src/auth/caller";
import { badUserInput } from "../../../../shared/src/errors";
import { SERVICE_MAX_PAGE_SIZE } from "../../../../shared/src/pagination";
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

/** Runs `fetch` over the keys in chunks of a service page, a few at a time, and concatenates the answers. */
export async function inChunks<Row>(keys: readonly string[], fetch: (chunk: string[]) => Promise<Row[]>): Promise<Row[]> {
  const chunks: string[][] = [];
  for (let start = 0; start < keys.length; start += SERVICE_MAX_PAGE_SIZE) chunks.push(keys.slice(start, start + SERVICE_MAX_PAGE_SIZE));
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

export function birthFeed(caller: Caller, purpose: string, regionCode: string, bornFrom: string | null, bornTo: string | null, birthOrder: number | null = null) {
  return allPages<BirthFact>(async (after) => {
    const data = await queryPlatform<{ birthFeed: { births: BirthFact[]; next: string | null } }>(
      "population",
      caller,
      purpose,
      `query BirthFeed($regionCode: String!, $bornFrom: Date, $bornTo: Date, $birthOrder: Int, $first: Int, $after: String) {
        birthFeed(regionCode: $regionCode, bornFrom: $bornFrom, bornTo: $bornTo, birthOrder: $birthOrder, first: $first, after: $after) {
          births { certificateNumber birthDate birthOrder sex motherId fatherId regionCode } next
        }
      }`,
      { regionCode, bornFrom, bornTo, birthOrder, first: SERVICE_MAX_PAGE_SIZE, after },
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
}

export function hukouPersonFacts(caller: Caller, purpose: string, ids: readonly string[]): Promise<HukouPersonFact[]> {
  return inChunks(ids, async (chunk) => {
    const data = await queryPlatform<{ hukouPersonFacts: HukouPersonFact[] }>(
      "population",
      caller,
      purpose,
      `query HukouPersonFacts($ids: [ID!]!) { hukouPersonFacts(ids: $ids) { id status birthDate sex hukouCancelledOn } }`,
      { ids: chunk },
    );
    return data.hukouPersonFacts;
  });
}

export interface BirthRegistrationFact {
  certificateNumber: string;
  personId: string;
  registeredOn: string;
}

export function birthRegistrationsFor(caller: Caller, purpose: string, certificateNumbers: readonly string[]): Promise<BirthRegistrationFact[]> {
  return inChunks(certificateNumbers, async (chunk) => {
    const data = await queryPlatform<{ birthRegistrationsFor: BirthRegistrationFact[] }>(
      "population",
      caller,
      purpose,
      `query BirthRegistrationsFor($numbers: [ID!]!) { birthRegistrationsFor(certificateNumbers: $numbers) { certificateNumber personId registeredOn } }`,
      { numbers: chunk },
    );
    return data.birthRegistrationsFor;
  });
}

export function hukouPersonIds(caller: Caller, purpose: string, regionCode: string): Promise<string[]> {
  return allPages<string>(async (after) => {
    const data = await queryPlatform<{ hukouPersonIds: { ids: string[]; next: string | null } }>(
      "population",
      caller,
      purpose,
      `query HukouPersonIds($regionCode: String!, $first: Int, $after: String) {
        hukouPersonIds(regionCode: $regionCode, first: $first, after: $after) { ids next }
      }`,
      { regionCode, first: SERVICE_MAX_PAGE_SIZE, after },
    );
    return { rows: data.hukouPersonIds.ids, next: data.hukouPersonIds.next };
  });
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

/** The ISO date `days` days before `date`. */
export function daysBefore(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

export function minDate(a: string, b: string): string {
  return a < b ? a : b;
}
