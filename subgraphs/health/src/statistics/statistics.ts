import { numberSetting } from "../../../../shared/src/config";

/** DOMAIN.md §1: the normal sex ratio at birth is 103–107 boys per 100 girls. */
export const NORMAL_SEX_RATIO = { low: 103, high: 107 } as const;

/**
 * Below this many births a ratio says little (village counts are tiny: DOMAIN.md §1), so it is not published;
 * the counts always are. Configurable because counties pool differently.
 */
export function minimumBirthsForRatio(env: NodeJS.ProcessEnv = process.env): number {
  return numberSetting("SEX_RATIO_MIN_BIRTHS", 100, env);
}

export interface SexRatioFigures {
  ratio: number | null;
  suppressed: boolean;
  outsideNormalRange: boolean;
}

/** The published figures for `male` and `female` live births: rounded to one decimal, or suppressed. */
export function sexRatioOf(male: number, female: number, minimumBirths: number = minimumBirthsForRatio()): SexRatioFigures {
  const suppressed = male + female < minimumBirths;
  if (suppressed || female === 0) return { ratio: null, suppressed, outsideNormalRange: false };
  const ratio = Math.round((male / female) * 1000) / 10;
  return { ratio, suppressed, outsideNormalRange: ratio < NORMAL_SEX_RATIO.low || ratio > NORMAL_SEX_RATIO.high };
}

/** Coverage in per cent, one decimal; no target set = 0. */
export function coverageRate(completed: number, target: number): number {
  return target > 0 ? Math.round((completed / target) * 1000) / 10 : 0;
}
