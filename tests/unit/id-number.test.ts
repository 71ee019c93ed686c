import {
  checkCharacter,
  checkIdNumber,
  makeIdNumber,
  maskIdNumber,
  upgradeFifteenDigit,
  type InvalidIdNumber,
  type ValidIdNumber,
} from "../../shared/src/id-number";

const TODAY = new Date(2024, 5, 15); // 2024-06-15, local time

function valid(raw: string, today: Date = TODAY): ValidIdNumber {
  const r = checkIdNumber(raw, today);
  if (!r.ok) throw new Error(`expected ${JSON.stringify(raw)} to be valid, got ${r.problem}`);
  return r;
}

function invalid(raw: string, today: Date = TODAY): InvalidIdNumber {
  const r = checkIdNumber(raw, today);
  if (r.ok) throw new Error(`expected ${JSON.stringify(raw)} to be invalid, got ${r.normalized}`);
  return r;
}

/** A number with a correct check character, whatever the date says. */
function withCheck(first17: string): string {
  return first17 + checkCharacter(first17);
}

describe("checkCharacter", () => {
  it("matches the published vectors", () => {
    expect(checkCharacter("11010519491231002")).toBe("X");
    expect(checkCharacter("44052418800101001")).toBe("4");
  });

  it("uses weights 2^(18-i) mod 11", () => {
    // A single 1 in position i (1-based) makes the sum equal to that weight.
    const expected = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    for (let i = 0; i < 17; i++) {
      expect(2 ** (17 - i) % 11).toBe(expected[i]);
      const digits = "0".repeat(i) + "1" + "0".repeat(16 - i);
      expect(checkCharacter(digits)).toBe("10X98765432"[expected[i] % 11]);
    }
  });

  it("rejects anything but 17 digits", () => {
    expect(() => checkCharacter("1101051949123100")).toThrow(RangeError);
    expect(() => checkCharacter("1101051949123100X")).toThrow(RangeError);
  });
});

describe("checkIdNumber: valid numbers", () => {
  it("accepts 11010519491231002X", () => {
    expect(valid("11010519491231002X")).toEqual({
      ok: true,
      normalized: "11010519491231002X",
      addressCode: "110105",
      birthDate: "1949-12-31",
      sex: "FEMALE",
      upgradedFrom15: false,
    });
  });

  it("accepts 440524188001010014 (born 1880)", () => {
    expect(valid("440524188001010014")).toEqual({
      ok: true,
      normalized: "440524188001010014",
      addressCode: "440524",
      birthDate: "1880-01-01",
      sex: "MALE",
      upgradedFrom15: false,
    });
  });

  it("accepts a lowercase x and normalises it, trimming whitespace", () => {
    const r = valid("  11010519491231002x\n");
    expect(r.normalized).toBe("11010519491231002X");
  });

  it("takes sex from digit 17: odd male, even female", () => {
    for (let d = 0; d <= 9; d++) {
      const r = valid(withCheck(`52232819900101${"00"}${d}`));
      expect(r.sex).toBe(d % 2 === 1 ? "MALE" : "FEMALE");
    }
  });

  it("accepts 2000-02-29 (leap year)", () => {
    expect(valid(withCheck("52232820000229123")).birthDate).toBe("2000-02-29");
  });

  it("accepts a birth date equal to today", () => {
    expect(valid(withCheck("52232820240615001")).birthDate).toBe("2024-06-15");
  });

  it("never checks the address code against a division list", () => {
    // 130182 藁城市 became 130109 in 2014; IDs issued before keep the old code.
    expect(valid(withCheck("13018219800101001")).addressCode).toBe("130182");
    expect(valid(withCheck("99999919800101001")).addressCode).toBe("999999");
  });
});

describe("checkIdNumber: invalid numbers", () => {
  it("reports EMPTY for blank input", () => {
    expect(invalid("").problem).toBe("EMPTY");
    expect(invalid("   ").problem).toBe("EMPTY");
  });

  it("reports CHECKSUM for a wrong check character", () => {
    const r = invalid("110105194912310021");
    expect(r.problem).toBe("CHECKSUM");
    expect(r.messageZh).toBe("校验码错误");
    expect(r.messageEn).toBe("check character does not match");
    expect(invalid("440524188001010015").problem).toBe("CHECKSUM");
  });

  it("reports FORMAT for wrong lengths and characters", () => {
    expect(invalid("11010519491231002").problem).toBe("FORMAT"); // 17 chars
    expect(invalid("11010519491231002X1").problem).toBe("FORMAT"); // 19 chars
    expect(invalid("1101051949123100").problem).toBe("FORMAT"); // 16 chars
    expect(invalid("11010519491231A02X").problem).toBe("FORMAT"); // letter inside
    expect(invalid("X10105194912310020").problem).toBe("FORMAT"); // X not last
    expect(invalid("11010519491231002Y").problem).toBe("FORMAT");
    expect(invalid("11010549123100X").problem).toBe("FORMAT"); // 15 chars with X
    expect(invalid("110105 19491231 002X").problem).toBe("FORMAT"); // inner spaces
  });

  it("reports BIRTH_DATE_INVALID for impossible dates", () => {
    expect(invalid(withCheck("11010519490231002")).problem).toBe("BIRTH_DATE_INVALID"); // Feb 31
    expect(invalid(withCheck("52232820010229123")).problem).toBe("BIRTH_DATE_INVALID"); // 2001 not leap
    expect(invalid(withCheck("52232819000229123")).problem).toBe("BIRTH_DATE_INVALID"); // 1900 not leap
    expect(invalid(withCheck("52232819901301123")).problem).toBe("BIRTH_DATE_INVALID"); // month 13
    expect(invalid(withCheck("52232819900001123")).problem).toBe("BIRTH_DATE_INVALID"); // month 0
    expect(invalid(withCheck("52232819900100123")).problem).toBe("BIRTH_DATE_INVALID"); // day 0
    expect(invalid(withCheck("52232819900431123")).problem).toBe("BIRTH_DATE_INVALID"); // Apr 31
  });

  it("reports BIRTH_DATE_INVALID before 1850-01-01", () => {
    expect(invalid(withCheck("52232818491231123")).problem).toBe("BIRTH_DATE_INVALID");
    expect(valid(withCheck("52232818500101123")).birthDate).toBe("1850-01-01");
  });

  it("reports BIRTH_DATE_IN_FUTURE relative to today", () => {
    const tomorrow = withCheck("52232820240616001");
    expect(invalid(tomorrow).problem).toBe("BIRTH_DATE_IN_FUTURE");
    expect(valid(tomorrow, new Date(2024, 5, 16)).birthDate).toBe("2024-06-16");
    // Default `today` is now: a date far in the future is always rejected.
    expect(checkIdNumber(withCheck("52232830000101001"))).toMatchObject({ ok: false, problem: "BIRTH_DATE_IN_FUTURE" });
  });

  it("gives a short Chinese and English message for every problem", () => {
    const cases = ["", "123", "110105194912310021", withCheck("11010519490231002"), withCheck("52232820990101001")];
    const problems = new Set<string>();
    for (const raw of cases) {
      const r = invalid(raw);
      problems.add(r.problem);
      expect(r.messageZh).toMatch(/[\u4e00-\u9fff]/);
      expect(r.messageEn).toMatch(/^[\x20-\x7e]+$/);
      expect(r.messageZh.length).toBeLessThan(40);
      expect(r.messageEn.length).toBeLessThan(80);
    }
    expect(problems.size).toBe(5);
  });
});

describe("15-digit numbers", () => {
  it("upgrades back to the 18-digit number it came from", () => {
    for (const n18 of ["11010519491231002X", "52232819850607123" + checkCharacter("52232819850607123")]) {
      const n15 = n18.slice(0, 6) + n18.slice(8, 17);
      expect(n15).toHaveLength(15);
      expect(upgradeFifteenDigit(n15)).toBe(n18);
      expect(valid(n15)).toMatchObject({ normalized: n18, upgradedFrom15: true, birthDate: n18.slice(6, 10) + "-" + n18.slice(10, 12) + "-" + n18.slice(12, 14) });
    }
    expect(valid("110105491231002").sex).toBe("FEMALE");
    expect(valid(" 440524800101001 ").normalized).toBe(withCheck("44052419800101001"));
  });

  it("validates the upgraded date", () => {
    expect(invalid("110105490231002").problem).toBe("BIRTH_DATE_INVALID");
  });

  it("upgradeFifteenDigit rejects anything but 15 digits", () => {
    expect(() => upgradeFifteenDigit("11010549123100")).toThrow(RangeError);
    expect(() => upgradeFifteenDigit("11010549123100X")).toThrow(RangeError);
  });
});

describe("maskIdNumber", () => {
  it("keeps the first 6 and last 4 characters", () => {
    expect(maskIdNumber("522328199001011234")).toBe("522328********1234");
    expect(maskIdNumber("11010519491231002X")).toBe("110105********002X");
    expect(maskIdNumber(" 11010519491231002x ")).toBe("110105********002X");
  });

  it("does not leak short input", () => {
    expect(maskIdNumber("110105491231002")).toBe("110105*****1002");
    expect(maskIdNumber("1234567890")).toBe("**********");
    expect(maskIdNumber("")).toBe("");
  });
});

describe("makeIdNumber", () => {
  const counties = ["522328", "520424", "371502", "120115", "431023", "421121"];

  it("round-trips through checkIdNumber", () => {
    let n = 0;
    for (const county of counties) {
      for (const date of ["1933-01-01", "1949-12-31", "1976-02-29", "2000-02-29", "2012-07-15", "2024-06-15"]) {
        for (const seq of [0, 1, 2, 57, 998, 999]) {
          const id = makeIdNumber(county, date, seq);
          const r = valid(id);
          expect(r).toEqual({
            ok: true,
            normalized: id,
            addressCode: county,
            birthDate: date,
            sex: seq % 2 === 1 ? "MALE" : "FEMALE",
            upgradedFrom15: false,
          });
          expect(id.slice(14, 17)).toBe(String(seq).padStart(3, "0"));
          n++;
        }
      }
    }
    expect(n).toBe(216);
  });

  it("rejects bad arguments", () => {
    expect(() => makeIdNumber("52232", "1990-01-01", 1)).toThrow(RangeError);
    expect(() => makeIdNumber("52232a", "1990-01-01", 1)).toThrow(RangeError);
    expect(() => makeIdNumber("522328", "2001-02-29", 1)).toThrow(RangeError);
    expect(() => makeIdNumber("522328", "19900101", 1)).toThrow(RangeError);
    expect(() => makeIdNumber("522328", "1990-01-01", 1000)).toThrow(RangeError);
    expect(() => makeIdNumber("522328", "1990-01-01", -1)).toThrow(RangeError);
    expect(() => makeIdNumber("522328", "1990-01-01", 1.5)).toThrow(RangeError);
  });
});

// Cross-check against the `idcard` package when it happens to be installed
// (it is not a dependency; nothing is registered when it is missing).
interface IdcardModule {
  verify(id: string): boolean;
  info(id: string): { valid: boolean; gender?: string; birthday?: number };
}
let idcard: IdcardModule | undefined;
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  idcard = require("idcard") as IdcardModule;
} catch {
  idcard = undefined;
}

if (idcard) {
  const oracle = idcard;
  describe("oracle: idcard package", () => {
    const samples: string[] = ["11010519491231002X"];
    for (const county of ["522328", "371502", "120115", "110105"]) {
      for (const date of ["1950-03-01", "1988-02-29", "2003-11-30"]) {
        for (const seq of [1, 2, 345]) samples.push(makeIdNumber(county, date, seq));
      }
    }

    it("agrees on valid numbers (upper-case X), sex and birth date", () => {
      for (const id of samples) {
        const ours = valid(id);
        const info = oracle.info(id);
        expect(oracle.verify(id)).toBe(true);
        expect(info.valid).toBe(true);
        expect(info.gender).toBe(ours.sex === "MALE" ? "M" : "F");
        expect(String(info.birthday)).toBe(ours.birthDate.replace(/-/g, ""));
      }
    });

    it("agrees that corrupted numbers are invalid", () => {
      for (const id of samples) {
        const last = id[17];
        const wrong = id.slice(0, 17) + (last === "0" ? "1" : "0");
        expect(checkIdNumber(wrong, TODAY).ok).toBe(false);
        expect(oracle.verify(wrong)).toBe(false);
      }
      const feb31 = withCheck("11010519490231002");
      expect(checkIdNumber(feb31, TODAY).ok).toBe(false);
      expect(oracle.verify(feb31)).toBe(false);
    });
  });
}
