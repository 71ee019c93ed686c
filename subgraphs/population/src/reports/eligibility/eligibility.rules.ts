/**
 * The assistance rules of DOMAIN.md §1 as pure functions over the facts each department holds. Every rule yields a
 * fact naming the department whose record decided it and a sentence a clerk can read to the family, so a refusal
 * can be explained and a wrong record corrected where it lives (谁管理、谁负责).
 *
 * 奖励扶助 (国办发〔2004〕21号): rural hukou, no out-of-policy birth 1973–2001, one child or two daughters, born on or
 * after 1933-01-01 and aged 60 or over. The children are counted from population's 全员人口 register (生育子女数
 * as the village clerk recorded it): health's 出生医学证明 exist only since 2000 and public-security's household
 * lists only the children still at home, so for parents of 60 the clerk's count is the record.
 *
 * 特别扶助 (2007): both parents born on or after 1933-01-01; the woman aged 49 or over (the remaining parent, when
 * she has died); one child only (独生子女父母光荣证, or the register's count of one birth); the child has died
 * (civil-affairs' death registration or public-security's cancelled hukou) or holds a 残疾人证 of grade 1–3
 * (civil-affairs' record of it). The applicant must be alive in both public-security's and civil-affairs' records.
 */
import { AssistanceProgram } from "../../assistance/assistance.enums";
import { Department } from "../../../../../shared/src/graphql/common";

export const ASSISTANCE_BORN_FROM = "1933-01-01";
export const REWARD_ASSISTANCE_AGE = 60;
export const SPECIAL_ASSISTANCE_MOTHER_AGE = 49;
export const OUT_OF_POLICY_PERIOD = { from: "1973-01-01", to: "2001-12-31" } as const;
/** 残疾人证 grades that qualify for 特别扶助 (1 is the most severe). */
export const QUALIFYING_DISABILITY_GRADES = [1, 2, 3] as const;

/** What public-security's register says of a person (null: not in the register of this jurisdiction). */
export interface IdentityFacts {
  sex: "MALE" | "FEMALE";
  birthDate: string;
  status: "ACTIVE" | "DECEASED" | "MIGRATED_OUT" | "CANCELLED";
  hukouType: "RURAL" | "URBAN" | null;
}

/** Civil-affairs' records of a person. */
export interface CivilFacts {
  deathDate: string | null;
  disabilityCertificates: { certificateNumber: string; grade: number; issuedOn: string; revokedOn: string | null }[];
}

/** Everything the rules read about one person and family. */
export interface EligibilityInput {
  identity: IdentityFacts | null;
  civil: CivilFacts | null;
  /** population_register's 生育子女数; null when the clerk recorded none (or no register row). */
  children: { sons: number; daughters: number } | null;
  /** Birth dates of the person's children for which population decided a 社会抚养费 (a birth against policy). */
  outOfPolicyBirths: (string | null)[];
  /** 独生子女父母光荣证 the person holds as father or mother. */
  onlyChildCertificate: { number: string; fatherId: string | null; motherId: string | null; childId: string | null } | null;
  /** The other parent named on that certificate, and the child. */
  otherParent: { identity: IdentityFacts | null; civil: CivilFacts | null } | null;
  child: { identity: IdentityFacts | null; civil: CivilFacts | null } | null;
}

export interface Fact {
  rule: string;
  satisfied: boolean;
  source: Department;
  detail: string;
}

/** Completed years of age on a day (YYYY-MM-DD). */
export function ageOn(birthDate: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return day.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

const STATUS_ZH: Record<IdentityFacts["status"], string> = { ACTIVE: "正常", DECEASED: "死亡注销", MIGRATED_OUT: "迁出", CANCELLED: "注销" };

/** Alive in both registers: public-security's hukou is active and civil-affairs registered no death. */
export function aliveFacts(identity: IdentityFacts | null, civil: CivilFacts | null): Fact[] {
  const facts: Fact[] = [];
  facts.push(
    identity === null
      ? { rule: "hukou active", satisfied: false, source: Department.PUBLIC_SECURITY, detail: "公安户籍中查无此人 (not in the hukou register)" }
      : {
          rule: "hukou active",
          satisfied: identity.status === "ACTIVE",
          source: Department.PUBLIC_SECURITY,
          detail: `户籍状态：${STATUS_ZH[identity.status]} (hukou status ${identity.status})`,
        },
  );
  const deathDate = civil?.deathDate ?? null;
  facts.push({
    rule: "no death registered",
    satisfied: deathDate === null,
    source: Department.CIVIL_AFFAIRS,
    detail: deathDate === null ? "民政无死亡登记 (no death registration)" : `民政已登记死亡，死亡日期 ${deathDate} (death registered: died ${deathDate})`,
  });
  return facts;
}

function bornFromFact(who: string, whoEn: string, identity: IdentityFacts | null): Fact {
  if (!identity) return { rule: `${whoEn} born on or after 1933-01-01`, satisfied: false, source: Department.PUBLIC_SECURITY, detail: `${who}出生日期不详 (birth date unknown)` };
  const satisfied = identity.birthDate >= ASSISTANCE_BORN_FROM;
  return {
    rule: `${whoEn} born on or after 1933-01-01`,
    satisfied,
    source: Department.PUBLIC_SECURITY,
    detail: `${who}出生于 ${identity.birthDate}${satisfied ? "" : "，早于 1933-01-01"} (born ${identity.birthDate})`,
  };
}

function ageFact(rule: string, identity: IdentityFacts | null, minimum: number, day: string, who = ""): Fact {
  if (!identity) return { rule, satisfied: false, source: Department.PUBLIC_SECURITY, detail: `${who}年龄不详 (age unknown)` };
  const age = ageOn(identity.birthDate, day);
  return {
    rule,
    satisfied: age >= minimum,
    source: Department.PUBLIC_SECURITY,
    detail: `${who}截至 ${day} 满 ${age} 周岁${age >= minimum ? "" : `，未满 ${minimum} 周岁`} (aged ${age} on ${day})`,
  };
}

/** 奖励扶助, in the order a clerk checks them. */
export function rewardAssistanceFacts(input: EligibilityInput, day: string): Fact[] {
  const { identity } = input;
  const facts = aliveFacts(identity, input.civil);
  facts.push(
    identity === null || identity.hukouType === null
      ? { rule: "rural hukou", satisfied: false, source: Department.PUBLIC_SECURITY, detail: "户口性质不详 (hukou type unknown)" }
      : {
          rule: "rural hukou",
          satisfied: identity.hukouType === "RURAL",
          source: Department.PUBLIC_SECURITY,
          detail: identity.hukouType === "RURAL" ? "农业户口 (rural hukou)" : "非农业(居民)户口，不属农村 (urban hukou)",
        },
  );
  facts.push(bornFromFact("", "", identity));
  facts[facts.length - 1].rule = "born on or after 1933-01-01";
  facts.push(ageFact("aged 60 or over", identity, REWARD_ASSISTANCE_AGE, day));
  const children = input.children;
  if (children === null) {
    facts.push({ rule: "one child or two daughters", satisfied: false, source: Department.POPULATION, detail: "全员人口库未登记生育子女数 (no births recorded in the population register)" });
  } else {
    const total = children.sons + children.daughters;
    const satisfied = total === 1 || (children.sons === 0 && children.daughters === 2);
    facts.push({
      rule: "one child or two daughters",
      satisfied,
      source: Department.POPULATION,
      detail: `生育 ${children.sons} 子 ${children.daughters} 女${satisfied ? "" : "，不属独生子女或双女家庭"} (${children.sons} sons, ${children.daughters} daughters born)`,
    });
  }
  const against = input.outOfPolicyBirths.filter((d) => d === null || (d >= OUT_OF_POLICY_PERIOD.from && d <= OUT_OF_POLICY_PERIOD.to));
  facts.push({
    rule: "no out-of-policy birth 1973–2001",
    satisfied: against.length === 0,
    source: Department.POPULATION,
    detail:
      against.length === 0
        ? "1973–2001 年间无政策外生育的社会抚养费决定 (no out-of-policy birth decided for 1973–2001)"
        : `有 ${against.length} 次政策外生育的社会抚养费决定 (${against.length} out-of-policy birth(s) decided)`,
  });
  return facts;
}

function disabled(civil: CivilFacts | null, day: string) {
  return (civil?.disabilityCertificates ?? []).find(
    (c) => (QUALIFYING_DISABILITY_GRADES as readonly number[]).includes(c.grade) && c.issuedOn <= day && (c.revokedOn === null || c.revokedOn > day),
  );
}

/** 特别扶助, for the child-deceased or the child-disabled programme. */
export function specialAssistanceFacts(program: AssistanceProgram, input: EligibilityInput, day: string, personId: string): Fact[] {
  const { identity } = input;
  const facts = aliveFacts(identity, input.civil);
  const certificate = input.onlyChildCertificate;
  const isFather = certificate?.fatherId === personId;
  const self = { identity, civil: input.civil };
  const mother = certificate ? (isFather ? input.otherParent : self) : identity?.sex === "FEMALE" ? self : null;
  const father = certificate ? (isFather ? self : input.otherParent) : identity?.sex === "MALE" ? self : null;

  facts.push(bornFromFact("本人", "applicant", identity));
  if (certificate && input.otherParent) facts.push(bornFromFact("配偶", "spouse", input.otherParent.identity));

  // The woman 49 or over; where she has died, the remaining parent (DOMAIN.md §1).
  const motherAlive = mother !== null && mother.identity?.status === "ACTIVE" && !mother.civil?.deathDate;
  if (mother && (motherAlive || !father)) facts.push(ageFact("woman aged 49 or over", mother.identity, SPECIAL_ASSISTANCE_MOTHER_AGE, day, mother === self ? "本人" : "女方"));
  else if (father) facts.push(ageFact("remaining parent aged 49 or over", father.identity, SPECIAL_ASSISTANCE_MOTHER_AGE, day, father === self ? "本人" : "男方"));
  else facts.push({ rule: "woman aged 49 or over", satisfied: false, source: Department.PUBLIC_SECURITY, detail: "女方不详 (the woman is unknown)" });

  const children = input.children;
  const oneBirth = children !== null && children.sons + children.daughters === 1;
  facts.push(
    certificate
      ? { rule: "only one child", satisfied: true, source: Department.POPULATION, detail: `持独生子女父母光荣证 ${certificate.number} (only-child certificate)` }
      : {
          rule: "only one child",
          satisfied: oneBirth,
          source: Department.POPULATION,
          detail: oneBirth
            ? "全员人口库登记生育 1 个子女，未持独生子女父母光荣证 (one birth recorded, no only-child certificate)"
            : `无独生子女父母光荣证${children ? `，登记生育 ${children.sons + children.daughters} 个子女` : ""} (no only-child certificate)`,
        },
  );

  const child = input.child;
  if (!certificate?.childId || !child) {
    facts.push({
      rule: program === AssistanceProgram.SPECIAL_ASSISTANCE_CHILD_DECEASED ? "only child deceased" : "only child disabled, grade 1–3",
      satisfied: false,
      source: Department.POPULATION,
      detail: "独生子女父母光荣证未载明子女，无法核对子女情况 (the child is not named on an only-child certificate)",
    });
    return facts;
  }
  const childDeath = child.civil?.deathDate ?? null;
  const childCancelled = child.identity?.status === "DECEASED";
  if (program === AssistanceProgram.SPECIAL_ASSISTANCE_CHILD_DECEASED) {
    facts.push(
      childDeath
        ? { rule: "only child deceased", satisfied: true, source: Department.CIVIL_AFFAIRS, detail: `子女已于 ${childDeath} 死亡 (民政死亡登记) (the child died on ${childDeath})` }
        : childCancelled
          ? { rule: "only child deceased", satisfied: true, source: Department.PUBLIC_SECURITY, detail: "子女户口已因死亡注销 (the child's hukou was cancelled on death)" }
          : { rule: "only child deceased", satisfied: false, source: Department.CIVIL_AFFAIRS, detail: "子女无死亡登记，户口未注销 (the child is alive in the records)" },
    );
  } else {
    const alive = !childDeath && !childCancelled;
    const held = disabled(child.civil, day);
    const any = child.civil?.disabilityCertificates.filter((c) => c.revokedOn === null || c.revokedOn > day) ?? [];
    facts.push({
      rule: "only child disabled, grade 1–3",
      satisfied: alive && held !== undefined,
      source: Department.CIVIL_AFFAIRS,
      detail: !alive
        ? "子女已死亡，应按失独家庭审核 (the child has died: see the child-deceased programme)"
        : held
          ? `子女持残疾人证 ${held.certificateNumber}，${held.grade} 级 (disability certificate, grade ${held.grade})`
          : any.length > 0
            ? `子女残疾人证为 ${any.map((c) => c.grade).join("、")} 级，须为 1–3 级 (grade ${any.map((c) => c.grade).join(", ")}: grade 1–3 needed)`
            : "子女无有效残疾人证 (no valid disability certificate for the child)",
    });
  }
  return facts;
}

export function factsFor(program: AssistanceProgram, input: EligibilityInput, day: string, personId: string): Fact[] {
  return program === AssistanceProgram.REWARD_ASSISTANCE ? rewardAssistanceFacts(input, day) : specialAssistanceFacts(program, input, day, personId);
}
