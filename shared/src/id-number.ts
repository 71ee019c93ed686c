/**
 * Citizen ID number (公民身份号码, GB 11643-1999) validation.
 *
 * Layout of the 18-character number:
 *   positions 1–6   address code (hukou county at the time of issue)
 *   positions 7–14  birth date YYYYMMDD
 *   positions 15–17 sequence; position 17 odd = male, even = female
 *   position 18     check character, "10X98765432"[Σ dᵢ·wᵢ mod 11]
 * The older 15-digit form (GB 11643-1989) has a 2-digit year (19YY) and no
 * check character.
 *
 * Why not an npm package: `id-validator` accepts impossible and future birth
 * dates (e.g. Feb 31) and its code table is stale; `idcard` rejects a
 * lowercase "x" check character, which people type all the time. Both also
 * tie validity to a division-code table. We never do that here: the address
 * code is the county at the time of issue and stays on the ID for life
 * (130182 藁城市 became 130109 in 2014 but the old IDs are still valid), so
 * the address code is only checked for being 6 digits.
 */

export type IdNumberProblem = "EMPTY" | "FORMAT" | "CHECKSUM" | "BIRTH_DATE_INVALID" | "BIRTH_DATE_IN_FUTURE";

export interface ValidIdNumber {
  ok: true;
  /** 18 characters, check character upper-case. */
  normalized: string;
  /** 6 digits; not checked against any division list. */
  addressCode: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: "MALE" | "FEMALE";
  upgradedFrom15: boolean;
}

export interface InvalidIdNumber {
  ok: false;
  problem: IdNumberProblem;
  messageZh: string;
  messageEn: string;
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = "10X98765432";
const EARLIEST_BIRTH_DATE = "1850-01-01";

/** Check character for the first 17 digits. Throws RangeError unless given exactly 17 digits. */
export function checkCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) {
    throw new RangeError(`checkCharacter needs exactly 17 digits, got ${JSON.stringify(first17)}`);
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/** Upgrades a 15-digit (GB 11643-1989) number: inserts "19" before the 2-digit year and appends the check character. */
export function upgradeFifteenDigit(raw15: string): string {
  const s = raw15.trim();
  if (!/^\d{15}$/.test(s)) {
    throw new RangeError(`upgradeFifteenDigit needs exactly 15 digits, got ${JSON.stringify(raw15)}`);
  }
  const first17 = s.slice(0, 6) + "19" + s.slice(6);
  return first17 + checkCharacter(first17);
}

/**
 * Masks an ID number for display: first 6 + "********" + last 4 for an
 * 18-character number (522328********1234). Other lengths keep the first 6
 * and last 4 and star the rest; inputs of 10 characters or fewer are
 * starred completely so nothing leaks.
 */
export function maskIdNumber(idNumber: string): string {
  const s = idNumber.trim().toUpperCase();
  if (s.length <= 10) return "*".repeat(s.length);
  return s.slice(0, 6) + "*".repeat(s.length - 10) + s.slice(-4);
}

/**
 * Builds a valid 18-character number (for synthetic data). The caller picks
 * the sequence; its parity gives the sex (odd = male, even = female).
 * Throws RangeError for a malformed address code, an impossible date or a
 * sequence outside 0..999.
 */
export function makeIdNumber(addressCode: string, birthDate: string, sequence: number): string {
  if (!/^\d{6}$/.test(addressCode)) {
    throw new RangeError(`addressCode must be 6 digits, got ${JSON.stringify(addressCode)}`);
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!m || !isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    throw new RangeError(`birthDate must be a real YYYY-MM-DD date, got ${JSON.stringify(birthDate)}`);
  }
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > 999) {
    throw new RangeError(`sequence must be an integer 0..999, got ${sequence}`);
  }
  const first17 = addressCode + m[1] + m[2] + m[3] + String(sequence).padStart(3, "0");
  return first17 + checkCharacter(first17);
}

/**
 * Validates an ID number. `today` (default: now, local time) is the
 * reference for rejecting future birth dates. Checks run in this order:
 * empty, format, check character, birth date. A 15-digit number is upgraded
 * first, so it can only fail on its birth date.
 */
export function checkIdNumber(raw: string, today: Date = new Date()): ValidIdNumber | InvalidIdNumber {
  const s = (raw ?? "").trim().toUpperCase();
  if (s === "") return invalid("EMPTY", "身份证号码为空", "ID number is empty");

  let normalized: string;
  let upgradedFrom15 = false;
  if (/^\d{15}$/.test(s)) {
    normalized = upgradeFifteenDigit(s);
    upgradedFrom15 = true;
  } else if (/^\d{17}[\dX]$/.test(s)) {
    normalized = s;
    if (checkCharacter(s.slice(0, 17)) !== s[17]) {
      return invalid("CHECKSUM", "校验码错误", "check character does not match");
    }
  } else {
    return invalid(
      "FORMAT",
      "格式错误：应为18位（末位可为X）或15位数字",
      "must be 17 digits plus a digit or X, or 15 digits",
    );
  }

  const year = Number(normalized.slice(6, 10));
  const month = Number(normalized.slice(10, 12));
  const day = Number(normalized.slice(12, 14));
  if (!isCalendarDate(year, month, day)) {
    return invalid("BIRTH_DATE_INVALID", "出生日期不存在", "birth date is not a real date");
  }
  const birthDate = `${normalized.slice(6, 10)}-${normalized.slice(10, 12)}-${normalized.slice(12, 14)}`;
  if (birthDate < EARLIEST_BIRTH_DATE) {
    return invalid("BIRTH_DATE_INVALID", "出生日期早于1850年", "birth date is before 1850-01-01");
  }
  if (birthDate > localIsoDate(today)) {
    return invalid("BIRTH_DATE_IN_FUTURE", "出生日期晚于当前日期", "birth date is in the future");
  }

  return {
    ok: true,
    normalized,
    addressCode: normalized.slice(0, 6),
    birthDate,
    sex: Number(normalized[16]) % 2 === 1 ? "MALE" : "FEMALE",
    upgradedFrom15,
  };
}

function invalid(problem: IdNumberProblem, messageZh: string, messageEn: string): InvalidIdNumber {
  return { ok: false, problem, messageZh, messageEn };
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return day <= days;
}

function localIsoDate(d: Date): string {
  const y = String(d.getFullYear()).padStart(4, "0");
  const m = String(d.getMonth() + 1).padStart(2, "0");
  const day = String(d.getDate()).padStart(2, "0");
  return `${y}-${m}-${day}`;
}
