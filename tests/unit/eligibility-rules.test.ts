import { AssistanceProgram } from "../../subgraphs/population/src/assistance/assistance.enums";
import { type EligibilityInput, type IdentityFacts, factsFor } from "../../subgraphs/population/src/reports/eligibility/eligibility.rules";
import { coverageRate, sexRatioOf } from "../../subgraphs/health/src/statistics/statistics";

const DAY = "2025-12-31";
const person = (over: Partial<IdentityFacts> = {}): IdentityFacts => ({ sex: "FEMALE", birthDate: "1960-06-01", status: "ACTIVE", hukouType: "RURAL", ...over });
const alive = { deathDate: null, disabilityCertificates: [] };

function reward(over: Partial<EligibilityInput> = {}): EligibilityInput {
  return {
    identity: person(),
    civil: alive,
    children: { sons: 1, daughters: 0 },
    outOfPolicyBirths: [],
    onlyChildCertificate: null,
    otherParent: null,
    child: null,
    ...over,
  };
}

function check(program: AssistanceProgram, input: EligibilityInput, personId = "self") {
  const facts = factsFor(program, input, DAY, personId);
  return { eligible: facts.every((f) => f.satisfied), failed: facts.filter((f) => !f.satisfied).map((f) => `${f.rule}@${f.source}`) };
}

describe("奖励扶助 rules", () => {
  it("turns on the 60th birthday: aged 59 the day before is refused by public-security's birth date", () => {
    expect(check(AssistanceProgram.REWARD_ASSISTANCE, reward({ identity: person({ birthDate: "1966-01-01" }) }))).toEqual({
      eligible: false,
      failed: ["aged 60 or over@PUBLIC_SECURITY"],
    });
    expect(check(AssistanceProgram.REWARD_ASSISTANCE, reward({ identity: person({ birthDate: "1965-12-31" }) })).eligible).toBe(true);
  });

  it("needs a birth on or after 1933-01-01", () => {
    expect(check(AssistanceProgram.REWARD_ASSISTANCE, reward({ identity: person({ birthDate: "1932-12-31" }) })).failed).toEqual([
      "born on or after 1933-01-01@PUBLIC_SECURITY",
    ]);
    expect(check(AssistanceProgram.REWARD_ASSISTANCE, reward({ identity: person({ birthDate: "1933-01-01" }) })).eligible).toBe(true);
  });

  it("accepts two girls or one child, refuses a boy and a girl (population's register decides)", () => {
    expect(check(AssistanceProgram.REWARD_ASSISTANCE, reward({ children: { sons: 0, daughters: 2 } })).eligible).toBe(true);
    expect(check(AssistanceProgram.REWARD_ASSISTANCE, reward({ children: { sons: 0, daughters: 1 } })).eligible).toBe(true);
    expect(check(AssistanceProgram.REWARD_ASSISTANCE, reward({ children: { sons: 1, daughters: 1 } })).failed).toEqual(["one child or two daughters@POPULATION"]);
    expect(check(AssistanceProgram.REWARD_ASSISTANCE, reward({ children: null })).failed).toEqual(["one child or two daughters@POPULATION"]);
  });

  it("needs a rural hukou", () => {
    expect(check(AssistanceProgram.REWARD_ASSISTANCE, reward({ identity: person({ hukouType: "URBAN" }) })).failed).toEqual(["rural hukou@PUBLIC_SECURITY"]);
  });

  it("refuses an out-of-policy birth 1973–2001 but not one decided for 2005", () => {
    expect(check(AssistanceProgram.REWARD_ASSISTANCE, reward({ outOfPolicyBirths: ["1985-03-01"] })).failed).toEqual(["no out-of-policy birth 1973–2001@POPULATION"]);
    expect(check(AssistanceProgram.REWARD_ASSISTANCE, reward({ outOfPolicyBirths: ["2005-03-01"] })).eligible).toBe(true);
  });

  it("refuses the dead: civil-affairs' registration and public-security's cancelled hukou each decide", () => {
    expect(check(AssistanceProgram.REWARD_ASSISTANCE, reward({ civil: { ...alive, deathDate: "2024-05-01" } })).failed).toEqual(["no death registered@CIVIL_AFFAIRS"]);
    expect(check(AssistanceProgram.REWARD_ASSISTANCE, reward({ identity: person({ status: "DECEASED" }) })).failed).toEqual(["hukou active@PUBLIC_SECURITY"]);
    expect(check(AssistanceProgram.REWARD_ASSISTANCE, reward({ identity: null, civil: null })).eligible).toBe(false);
  });

  it("gives every fact a detail a clerk can read", () => {
    const facts = factsFor(AssistanceProgram.REWARD_ASSISTANCE, reward(), DAY, "self");
    expect(facts.map((f) => f.rule)).toEqual([
      "hukou active",
      "no death registered",
      "rural hukou",
      "born on or after 1933-01-01",
      "aged 60 or over",
      "one child or two daughters",
      "no out-of-policy birth 1973–2001",
    ]);
    expect(facts.find((f) => f.rule === "aged 60 or over")!.detail).toContain("65");
  });
});

describe("特别扶助 rules", () => {
  const certificate = { number: "DZ1", fatherId: "father", motherId: "self", childId: "child" };
  const father = { identity: person({ sex: "MALE", birthDate: "1958-01-01" }), civil: alive };
  const child = (civil: EligibilityInput["civil"], over: Partial<IdentityFacts> = {}) => ({ identity: person({ birthDate: "1985-01-01", ...over }), civil });
  const special = (over: Partial<EligibilityInput> = {}): EligibilityInput =>
    reward({ identity: person({ birthDate: "1970-01-01" }), onlyChildCertificate: certificate, otherParent: father, ...over });
  const grade = (g: number) => ({ deathDate: null, disabilityCertificates: [{ certificateNumber: `C${g}`, grade: g, issuedOn: "2010-01-01", revokedOn: null }] });

  it("an only child deceased qualifies for the child-deceased programme, not for the child-disabled one", () => {
    const input = special({ child: child({ deathDate: "2015-02-01", disabilityCertificates: [] }, { status: "DECEASED" }) });
    expect(check(AssistanceProgram.SPECIAL_ASSISTANCE_CHILD_DECEASED, input).eligible).toBe(true);
    expect(check(AssistanceProgram.SPECIAL_ASSISTANCE_CHILD_DISABLED, input).failed).toEqual(["only child disabled, grade 1–3@CIVIL_AFFAIRS"]);
  });

  it("a disabled child qualifies at grade 3, not at grade 4; a withdrawn certificate no longer counts", () => {
    expect(check(AssistanceProgram.SPECIAL_ASSISTANCE_CHILD_DISABLED, special({ child: child(grade(3)) })).eligible).toBe(true);
    expect(check(AssistanceProgram.SPECIAL_ASSISTANCE_CHILD_DISABLED, special({ child: child(grade(4)) })).failed).toEqual([
      "only child disabled, grade 1–3@CIVIL_AFFAIRS",
    ]);
    const withdrawn = { deathDate: null, disabilityCertificates: [{ certificateNumber: "C3", grade: 3, issuedOn: "2010-01-01", revokedOn: "2020-01-01" }] };
    expect(check(AssistanceProgram.SPECIAL_ASSISTANCE_CHILD_DISABLED, special({ child: child(withdrawn) })).eligible).toBe(false);
    expect(check(AssistanceProgram.SPECIAL_ASSISTANCE_CHILD_DECEASED, special({ child: child(grade(3)) })).failed).toEqual(["only child deceased@CIVIL_AFFAIRS"]);
  });

  it("the woman must be 49: 48 is refused, for her and for her husband", () => {
    const young = person({ birthDate: "1977-01-01" });
    const dead = child({ deathDate: "2015-02-01", disabilityCertificates: [] });
    expect(check(AssistanceProgram.SPECIAL_ASSISTANCE_CHILD_DECEASED, special({ identity: young, child: dead })).failed).toEqual(["woman aged 49 or over@PUBLIC_SECURITY"]);
    expect(check(AssistanceProgram.SPECIAL_ASSISTANCE_CHILD_DECEASED, special({ identity: person({ birthDate: "1976-12-31" }), child: dead })).eligible).toBe(true);
    // The husband applying: his wife's age decides while she lives.
    const husband = special({
      identity: father.identity,
      otherParent: { identity: young, civil: alive },
      child: dead,
    });
    expect(check(AssistanceProgram.SPECIAL_ASSISTANCE_CHILD_DECEASED, husband, "father").failed).toEqual(["woman aged 49 or over@PUBLIC_SECURITY"]);
    // She has died: the remaining parent (58) must be 49 or over.
    const widower = { ...husband, otherParent: { identity: person({ birthDate: "1977-01-01", status: "DECEASED" }), civil: { deathDate: "2020-01-01", disabilityCertificates: [] } } };
    expect(check(AssistanceProgram.SPECIAL_ASSISTANCE_CHILD_DECEASED, widower, "father").eligible).toBe(true);
  });

  it("both parents born on or after 1933-01-01", () => {
    const input = special({ otherParent: { identity: person({ sex: "MALE", birthDate: "1932-12-31" }), civil: alive }, child: child({ deathDate: "2015-02-01", disabilityCertificates: [] }) });
    expect(check(AssistanceProgram.SPECIAL_ASSISTANCE_CHILD_DECEASED, input).failed).toEqual(["spouse born on or after 1933-01-01@PUBLIC_SECURITY"]);
  });

  it("without an only-child certificate the child cannot be checked", () => {
    const result = check(AssistanceProgram.SPECIAL_ASSISTANCE_CHILD_DECEASED, special({ onlyChildCertificate: null, otherParent: null, child: null }));
    expect(result.failed).toEqual(["only child deceased@POPULATION"]);
  });
});

describe("sex ratio and coverage figures", () => {
  it("suppresses the ratio below the threshold, always keeps the flag off then", () => {
    expect(sexRatioOf(60, 39, 100)).toEqual({ ratio: null, suppressed: true, outsideNormalRange: false });
    expect(sexRatioOf(60, 40, 100)).toEqual({ ratio: 150, suppressed: false, outsideNormalRange: true });
  });

  it("flags ratios outside 103–107 and not on the bounds", () => {
    expect(sexRatioOf(103, 100, 1).outsideNormalRange).toBe(false);
    expect(sexRatioOf(107, 100, 1).outsideNormalRange).toBe(false);
    expect(sexRatioOf(1029, 1000, 1)).toEqual({ ratio: 102.9, suppressed: false, outsideNormalRange: true });
    expect(sexRatioOf(1071, 1000, 1)).toEqual({ ratio: 107.1, suppressed: false, outsideNormalRange: true });
    expect(sexRatioOf(5, 0, 1).ratio).toBeNull();
  });

  it("coverage is completed / target in per cent", () => {
    expect(coverageRate(2078, 3731)).toBe(55.7);
    expect(coverageRate(5, 0)).toBe(0);
  });
});
