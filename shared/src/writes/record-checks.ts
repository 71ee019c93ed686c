import type { EntityManager, EntityTarget, ObjectLiteral } from "typeorm";
import { ageOn } from "../auth/authorize";
import { badUserInput, notFound } from "../errors";
import type { ValidIdNumber } from "../id-number";
import { isCalendarDate } from "../scalars";
import { requireIdNumber } from "../validation";
import { requireSexOf } from "./mutation";
import { updateWithVersion } from "./unit-of-work";

/**
 * Input rules the health and population write paths share beyond shared/src/validation.ts and
 * shared/src/writes/mutation.ts. Each names the input field it rejects (`input.motherIdNumber`), in Chinese
 * and English, and runs before anything is written.
 */

/** A citizen ID number (GB 11643) whose sex digit must agree with the role: a mother, woman or wife is female, a father, man or husband male. */
export function requirePersonOfSex(raw: string, sex: "MALE" | "FEMALE", field: string): ValidIdNumber {
  const id = requireIdNumber(raw, field);
  requireSexOf(id, sex, field);
  return id;
}

/** An optional ID number: null when absent or blank. */
export function optionalIdNumber(raw: string | null | undefined, field: string, sex?: "MALE" | "FEMALE"): ValidIdNumber | null {
  if (raw == null || raw.trim() === "") return null;
  return sex ? requirePersonOfSex(raw, sex, field) : requireIdNumber(raw, field);
}

const DOCUMENT_NUMBER = /^[A-Z0-9][A-Z0-9-]*$/;

/** A certificate, permit or case number: upper-case letters, digits and hyphens (a lower-case letter is upper-cased), at most `maxLength`. */
export function requireDocumentNumber(raw: string, field: string, maxLength: number, minLength = 1): string {
  const value = (raw ?? "").trim().toUpperCase();
  if (!value) throw badUserInput(field, "编号不能为空", "number must not be empty");
  if (value.length < minLength || value.length > maxLength || !DOCUMENT_NUMBER.test(value)) {
    throw badUserInput(
      field,
      `编号须为 ${minLength}–${maxLength} 位字母、数字或连字符`,
      `number must be ${minLength} to ${maxLength} letters, digits or hyphens`,
    );
  }
  return value;
}

/** `date` must not be before `earliest` (both YYYY-MM-DD). */
export function requireOnOrAfter(date: string, earliest: string, field: string, messageZh: string, messageEn: string): void {
  if (date < earliest) throw badUserInput(field, messageZh, messageEn);
}

/** An event of a person's life cannot precede their birth (the birth date of their ID number). */
export function requireNotBeforeBirth(date: string, person: ValidIdNumber, field: string, what = "日期"): void {
  requireOnOrAfter(date, person.birthDate, field, `${what}早于本人出生日期 ${person.birthDate}`, `date is before the person's birth (${person.birthDate})`);
}

/** The person's age on `on`, from the ID number's birth date, must lie in [min, max] (max may be omitted). */
export function requireAgeBetween(person: ValidIdNumber, on: string, min: number, max: number | null, field: string, role: string): number {
  const age = ageOn(person.birthDate, on);
  if (age < min || (max !== null && age > max)) {
    const range = max === null ? `${min} 岁及以上` : `${min} 到 ${max} 岁之间`;
    const rangeEn = max === null ? `at least ${min}` : `between ${min} and ${max}`;
    throw badUserInput(field, `${role}在 ${on} 时为 ${age} 岁，须在${range}`, `${role} is ${age} on ${on}; must be ${rangeEn}`);
  }
  return age;
}

export function requireWholeNumber(value: number, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badUserInput(field, `须为 ${min} 到 ${max} 之间的整数`, `must be a whole number from ${min} to ${max}`);
  }
  return value;
}

/** An optional expected version: a non-negative whole number when given. */
export function optionalExpectedVersion(value: number | null | undefined, field: string): number | null {
  if (value == null) return null;
  return requireWholeNumber(value, field, 0, 2_147_483_647);
}

/** The same calendar day `years` later (29 February becomes 28 February in a common year), as YYYY-MM-DD. */
export function addYears(date: string, years: number): string {
  const year = Number(date.slice(0, 4)) + years;
  let candidate = `${String(year).padStart(4, "0")}${date.slice(4)}`;
  if (!isCalendarDate(candidate)) candidate = `${String(year).padStart(4, "0")}-02-28`;
  return candidate;
}

/** The day before a YYYY-MM-DD date. */
export function dayBefore(date: string): string {
  const ms = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) - 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * An update of an existing record with optimistic concurrency. With `expectedVersion` a stale version is
 * VERSION_CONFLICT (updateWithVersion); without it the update applies to the version just read in this
 * transaction, so it still bumps the version and still fails rather than overwrite a concurrent change.
 */
export async function updateVersioned<E extends ObjectLiteral & { version: number }>(
  manager: EntityManager,
  entity: EntityTarget<E>,
  where: Partial<E>,
  current: E,
  expectedVersion: number | null,
  changes: Partial<E>,
  what: string,
): Promise<E> {
  await updateWithVersion(manager, entity, where, expectedVersion ?? current.version, changes, what);
  const updated = await manager.getRepository(entity).findOneBy(where as never);
  if (!updated) throw notFound(what);
  return updated;
}
