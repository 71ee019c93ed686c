/**
 * Chinese names and ethnicities for the synthetic county, from built-in weighted lists rather than
 * @faker-js/faker: faker's zh_CN lists carry no frequencies (every surname equally likely), do not split given
 * names by sex or generation, and could change with a faker upgrade, which would change every generated county.
 * These lists depend on nothing but the generator's seed.
 *
 * Surname weights are rough national frequencies (per cent) for 汉族, and typical surnames of 布依族 and 苗族 in
 * south-west Guizhou. Given-name characters are split by sex and by birth cohort (before 1970, 1970–1989,
 * from 1990), as names changed markedly over those decades.
 */
import { type Random, type WeightedTable, weightedTable } from "./random";

function table(text: string): WeightedTable<string> {
  // "王7.1 李7.0 ..." -> [["王", 7.1], ["李", 7.0], ...]
  return weightedTable(
    text
      .trim()
      .split(/\s+/)
      .map((entry) => {
        const m = /^(\D+)([\d.]+)$/.exec(entry);
        if (!m) throw new Error(`bad weighted entry ${entry}`);
        return [m[1], Number(m[2])] as const;
      }),
  );
}

const HAN_SURNAMES = table(`
王7.1 李7.0 张6.8 刘5.4 陈4.5 杨3.6 黄2.2 赵2.1 吴2.2 周1.9 徐1.3 孙1.3 马1.2 朱1.1 胡1.1 郭1.0 何1.0 高0.97 林0.97
罗1.3 郑0.81 梁0.81 谢0.67 宋0.63 唐0.62 许0.59 韩0.56 冯0.55 邓0.55 曹0.54 彭0.53 曾0.5 肖0.5 田0.6 董0.48 袁0.46
潘0.45 于0.45 蒋0.44 蔡0.43 余0.5 杜0.42 叶0.41 程0.4 苏0.39 魏0.38 吕0.37 丁0.36 任0.35 沈0.34 姚0.33 卢0.33 姜0.32
崔0.31 钟0.3 谭0.3 陆0.29 汪0.28 范0.27 金0.27 石0.3 廖0.26 贾0.26 夏0.25 韦0.25 付0.24 方0.24 白0.23 邹0.23 孟0.22
熊0.3 秦0.22 邱0.21 江0.21 尹0.21 薛0.2 闫0.2 段0.2 雷0.19 侯0.18 龙0.3 史0.18 陶0.17 黎0.17 贺0.17 顾0.16 毛0.16
郝0.15 龚0.15 邵0.15 万0.15 钱0.14 严0.14 覃0.14 武0.14 戴0.14 莫0.13 孔0.13 向0.13 汤0.13 岑0.05 班0.03
`);

const BUYI_SURNAMES = table(`王12 黄10 罗9 韦8 陆6 岑6 杨5 班4 吴4 梁3 莫3 卢3 潘2 龙2 李2 蒙2 覃2 刘1 陈1`);
const MIAO_SURNAMES = table(`杨13 吴10 龙9 王8 张6 李6 熊5 罗5 石4 陶4 韦3 潘3 田3 麻2 侯2 刘1`);
const HUI_SURNAMES = table(`马10 白4 杨3 李3 王3 金2 丁2 刘2 沙1 哈1`);

type Cohort = 0 | 1 | 2;

const GIVEN: Record<"MALE" | "FEMALE", readonly string[][]> = {
  MALE: [
    chars("国建明德文华志永福成兴学昌光正忠玉才有发贵富荣生林强军平金海清元世天开祥顺树全洪安先其万宗仁义礼"),
    chars("伟勇军杰涛斌超明刚平辉鹏华飞磊波强亮兵健俊峰龙林云东海江宏剑锋毅松勇义波浪阳"),
    chars("浩宇俊杰子轩睿博泽辰晨皓鑫一航宏文思铭锦瑞诚嘉峻逸梓煜宸昊天佑然豪坤奕恒宁钦家俊凯"),
  ],
  FEMALE: [
    chars("秀英兰芳珍桂凤玉莲梅翠琴花淑美春菊群华荣云香素金月银书会慧仙娥妹"),
    chars("丽艳娟敏静霞燕红芳萍玲婷琳雪梅丹洁英莉娜春晓慧佳琼倩露蓉颖媛"),
    chars("欣怡佳琪雨梦瑶涵萱诗思紫晓彤雅婧若悦可馨妍语嘉淑依珊蕊璐菲一子心舒柔"),
  ],
};
const SINGLE_CHARACTER_SHARE: Record<Cohort, number> = { 0: 0.35, 1: 0.3, 2: 0.18 };

function chars(text: string): string[] {
  return Array.from(text);
}

export type Ethnicity = string;

/** Ethnic mix of a county's hukou population; 522328 安龙 and 520424 关岭 (布依族苗族自治县) have large minorities. */
export function ethnicityTable(countyCode: string): WeightedTable<Ethnicity> {
  switch (countyCode) {
    case "522328":
      return weightedTable([["汉族", 58], ["布依族", 33], ["苗族", 7], ["回族", 1], ["彝族", 0.5], ["仡佬族", 0.5]]);
    case "520424":
      return weightedTable([["汉族", 40], ["布依族", 40], ["苗族", 17], ["仡佬族", 2], ["彝族", 1]]);
    default:
      return weightedTable([["汉族", 98.6], ["回族", 1], ["满族", 0.2], ["蒙古族", 0.2]]);
  }
}

export function surname(rng: Random, ethnicity: Ethnicity): string {
  switch (ethnicity) {
    case "布依族":
      return rng.weighted(BUYI_SURNAMES);
    case "苗族":
      return rng.weighted(MIAO_SURNAMES);
    case "回族":
      return rng.weighted(HUI_SURNAMES);
    default:
      return rng.weighted(HAN_SURNAMES);
  }
}

export function givenName(rng: Random, sex: "MALE" | "FEMALE", birthYear: number): string {
  const cohort: Cohort = birthYear < 1970 ? 0 : birthYear < 1990 ? 1 : 2;
  const pool = GIVEN[sex][cohort];
  const first = rng.pick(pool);
  if (rng.chance(SINGLE_CHARACTER_SHARE[cohort])) return first;
  let second = rng.pick(pool);
  if (second === first && rng.chance(0.8)) second = rng.pick(pool);
  return first + second;
}
