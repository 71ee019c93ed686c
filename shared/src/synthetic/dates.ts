/**
 * Calendar arithmetic on day numbers (days since 1970-01-01, UTC) for the synthetic county. Working on integers
 * keeps the generator fast and free of time zones; rows get ISO strings (YYYY-MM-DD) from `iso`, which are
 * cached so that 330,000 people share a few tens of thousands of date strings.
 */

const MS_PER_DAY = 86_400_000;
const CACHE_FROM = dayOf("1880-01-01");
const CACHE_TO = dayOf("2100-12-31");
const cache: (string | undefined)[] = new Array(CACHE_TO - CACHE_FROM + 1);

/** Day number of an ISO date (YYYY-MM-DD). Throws on anything else. */
export function dayOf(isoDate: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) throw new RangeError(`expected a YYYY-MM-DD date, got ${JSON.stringify(isoDate)}`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new RangeError(`not a calendar date: ${isoDate}`);
  }
  return Math.round(ms / MS_PER_DAY);
}

/** Day number of year/month(1–12)/day. */
export function dayFromParts(year: number, month: number, day: number): number {
  return Math.round(Date.UTC(year, month - 1, day) / MS_PER_DAY);
}

/** ISO date (YYYY-MM-DD) of a day number. */
export function iso(day: number): string {
  const i = day - CACHE_FROM;
  if (i >= 0 && i < cache.length) {
    const hit = cache[i];
    if (hit !== undefined) return hit;
    return (cache[i] = new Date(day * MS_PER_DAY).toISOString().slice(0, 10));
  }
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function yearOf(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

/** The same calendar day n years later (29 February becomes 28 February in a common year). */
export function addYears(day: number, years: number): number {
  const date = new Date(day * MS_PER_DAY);
  const y = date.getUTCFullYear() + years;
  const m = date.getUTCMonth();
  let d = date.getUTCDate();
  if (m === 1 && d === 29 && !isLeap(y)) d = 28;
  return Math.round(Date.UTC(y, m, d) / MS_PER_DAY);
}

/** Completed years of age on `on` for someone born on `birth`. */
export function ageOn(birth: number, on: number): number {
  const b = new Date(birth * MS_PER_DAY);
  const o = new Date(on * MS_PER_DAY);
  let age = o.getUTCFullYear() - b.getUTCFullYear();
  if (o.getUTCMonth() < b.getUTCMonth() || (o.getUTCMonth() === b.getUTCMonth() && o.getUTCDate() < b.getUTCDate())) age--;
  return age;
}

/** First day of the month after `day` (payments and enrollments start on the 1st). */
export function firstOfNextMonth(day: number): number {
  const d = new Date(day * MS_PER_DAY);
  return Math.round(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / MS_PER_DAY);
}

export function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
