import {
  annualAmountYuan,
  assistanceRateOn,
  ASSISTANCE_RATES,
} from "../../subgraphs/population/src/assistance/assistance-amounts";
import { AssistanceProgram } from "../../subgraphs/population/src/assistance/assistance.enums";
import { amountDateOf } from "../../subgraphs/population/src/assistance/assistance-enrollment.resolver";

const { REWARD_ASSISTANCE, SPECIAL_ASSISTANCE_CHILD_DECEASED, SPECIAL_ASSISTANCE_CHILD_DISABLED } = AssistanceProgram;

describe("奖励扶助 (reward assistance), per person per year", () => {
  it("pays 600 yuan from 2004 to 2008 and 720 from 2009-01-01", () => {
    expect(annualAmountYuan(REWARD_ASSISTANCE, "2004-01-01")).toBe(600);
    expect(annualAmountYuan(REWARD_ASSISTANCE, "2008-12-31")).toBe(600);
    expect(annualAmountYuan(REWARD_ASSISTANCE, "2009-01-01")).toBe(720);
  });

  it("pays 720 yuan until the end of 2011 and 960 from 2012-01-01 on", () => {
    expect(annualAmountYuan(REWARD_ASSISTANCE, "2011-12-31")).toBe(720);
    expect(annualAmountYuan(REWARD_ASSISTANCE, "2012-01-01")).toBe(960);
    expect(annualAmountYuan(REWARD_ASSISTANCE, "2024-06-15")).toBe(960);
  });

  it("pays nothing before the programme began in 2004 (0, not an error)", () => {
    expect(annualAmountYuan(REWARD_ASSISTANCE, "2003-12-31")).toBe(0);
    expect(assistanceRateOn(REWARD_ASSISTANCE, "2003-12-31")).toBeNull();
  });
});

describe("特别扶助 (special assistance), monthly rates paid as 12 months a year", () => {
  it("pays 100 (child deceased) / 80 (child disabled) a month from 2007", () => {
    expect(annualAmountYuan(SPECIAL_ASSISTANCE_CHILD_DECEASED, "2007-01-01")).toBe(1200);
    expect(annualAmountYuan(SPECIAL_ASSISTANCE_CHILD_DISABLED, "2011-12-31")).toBe(960);
  });

  it("pays 135 / 110 a month from 2012-01-01", () => {
    expect(annualAmountYuan(SPECIAL_ASSISTANCE_CHILD_DECEASED, "2012-01-01")).toBe(135 * 12);
    expect(annualAmountYuan(SPECIAL_ASSISTANCE_CHILD_DISABLED, "2012-01-01")).toBe(110 * 12);
  });

  it("changes from 135 / 110 in 2013 to the rural 170 / 150 on 2014-01-01", () => {
    expect(annualAmountYuan(SPECIAL_ASSISTANCE_CHILD_DECEASED, "2013-12-31")).toBe(1620);
    expect(annualAmountYuan(SPECIAL_ASSISTANCE_CHILD_DECEASED, "2014-01-01")).toBe(2040);
    expect(annualAmountYuan(SPECIAL_ASSISTANCE_CHILD_DISABLED, "2013-12-31")).toBe(1320);
    expect(annualAmountYuan(SPECIAL_ASSISTANCE_CHILD_DISABLED, "2014-01-01")).toBe(1800);
  });

  it("pays nothing before the 2007 pilot", () => {
    expect(annualAmountYuan(SPECIAL_ASSISTANCE_CHILD_DECEASED, "2006-12-31")).toBe(0);
    expect(annualAmountYuan(SPECIAL_ASSISTANCE_CHILD_DISABLED, "2006-12-31")).toBe(0);
  });
});

describe("the rate table", () => {
  it("has a rate for every programme and keeps each programme's dates distinct", () => {
    for (const program of Object.values(AssistanceProgram)) {
      const froms = ASSISTANCE_RATES.filter((r) => r.program === program).map((r) => r.from);
      expect(froms.length).toBeGreaterThan(0);
      expect(new Set(froms).size).toBe(froms.length);
    }
  });

  it("rejects a date that is not a real YYYY-MM-DD calendar date", () => {
    expect(() => annualAmountYuan(REWARD_ASSISTANCE, "2013-02-29")).toThrow(RangeError);
    expect(() => annualAmountYuan(REWARD_ASSISTANCE, "2013/01/01")).toThrow(RangeError);
  });
});

describe("the date an enrollment's amount is quoted for", () => {
  it("is today while the enrollment runs, and its last day once it has ended", () => {
    expect(amountDateOf({ until: null }, "2024-06-15")).toBe("2024-06-15");
    expect(amountDateOf({ until: "2030-01-01" }, "2024-06-15")).toBe("2024-06-15");
    expect(amountDateOf({ until: "2010-05-31" }, "2024-06-15")).toBe("2010-05-31");
  });
});
