import { badUserInput } from "./errors";
import { isCalendarDate, todayInChina } from "./scalars";
import { requireRegionCode } from "./validation";

/**
 * Argument checks of the eligibility, migrant and statistics reports (DOMAIN.md §5 reports 3–7, 9, 15). Each runs
 * before any SQL or cross-department call and names the argument it rejects.
 */

/** A report year: the platform's records start in 1949 and a year cannot lie ahead. */
export function requireReportYear(year: number, field = "year", today: string = todayInChina()): number {
  const last = Number(today.slice(0, 4));
  if (!Number.isInteger(year) || year < 1949 || year > last) {
    throw badUserInput(field, `年份须在 1949 到 ${last} 之间`, `must be a year between 1949 and ${last}`);
  }
  return year;
}

/** The region prefix of a report: a known division code (a county covers its towns and villages). */
export function requireReportRegion(raw: string, field = "regionCode"): string {
  return requireRegionCode(raw, field);
}

/** The report's day (`asOf`): today in China unless a test or a re-run moves the clock; never in the future. */
export function reportDay(asOf: string | null | undefined, field = "asOf"): string {
  if (asOf == null) return todayInChina();
  if (!isCalendarDate(asOf)) throw badUserInput(field, "日期格式须为 YYYY-MM-DD", "must be a date YYYY-MM-DD");
  return asOf;
}

/** YYYY-MM-DD `years` before `day` (29 February falls back to 28 February). */
export function yearsBefore(day: string, years: number): string {
  const year = String(Number(day.slice(0, 4)) - years).padStart(4, "0");
  const candidate = `${year}${day.slice(4)}`;
  return isCalendarDate(candidate) ? candidate : `${year}-02-28`;
}

/** The next calendar day of a YYYY-MM-DD date. */
export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
