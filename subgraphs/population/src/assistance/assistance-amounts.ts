import { isCalendarDate } from "../../../../shared/src/scalars";
import { AssistanceProgram } from "./assistance.enums";

/**
 * One dated national standard: it applies from `from` (inclusive) until the next row of the same programme.
 * Amounts are per recipient (each parent is paid separately). DOMAIN.md asks for rules as dated parameters,
 * so a new standard is a new row, and past payments keep the rate that applied on their date.
 */
export interface AssistanceRate {
  program: AssistanceProgram;
  /** YYYY-MM-DD, first day the rate applies. */
  from: string;
  amountYuan: number;
  per: "year" | "month";
  /** Where the figure comes from, and whether DOMAIN.md marks it verified [V] or an assumption [U]. */
  source: string;
  verified: boolean;
}

/**
 * National floors only; provinces and counties may top them up (e.g. Anhui 2022: 5,400 / 4,200 a year), which
 * would be region-scoped rows added here. The 2014 特别扶助 rows are the rural standard (170 / 150 a month);
 * the urban standard of that year (340 / 270) is not modelled until enrollments record the hukou type.
 */
export const ASSISTANCE_RATES: readonly AssistanceRate[] = [
  { program: AssistanceProgram.REWARD_ASSISTANCE, from: "2004-01-01", amountYuan: 600, per: "year", source: "国办发〔2004〕21号", verified: true },
  { program: AssistanceProgram.REWARD_ASSISTANCE, from: "2009-01-01", amountYuan: 720, per: "year", source: "national standard 2009", verified: true },
  { program: AssistanceProgram.REWARD_ASSISTANCE, from: "2012-01-01", amountYuan: 960, per: "year", source: "national standard 2012", verified: true },

  { program: AssistanceProgram.SPECIAL_ASSISTANCE_CHILD_DECEASED, from: "2007-01-01", amountYuan: 100, per: "month", source: "特别扶助 2007 pilot floor", verified: true },
  { program: AssistanceProgram.SPECIAL_ASSISTANCE_CHILD_DECEASED, from: "2012-01-01", amountYuan: 135, per: "month", source: "national standard 2012", verified: false },
  { program: AssistanceProgram.SPECIAL_ASSISTANCE_CHILD_DECEASED, from: "2014-01-01", amountYuan: 170, per: "month", source: "national standard 2014, rural", verified: false },

  { program: AssistanceProgram.SPECIAL_ASSISTANCE_CHILD_DISABLED, from: "2007-01-01", amountYuan: 80, per: "month", source: "特别扶助 2007 pilot floor", verified: true },
  { program: AssistanceProgram.SPECIAL_ASSISTANCE_CHILD_DISABLED, from: "2012-01-01", amountYuan: 110, per: "month", source: "national standard 2012", verified: false },
  { program: AssistanceProgram.SPECIAL_ASSISTANCE_CHILD_DISABLED, from: "2014-01-01", amountYuan: 150, per: "month", source: "national standard 2014, rural", verified: false },
];

/** The rate in force for a programme on a date, or null before the programme existed. */
export function assistanceRateOn(
  program: AssistanceProgram,
  onDate: string,
  rates: readonly AssistanceRate[] = ASSISTANCE_RATES,
): AssistanceRate | null {
  if (!isCalendarDate(onDate)) throw new RangeError(`onDate must be a calendar date YYYY-MM-DD, got ${JSON.stringify(onDate)}`);
  let current: AssistanceRate | null = null;
  for (const rate of rates) {
    // YYYY-MM-DD strings order like the dates they name.
    if (rate.program === program && rate.from <= onDate && (current === null || rate.from > current.from)) current = rate;
  }
  return current;
}

/**
 * The annual amount per person in yuan on a date (monthly rates × 12). Before a programme began
 * (奖励扶助 2004-01-01, 特别扶助 2007-01-01) nothing was payable, so the answer is 0 rather than an error:
 * a report over old enrollments then shows 0 for those years instead of failing as a whole.
 * A malformed date is a programming error and throws a RangeError.
 */
export function annualAmountYuan(program: AssistanceProgram, onDate: string): number {
  const rate = assistanceRateOn(program, onDate);
  if (!rate) return 0;
  return rate.per === "month" ? rate.amountYuan * 12 : rate.amountYuan;
}
