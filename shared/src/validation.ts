import { badUserInput } from "./errors";
import { checkIdNumber, type ValidIdNumber } from "./id-number";
import { PERSON_ID_PATTERN } from "./person-id";
import { findRegion, normalizeRegionCode } from "./regions";
import { todayInChina } from "./scalars";

/**
 * Argument checks shared by every subgraph. Each runs before any SQL and names the argument or input
 * field it rejects, so that a clerk can see which box of the form to correct.
 */
export function requireIdNumber(raw: string, field: string, today?: Date): ValidIdNumber {
  const result = checkIdNumber(raw, today);
  if (!result.ok) throw badUserInput(field, `公民身份号码无效：${result.messageZh}`, `invalid citizen ID number: ${result.messageEn}`);
  return result;
}

/** A division code that must exist in the division list (where a record is made, a filter's region). */
export function requireRegionCode(raw: string, field: string): string {
  const code = normalizeRegionCode(raw);
  if (code === null) throw badUserInput(field, "行政区划代码格式错误", "division code must have 2, 4, 6, 9 or 12 digits");
  if (!findRegion(code)) throw badUserInput(field, `未知的行政区划代码 ${code}`, `unknown division code ${code}`);
  return code;
}

export function requirePersonId(raw: string, field: string): string {
  if (!PERSON_ID_PATTERN.test(raw)) throw badUserInput(field, "人员标识格式错误", "is not a person id");
  return raw;
}

export function requireNotFuture(date: string, field: string, now?: Date): string {
  if (date > todayInChina(now)) throw badUserInput(field, "日期不能晚于今天", "date must not be in the future");
  return date;
}

export function requireDateOrder(from: string | null | undefined, to: string | null | undefined, field: string): void {
  if (from && to && from > to) throw badUserInput(field, "起始日期晚于结束日期", "start date is after the end date");
}

export function requireText(value: string, field: string, maxLength: number): string {
  const trimmed = value.trim();
  if (!trimmed) throw badUserInput(field, "不能为空", "must not be empty");
  if ([...trimmed].length > maxLength) throw badUserInput(field, `长度不能超过 ${maxLength}`, `must be at most ${maxLength} characters`);
  return trimmed;
}
