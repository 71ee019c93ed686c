/**
 * The deterministic synthetic county: an in-memory model of every department's rows for one county, generated
 * from a seed (and nothing else: no clock, no Math.random). The departments' reports compare each other's
 * records, so the model is built family by family and every record is derived from one shared set of facts:
 *
 *   - households on the county's real villages (regions.ts); 居委会 (village code 001–199) = URBAN hukou,
 *     村委会 (200–399) = RURAL; each household is one or two married couples (a couple, or an older couple
 *     living with a married son, or a daughter and her 上门女婿) plus the children still at home;
 *   - every couple marries at legal age (22/20) and has its children by a cohort- and policy-dependent
 *     fertility model; births from 2000 get a 出生医学证明 (health), the child a hukou entry in the mother's
 *     household and a 落户 registration within 30 days (public-security) unless that date is still ahead;
 *   - every couple has a 结婚登记 (civil-affairs), some a 离婚登记; deaths of elderly people since 2012 are
 *     registered by civil-affairs and cancel the hukou;
 *   - the family-planning records (population) follow from the families: 独生子女证 for one-child couples,
 *     生育登记 / 再生育审批 for births since 2014, 奖扶 / 特扶 rosters by the DOMAIN.md rules, 计生协 members,
 *     outflow (流出) of working-age people with 婚育证明, and inflow (流入) people whose hukou is in another
 *     county (they appear only in population's and health's records, never in this county's hukou register);
 *     社会抚养费 decisions for third and later births before 2016, 走访慰问 of the 计生两户 and special families,
 *     and population's own 全员人口 register (every living person of the hukou register and every inflow person,
 *     with the marital status civil-affairs' registrations give and the births the clerk counted);
 *   - on request (hukouHistory), public-security's hukou_event history of each person.
 *
 * The generator makes none of the anomalies the analysts' reports look for: everyone who qualifies for 奖扶 is
 * enrolled, every woman aged 18–49 who migrates holds a 婚育证明 and an inflow woman hands it in within 30 days,
 * and so on. With `anomalyRate` above 0, anomalies.ts then injects each kind at that rate and lists them in
 * `County.manifest` (oracle.ts finds exactly those from the tables).
 *
 * Children born before 2000 who have left home are not persons of the model (they live elsewhere or in a
 * household of their own that the model does not link), but they count as births of their parents: birth
 * order (孩次) and the assistance rules see them.
 *
 * Person ids are `personIdFor(idNumber)`, so they depend on PERSON_KEY_SECRET; nothing else does. The shape
 * of the county (who exists, every ID number, every date) depends only on the options.
 */
import type { DeathRegistrationRecord } from "../../../subgraphs/civil-affairs/src/death/death.entity";
import type { MarriageRecordRow } from "../../../subgraphs/civil-affairs/src/marriage/marriage.entity";
import type { ReliefEnrollmentRecord } from "../../../subgraphs/civil-affairs/src/relief/relief.entity";
import type { BirthCertificateRecord } from "../../../subgraphs/health/src/birth-certificate/birth-certificate.entity";
import type { PrePregnancyCheckTargetRecord } from "../../../subgraphs/health/src/pre-pregnancy-check/pre-pregnancy-check-target.entity";
import type { PrePregnancyCheckRecord } from "../../../subgraphs/health/src/pre-pregnancy-check/pre-pregnancy-check.entity";
import type { AssistanceEnrollmentRecord } from "../../../subgraphs/population/src/assistance/assistance-enrollment.entity";
import type { AssociationMemberRecord } from "../../../subgraphs/population/src/association/association-member.entity";
import type { BirthPermitRecord } from "../../../subgraphs/population/src/birth-permit/birth-permit.entity";
import type { MigrationRecord } from "../../../subgraphs/population/src/migrant/migrant-record.entity";
import type { OnlyChildCertificateRecord } from "../../../subgraphs/population/src/only-child-certificate/only-child-certificate.entity";
import type { CareVisitRecord } from "../../../subgraphs/population/src/care-visit/care-visit.entity";
import type { DisabilityCertificateRecord } from "../../../subgraphs/civil-affairs/src/disability/disability-certificate.entity";
import type { InterCountyNoticeRecord } from "../../../subgraphs/population/src/inter-county-notice/inter-county-notice.entity";
import type { PopulationRegisterRecord, RecordedMaritalStatus } from "../../../subgraphs/population/src/population-register/population-register.entity";
import type { SocialMaintenanceFeeRecord } from "../../../subgraphs/population/src/social-maintenance-fee/social-maintenance-fee.entity";
import type { BirthRegistrationRecord } from "../../../subgraphs/public-security/src/birth-registration/birth-registration.entity";
import type { HouseholdRecord } from "../../../subgraphs/public-security/src/household/household.entity";
import type { HukouEventRecord } from "../../../subgraphs/public-security/src/hukou/hukou-event.entity";
import type { PersonRecord } from "../../../subgraphs/public-security/src/person/person.entity";
import { secret } from "../config";
import { makeIdNumber } from "../id-number";
import { personIdFor } from "../person-id";
import { childrenOf, findRegion, seedCounties, type RegionRecord } from "../regions";
import { type AnomalyContext, type AnomalyManifest, injectAnomalies } from "./anomalies";
import { addYears, ageOn, dayFromParts, dayOf, firstOfNextMonth, iso, yearOf } from "./dates";
import { ethnicityTable, givenName, surname } from "./names";
import { ageBands as bands, Random, type WeightedTable, weightedTable } from "./random";

// ---------------------------------------------------------------------------------------------------------
// Row types: exactly the entities' properties minus what the database fills in (version, timestamps,
// generated ids), with string enums as their literal values, so that writing a row is a plain insert and an
// entity change that the generator does not follow fails to compile here.
// ---------------------------------------------------------------------------------------------------------

type Literal<V> = V extends string ? `${V}` : V;
type RowOf<E, Filled extends keyof E> = { [K in Exclude<keyof E, Filled>]: Literal<E[K]> };
type Audit = "version" | "createdAt";

export type PersonRow = RowOf<PersonRecord, Audit | "updatedAt">;
export type HouseholdRow = RowOf<HouseholdRecord, Audit>;
export type BirthRegistrationRow = RowOf<BirthRegistrationRecord, "createdAt">;
export type MarriageRow = RowOf<MarriageRecordRow, Audit>;
export type DeathRegistrationRow = RowOf<DeathRegistrationRecord, Audit | "id">;
export type ReliefEnrollmentRow = RowOf<ReliefEnrollmentRecord, Audit | "id">;
export type BirthCertificateRow = RowOf<BirthCertificateRecord, Audit>;
export type PrePregnancyCheckRow = RowOf<PrePregnancyCheckRecord, Audit>;
export type PrePregnancyCheckTargetRow = RowOf<PrePregnancyCheckTargetRecord, never>;
export type OnlyChildCertificateRow = RowOf<OnlyChildCertificateRecord, Audit>;
export type BirthPermitRow = RowOf<BirthPermitRecord, Audit>;
export type AssistanceEnrollmentRow = RowOf<AssistanceEnrollmentRecord, Audit | "id">;
export type MigrantRecordRow = RowOf<MigrationRecord, Audit | "id">;
export type AssociationMemberRow = RowOf<AssociationMemberRecord, Audit>;
export type PopulationRegisterRow = RowOf<PopulationRegisterRecord, Audit>;
export type SocialMaintenanceFeeRow = RowOf<SocialMaintenanceFeeRecord, Audit>;
export type CareVisitRow = RowOf<CareVisitRecord, Audit>;
export type InterCountyNoticeRow = RowOf<InterCountyNoticeRecord, Audit>;
export type DisabilityCertificateRow = RowOf<DisabilityCertificateRecord, Audit>;
export type HukouEventRow = RowOf<HukouEventRecord, "createdAt" | "id">;

/** One array per table, per department; the keys are the writer's table names. */
export interface CountyTables {
  "public-security": { person: PersonRow[]; household: HouseholdRow[]; birthRegistration: BirthRegistrationRow[]; hukouEvent: HukouEventRow[] };
  "civil-affairs": {
    marriageRecord: MarriageRow[];
    deathRegistration: DeathRegistrationRow[];
    reliefEnrollment: ReliefEnrollmentRow[];
    disabilityCertificate: DisabilityCertificateRow[];
  };
  health: { birthCertificate: BirthCertificateRow[]; prePregnancyCheck: PrePregnancyCheckRow[]; prePregnancyCheckTarget: PrePregnancyCheckTargetRow[] };
  population: {
    onlyChildCertificate: OnlyChildCertificateRow[];
    birthPermit: BirthPermitRow[];
    assistanceEnrollment: AssistanceEnrollmentRow[];
    migrantRecord: MigrantRecordRow[];
    associationMember: AssociationMemberRow[];
    populationRegister: PopulationRegisterRow[];
    socialMaintenanceFee: SocialMaintenanceFeeRow[];
    careVisit: CareVisitRow[];
    interCountyNotice: InterCountyNoticeRow[];
  };
}

/**
 * A person living in the county whose hukou is in another county (流入人口). Not in this county's hukou
 * register: only population's migrant records (and health's records, where she gave birth or had a check)
 * refer to them. Kept in the model so that tests and tools can resolve every referenced person.
 */
export interface NonResidentPerson {
  id: string;
  idNumber: string;
  name: string;
  sex: "MALE" | "FEMALE";
  birthDate: string;
  /** The hukou county (the ID number's address code). */
  hukouCountyCode: string;
  /** The village of this county they live in. */
  residenceRegionCode: string;
}

export interface GenerateCountyOptions {
  /** Six-digit code of one of the extract's counties (regions.ts seedCounties()). */
  countyCode: string;
  /**
   * Rows in public-security's person table: the county's hukou register, the deceased since 2012 included (less
   * the newborns taken out of it as the birthNotRegistered anomaly, when anomalyRate is above 0).
   */
  people: number;
  seed: number | string;
  /** Male births per 100 female births; default 112. */
  sexRatioAtBirth?: number;
  /** The model's "now" (YYYY-MM-DD); default 2025-12-31, so that the output does not depend on the clock. */
  today?: string;
  /** 流出: outflow records as a share of `people` (drawn from working-age people); default 0.27 (安龙 90,017 / 330,000). */
  outflowShare?: number;
  /** 流入: inflow persons as a share of `people`; default 0.14 (安龙 45,206 / 330,000). */
  inflowShare?: number;
  /**
   * Share of each anomaly kind's population that is made anomalous (anomalies.ts: births never registered,
   * deaths never cancelled ...); default 0, a county without any. Listed in `County.manifest`.
   */
  anomalyRate?: number;
  /**
   * Also write each person's hukou history (public-security's hukou_event: the birth registration or move that
   * put the hukou in its household, the cancellation of the deceased); default false, an empty history, which
   * is what the write-path tests expect of a seeded county.
   */
  hukouHistory?: boolean;
}

export type ResolvedCountyOptions = Required<GenerateCountyOptions>;

export interface County {
  options: ResolvedCountyOptions;
  countyName: string;
  tables: CountyTables;
  nonResidents: NonResidentPerson[];
  /** The injected anomalies, per kind, with the natural keys a report returns (empty kinds when anomalyRate is 0). */
  manifest: AnomalyManifest;
}

export const DEFAULT_TODAY = "2025-12-31";
export const DEFAULT_SEX_RATIO = 112;

// ---------------------------------------------------------------------------------------------------------
// Internal model
// ---------------------------------------------------------------------------------------------------------

type SexValue = "MALE" | "FEMALE";

/** Household roles: P = the older couple of a two-couple household, C = the (younger) core couple. */
const enum Role {
  P_HUSBAND,
  P_WIFE,
  /** A child of P who stayed with a spouse (son with 儿媳, or daughter with 上门女婿). */
  CORE,
  /** The CORE's spouse, married in. */
  SPOUSE,
  /** Husband / wife of a one-couple household (or of a single-person household). */
  C_HUSBAND,
  C_WIFE,
  /** An unmarried child of P living at home (sibling of CORE). */
  KID_OF_P,
  /** A child of the core couple living at home. */
  KID_OF_C,
}

interface Member {
  sex: SexValue;
  birth: number;
  name: string;
  ethnicity: string;
  role: Role;
  /** Day of death (only deaths since 2012 are modelled), or null. */
  death: number | null;
  /** Day the hukou was registered here; null = not registered yet (a newborn in its 30-day window). */
  registered: number | null;
  /** Births as mother or father, in order, across marriages; null until the first. */
  births: Birth[] | null;
  /** The member's parents had exactly one child (known only when the parents are in the model). */
  onlyChild: boolean;
  /**
   * The hukou came into the current household by a move (a spouse marrying in, a divorced husband starting his
   * own household) rather than by birth registration; `movedFrom` is the earlier hukou village when the model
   * knows it.
   */
  movedIn: boolean;
  movedFrom: string | null;
  row: PersonRow | null;
  household: HouseholdDraft | null;
}

interface Birth {
  day: number;
  sex: SexValue;
  /** 孩次 for the mother: 1 + her earlier live births (children who left home included). */
  order: number;
  couple: Couple;
  /** The child as a person of the model; null when the child (born before 2000) has left home. */
  child: Member | null;
  certificateNumber: string | null;
}

interface Couple {
  husband: Member;
  wife: Member;
  married: number;
  divorced: number | null;
  rural: boolean;
  births: Birth[];
  /** A planned birth after `today` (the wife is pregnant or the couple has registered it). */
  pending: { day: number; order: number } | null;
  special: "DECEASED" | "DISABLED" | null;
  /** One spouse is an only child (单独), known from the parents in the model. */
  onlyChildCouple: boolean;
  /** A child day for 特扶 伤残 (disability certified). */
  specialSince: number | null;
  household: HouseholdDraft;
}

interface Village {
  code: string;
  townCode: string;
  townName: string;
  label: string;
  rural: boolean;
  groups: number;
  households: number;
}

interface HouseholdDraft {
  village: Village;
  members: Member[];
  couples: Couple[];
  head: Member | null;
  /** P present: a two-couple household. */
  hasParents: boolean;
  /** CORE is a daughter (上门女婿). */
  uxorilocal: boolean;
  row: HouseholdRow | null;
  residence: { code: string; address: string; since: number } | null;
}

interface NonResidentUnit {
  person: NonResidentPerson;
  birth: number;
  sex: SexValue;
}

// ---------------------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------------------

const CERTIFICATE_ERA = dayOf("2000-01-01");
/**
 * Persons who enter the model without parents in it (spouses marrying in, single adults) are born before 2000:
 * anyone born since has a birth certificate and lives in the household of a mother of the model.
 */
const LAST_OUTSIDER_BIRTH = dayOf("1999-12-31");
const DEATHS_FROM = dayOf("2012-01-01");
const HUKOU_SYSTEM_FROM = dayOf("1958-01-09");
const ONE_CHILD_POLICY_FROM = dayOf("1980-01-01");
const SINGLE_CHILD_SECOND_FROM = dayOf("2014-10-01");
const TWO_CHILD_POLICY_BIRTHS_FROM = dayOf("2016-03-01");
const SINGLE_CHILD_APPROVALS_FROM = dayOf("2014-03-01");
const BIRTH_REGISTRATION_FROM = dayOf("2016-01-01");
const THREE_CHILD_POLICY_FROM = dayOf("2021-06-01");
const ONLY_CHILD_CERTIFICATES_UNTIL = dayOf("2015-12-31");
const REWARD_ASSISTANCE_FROM = dayOf("2004-01-01");
const SPECIAL_ASSISTANCE_FROM = dayOf("2008-01-01");
const PRE_PREGNANCY_CHECKS_FROM = dayOf("2011-01-01");
const MIGRATION_RECORDS_FROM = dayOf("2012-01-01");
const ASSISTANCE_BORN_FROM = dayOf("1933-01-01");
/** 社会抚养费 was decided for births against policy until it was abolished (2021). */
const FEES_UNTIL = dayOf("2021-05-31");
/** The 全员人口 database was built from 2013 (国家人口基础信息库); clerks recorded the population from then on. */
const REGISTER_FROM = dayOf("2013-01-01");
/** Care visits (走访慰问) are kept in the records from 2016. */
const CARE_VISITS_FROM = dayOf("2016-01-01");
/** The operator recorded on the seeded rows that carry one (hukou events, fee decisions, care visits). */
export const SYNTHETIC_OPERATOR = "synthetic-county";

const OUTGOING_REQUEST_SUBJECTS = ["核实婚育情况", "核实生育及避孕节育情况", "核实婚育证明真伪"] as const;
const INCOMING_REQUEST_SUBJECTS = ["协查户籍地婚育情况", "协查生育情况", "协查独生子女领证情况"] as const;
const REQUEST_ANSWERS = ["情况属实", "已核实，已婚，生育一孩", "已核实，未婚未育", "已核实，已落实避孕节育措施"] as const;

const HOUSEHOLD_KIND = weightedTable([
  ["couple", 56],
  ["stem", 31],
  ["single", 13],
] as const);

/** Husband's birth year of a one-couple household (the couple's own children at home). */
const COUPLE_HUSBAND_BIRTH = bands([
  [1930, 1939, 1],
  [1940, 1949, 3],
  [1950, 1959, 6],
  [1960, 1969, 13],
  [1970, 1979, 25],
  [1980, 1989, 32],
  [1990, 1999, 18],
]);

/** Older husband's birth year of a two-couple household. */
const STEM_HUSBAND_BIRTH = bands([
  [1933, 1939, 3],
  [1940, 1949, 16],
  [1950, 1959, 34],
  [1960, 1969, 35],
  [1970, 1975, 12],
]);

const SINGLE_BIRTH = bands([
  [1950, 1959, 2],
  [1960, 1969, 3],
  [1970, 1979, 4],
  [1980, 1989, 5],
  [1990, 1999, 4],
]);

/** Children per couple by the wife's birth cohort, rural / urban (completed fertility, before son preference). */
const FERTILITY: ReadonlyArray<{ until: number; rural: WeightedTable<number>; urban: WeightedTable<number> }> = [
  { until: 1944, rural: counts([0, 0.02, 0.08, 0.2, 0.3, 0.25, 0.15]), urban: counts([0, 0.05, 0.2, 0.35, 0.28, 0.12]) },
  { until: 1954, rural: counts([0, 0.03, 0.15, 0.35, 0.3, 0.17]), urban: counts([0, 0.12, 0.38, 0.38, 0.12]) },
  { until: 1964, rural: counts([0, 0.06, 0.36, 0.4, 0.18]), urban: counts([0, 0.45, 0.42, 0.13]) },
  { until: 1974, rural: counts([0.01, 0.12, 0.55, 0.28, 0.04]), urban: counts([0.02, 0.72, 0.24, 0.02]) },
  { until: 1984, rural: counts([0.01, 0.15, 0.55, 0.24, 0.05]), urban: counts([0.03, 0.62, 0.33, 0.02]) },
  { until: 1994, rural: counts([0.02, 0.2, 0.53, 0.21, 0.04]), urban: counts([0.04, 0.5, 0.42, 0.04]) },
  { until: 9999, rural: counts([0.06, 0.34, 0.45, 0.13, 0.02]), urban: counts([0.12, 0.48, 0.36, 0.04]) },
];

/** Share of the registered who die in a year since 2012, as a chance of having died by `today`, by age. */
function deathChance(age: number): number {
  if (age < 45) return 0;
  if (age < 60) return 0.015;
  if (age < 65) return 0.035;
  if (age < 70) return 0.06;
  if (age < 75) return 0.1;
  if (age < 80) return 0.17;
  if (age < 85) return 0.28;
  if (age < 90) return 0.45;
  if (age < 95) return 0.62;
  return 0.8;
}

const OUTFLOW_DESTINATIONS = weightedTable([
  ["440306", 10], // 深圳市宝安区
  ["441900", 9], // 东莞市
  ["440106", 4], // 广州市天河区
  ["440606", 4], // 佛山市顺德区
  ["441302", 3], // 惠州市惠城区
  ["330110", 5], // 杭州市余杭区
  ["330782", 4], // 义乌市
  ["350583", 3], // 南安市
  ["350206", 2], // 厦门市湖里区
  ["320583", 4], // 昆山市
  ["310115", 3], // 上海市浦东新区
  ["520102", 6], // 贵阳市南明区
  ["520115", 3], // 贵阳市观山湖区
  ["522301", 5], // 兴义市
  ["451031", 3], // 隆林各族自治县
  ["530102", 2], // 昆明市五华区
  ["110105", 1], // 北京市朝阳区
] as const);

const VISITORS = ["村计生专干", "乡镇计生办", "计生协会志愿者", "县卫生健康局"] as const;
const SPECIAL_VISIT_NOTES = ["春节慰问，送慰问金和米油", "了解身体和生活情况，协助就医", "核实特扶资金到账情况", "心理疏导，邀请参加计生协活动"] as const;
const HARDSHIP_VISIT_NOTES = ["春节慰问，送慰问金", "了解低保家庭生活情况", "协助申请临时救助"] as const;
const TWO_HOUSEHOLDS_VISIT_NOTES = ["宣传奖扶政策", "了解家庭生产生活情况", "送健康体检服务"] as const;

/** Where inflow people come from, by the county's province. */
const INFLOW_ORIGINS: Record<string, WeightedTable<string>> = {
  "52": weightedTable([["522301", 10], ["522322", 8], ["522323", 5], ["522324", 5], ["522325", 7], ["522326", 6], ["522327", 6], ["520402", 3], ["520423", 2], ["520425", 2], ["522328", 4], ["520424", 2], ["451031", 5], ["451030", 2], ["530324", 3], ["431321", 1], ["350583", 1], ["500101", 1]]),
  "37": weightedTable([["371521", 8], ["371522", 8], ["371524", 5], ["371525", 6], ["371526", 5], ["371581", 6], ["371402", 3], ["370102", 2], ["410902", 3], ["130402", 2], ["371502", 3]]),
  "12": weightedTable([["120114", 6], ["120111", 3], ["131082", 5], ["130223", 3], ["130281", 3], ["370181", 2], ["410102", 2], ["230102", 2], ["120115", 2]]),
  "43": weightedTable([["431002", 6], ["431003", 5], ["431021", 6], ["431022", 5], ["431024", 4], ["431025", 4], ["431081", 4], ["430121", 2], ["360731", 2], ["441882", 2], ["431023", 3]]),
  "42": weightedTable([["421102", 7], ["421122", 6], ["421123", 5], ["421124", 4], ["421125", 5], ["421126", 5], ["421127", 4], ["421181", 6], ["421182", 3], ["420102", 2], ["421121", 3]]),
};

// ---------------------------------------------------------------------------------------------------------

export function resolveCountyOptions(options: GenerateCountyOptions): ResolvedCountyOptions {
  const resolved: ResolvedCountyOptions = {
    countyCode: options.countyCode,
    people: options.people,
    seed: options.seed,
    sexRatioAtBirth: options.sexRatioAtBirth ?? DEFAULT_SEX_RATIO,
    today: options.today ?? DEFAULT_TODAY,
    outflowShare: options.outflowShare ?? 0.27,
    inflowShare: options.inflowShare ?? 0.14,
    anomalyRate: options.anomalyRate ?? 0,
    hukouHistory: options.hukouHistory ?? false,
  };
  const counties = seedCounties();
  if (!counties.includes(resolved.countyCode)) {
    throw new RangeError(`county ${JSON.stringify(resolved.countyCode)} is not in the division extract; choose one of ${counties.join(", ")}`);
  }
  if (!Number.isInteger(resolved.people) || resolved.people < 1 || resolved.people > 5_000_000) {
    throw new RangeError(`people must be a whole number from 1 to 5,000,000, got ${resolved.people}`);
  }
  if (typeof resolved.seed === "number" ? !Number.isFinite(resolved.seed) : resolved.seed === "") {
    throw new RangeError(`seed must be a finite number or a non-empty string`);
  }
  if (!(resolved.sexRatioAtBirth >= 50 && resolved.sexRatioAtBirth <= 200)) {
    throw new RangeError(`sexRatioAtBirth must be between 50 and 200 (male births per 100 female), got ${resolved.sexRatioAtBirth}`);
  }
  dayOf(resolved.today);
  if (resolved.today < "2016-01-01" || resolved.today > "2100-12-31") throw new RangeError(`today must be a date from 2016 to 2100, got ${resolved.today}`);
  for (const key of ["outflowShare", "inflowShare"] as const) {
    if (!(resolved[key] >= 0 && resolved[key] <= 0.6)) throw new RangeError(`${key} must be between 0 and 0.6, got ${resolved[key]}`);
  }
  if (!(resolved.anomalyRate >= 0 && resolved.anomalyRate <= 0.2)) throw new RangeError(`anomalyRate must be between 0 and 0.2, got ${resolved.anomalyRate}`);
  return resolved;
}

/** Generates the county. Deterministic: equal options (and PERSON_KEY_SECRET) give an equal county. */
export function generateCounty(options: GenerateCountyOptions): County {
  return new Generator(resolveCountyOptions(options)).run();
}

class Generator {
  private readonly rng: Random;
  private readonly today: number;
  private readonly pMale: number;
  private readonly countyCode: string;
  private readonly countyName: string;
  private readonly prefectureName: string;
  private readonly personKey = secret("PERSON_KEY_SECRET");
  private readonly ethnicities: WeightedTable<string>;
  private readonly villages: WeightedTable<Village>;
  private readonly urbanVillages: WeightedTable<Village>;
  private readonly residenceTargets: WeightedTable<Village>;
  private readonly towns: Map<string, RegionRecord>;
  private readonly usedIdNumbers = new Set<string>();
  private readonly usedNumbers = new Set<string>();
  private readonly tables: CountyTables = {
    "public-security": { person: [], household: [], birthRegistration: [], hukouEvent: [] },
    "civil-affairs": { marriageRecord: [], deathRegistration: [], reliefEnrollment: [], disabilityCertificate: [] },
    health: { birthCertificate: [], prePregnancyCheck: [], prePregnancyCheckTarget: [] },
    population: {
      onlyChildCertificate: [],
      birthPermit: [],
      assistanceEnrollment: [],
      migrantRecord: [],
      associationMember: [],
      populationRegister: [],
      socialMaintenanceFee: [],
      careVisit: [],
      interCountyNotice: [],
    },
  };
  /** The inflow persons' 全员人口 rows (appended after the local population's). */
  private readonly inflowRegister: PopulationRegisterRow[] = [];
  private maritalStatusCache: Map<string, RecordedMaritalStatus> | null = null;
  private readonly nonResidents: NonResidentPerson[] = [];
  private readonly households: HouseholdDraft[] = [];
  private readonly couples: Couple[] = [];
  private readonly members: Member[] = [];
  private personCount = 0;

  constructor(private readonly options: ResolvedCountyOptions) {
    this.rng = new Random(`county:${options.countyCode}:${options.seed}`);
    this.today = dayOf(options.today);
    this.pMale = options.sexRatioAtBirth / (100 + options.sexRatioAtBirth);
    this.countyCode = options.countyCode;
    const county = findRegion(options.countyCode)!;
    this.countyName = county.name;
    this.prefectureName = findRegion(options.countyCode.slice(0, 4))?.name ?? "";
    this.ethnicities = ethnicityTable(options.countyCode);

    const layout = this.rng.derive("villages");
    const all: [Village, number][] = [];
    const urban: [Village, number][] = [];
    const residence: [Village, number][] = [];
    this.towns = new Map();
    for (const town of childrenOf(options.countyCode)) {
      this.towns.set(town.code, town);
      for (const village of childrenOf(town.code)) {
        const kind = Number(village.code.slice(9, 12));
        const rural = !(kind >= 1 && kind <= 199);
        const v: Village = {
          code: village.code,
          townCode: town.code,
          townName: town.name,
          label: village.name.replace(/(村民委员会|居民委员会|村委会|居委会|委员会)$/, "") || village.name,
          rural,
          groups: layout.int(5, 16),
          households: 0,
        };
        const weight = rural ? layout.real(0.6, 1.6) : layout.real(0.5, 1.4);
        all.push([v, weight]);
        if (!rural) urban.push([v, weight]);
        residence.push([v, rural ? weight : weight * 4]);
      }
    }
    if (all.length === 0) throw new Error(`the extract has no villages for county ${options.countyCode}`);
    this.villages = weightedTable(all);
    this.urbanVillages = weightedTable(urban.length > 0 ? urban : all);
    this.residenceTargets = weightedTable(residence);
  }

  run(): County {
    this.buildHouseholds();
    this.recordResidenceSplits();
    this.recordBirths();
    this.recordMarriages();
    this.recordDeaths();
    const checks = this.rng.derive("pre-pregnancy");
    this.recordPrePregnancyChecks(checks);
    this.recordPermits();
    this.recordOnlyChildCertificates();
    this.recordAssistance();
    this.recordOtherDisabilityCertificates();
    this.recordRelief();
    this.recordAssociation();
    this.recordOutflow();
    this.recordInflow(checks);
    this.recordVerificationRequests();
    this.recordCheckTargets();
    this.recordSocialMaintenanceFees();
    this.recordCareVisits();
    if (this.options.hukouHistory) this.recordHukouEvents();
    this.recordPopulationRegister();
    const manifest = injectAnomalies(this.anomalyContext());
    return { options: this.options, countyName: this.countyName, tables: this.tables, nonResidents: this.nonResidents, manifest };
  }

  // ------------------------------------------------------------------------------------------ households

  private buildHouseholds(): void {
    const rng = this.rng.derive("households");
    const target = this.options.people;
    while (this.personCount < target) {
      const remaining = target - this.personCount;
      let drafts: HouseholdDraft[] | null = null;
      for (let attempt = 0; attempt < 25 && drafts === null; attempt++) {
        const candidate = this.draftHousehold(rng, remaining < 3 ? "single" : rng.weighted(HOUSEHOLD_KIND));
        if (candidate !== null && registeredIn(candidate) <= remaining) drafts = candidate;
      }
      if (drafts === null) drafts = this.draftHousehold(rng, "single")!;
      for (const draft of drafts) this.acceptHousehold(rng, draft);
    }
  }

  /** One household (two when a divorced husband has moved out), or null when the draw does not work out. */
  private draftHousehold(rng: Random, kind: "couple" | "stem" | "single"): HouseholdDraft[] | null {
    const village = rng.weighted(this.villages);
    const draft: HouseholdDraft = { village, members: [], couples: [], head: null, hasParents: false, uxorilocal: false, row: null, residence: null };
    const ethnicity = rng.weighted(this.ethnicities);

    if (kind === "single") {
      const year = rng.fromBands(SINGLE_BIRTH);
      const sex: SexValue = rng.chance(0.85) ? "MALE" : "FEMALE";
      const person = this.freshPerson(rng, sex, randomDayOfYear(rng, year), ethnicity, Role.C_HUSBAND);
      this.addMember(draft, person);
      draft.head = person;
      return [draft];
    }

    if (kind === "couple") {
      const year = rng.fromBands(COUPLE_HUSBAND_BIRTH);
      const husband = this.freshPerson(rng, "MALE", randomDayOfYear(rng, year), ethnicity, Role.C_HUSBAND);
      const couple = this.marryFresh(rng, husband, draft, Role.C_WIFE, false);
      if (couple === null) return null;
      this.addMember(draft, husband);
      this.addMember(draft, couple.wife);
      this.planBirths(rng, couple);
      this.placeChildren(rng, couple, draft, Role.KID_OF_C);
      this.decideDeaths(rng, draft);
      const extra = this.maybeDivorce(rng, couple, draft);
      this.chooseHead(draft);
      return extra === null ? [draft] : [draft, extra];
    }

    // stem: an older couple P with a married child (CORE) and the CORE's family.
    const year = rng.fromBands(STEM_HUSBAND_BIRTH);
    const pHusband = this.freshPerson(rng, "MALE", randomDayOfYear(rng, year), ethnicity, Role.P_HUSBAND);
    const parents = this.marryFresh(rng, pHusband, draft, Role.P_WIFE, false);
    if (parents === null) return null;
    this.planBirths(rng, parents);
    const core = this.chooseCore(rng, parents);
    if (core === null) return null;
    const coreBirth = parents.births[core];
    const coreMember = this.childOf(rng, coreBirth, Role.CORE);
    coreMember.onlyChild = parents.births.length === 1;
    draft.hasParents = true;
    draft.uxorilocal = coreMember.sex === "FEMALE";
    const coreCouple =
      coreMember.sex === "MALE"
        ? this.marryFresh(rng, coreMember, draft, Role.SPOUSE, coreMember.onlyChild)
        : this.marryFreshHusband(rng, coreMember, draft, coreMember.onlyChild);
    if (coreCouple === null) return null;
    coreBirth.child = coreMember;
    this.addMember(draft, pHusband);
    this.addMember(draft, parents.wife);
    this.addMember(draft, coreMember);
    this.addMember(draft, coreMember.sex === "MALE" ? coreCouple.wife : coreCouple.husband);
    this.placeChildren(rng, parents, draft, Role.KID_OF_P);
    this.planBirths(rng, coreCouple);
    this.placeChildren(rng, coreCouple, draft, Role.KID_OF_C);
    this.decideDeaths(rng, draft);
    this.chooseHead(draft);
    return [draft];
  }

  /** Index of the child of P who stays with a spouse: a son (usually the youngest) or, less often, a daughter. */
  private chooseCore(rng: Random, parents: Couple): number | null {
    const sons: number[] = [];
    const daughters: number[] = [];
    parents.births.forEach((b, i) => {
      const age = ageOn(b.day, this.today);
      if (b.sex === "MALE" && b.day < CERTIFICATE_ERA && age >= 23) sons.push(i);
      if (b.sex === "FEMALE" && age >= 21 && b.day <= dayOf("2004-12-31")) daughters.push(i);
    });
    if (sons.length > 0 && !(daughters.length > 0 && rng.chance(0.1))) return rng.chance(0.6) ? sons[sons.length - 1] : sons[0];
    if (daughters.length > 0 && rng.chance(0.6)) return rng.pick(daughters);
    return null;
  }

  private freshPerson(rng: Random, sex: SexValue, birth: number, ethnicity: string, role: Role): Member {
    const member: Member = {
      sex,
      birth,
      name: surname(rng, ethnicity) + givenName(rng, sex, yearOf(birth)),
      ethnicity,
      role,
      death: null,
      registered: null,
      births: null,
      onlyChild: false,
      movedIn: false,
      movedFrom: null,
      row: null,
      household: null,
    };
    member.registered = this.bornHereRegistration(rng, birth);
    return member;
  }

  private bornHereRegistration(rng: Random, birth: number): number {
    const day = birth < HUKOU_SYSTEM_FROM ? HUKOU_SYSTEM_FROM + rng.int(0, 3 * 365) : birth + rng.int(5, 120);
    return Math.min(day, this.today);
  }

  /** Marries `husband` to a woman from elsewhere in the county (not in the model before); null if he is too young. */
  private marryFresh(rng: Random, husband: Member, draft: HouseholdDraft, wifeRole: Role, onlyChildCouple: boolean, notBefore = -Infinity): Couple | null {
    const gapYears = notBefore > -Infinity ? rng.normal(5, 4, -3, 15) : rng.normal(2.2, 2.3, -3, 10);
    let wifeBirth = husband.birth + Math.round(gapYears * 365.25) + rng.int(-60, 60);
    if (wifeBirth > LAST_OUTSIDER_BIRTH) wifeBirth = LAST_OUTSIDER_BIRTH - rng.int(0, 3 * 365);
    const ethnicity = rng.chance(0.75) ? husband.ethnicity : rng.weighted(this.ethnicities);
    const wife = this.freshPerson(rng, "FEMALE", wifeBirth, ethnicity, wifeRole);
    return this.marry(rng, husband, wife, draft, onlyChildCouple, wifeRole === Role.SPOUSE, notBefore);
  }

  /** A daughter who stays home marries a 上门女婿 from elsewhere in the county. */
  private marryFreshHusband(rng: Random, wife: Member, draft: HouseholdDraft, onlyChildCouple: boolean): Couple | null {
    const gapYears = rng.normal(2.5, 2.3, -2, 10);
    let husbandBirth = wife.birth - Math.round(gapYears * 365.25) + rng.int(-60, 60);
    if (husbandBirth > LAST_OUTSIDER_BIRTH) husbandBirth = LAST_OUTSIDER_BIRTH - rng.int(0, 3 * 365);
    const ethnicity = rng.chance(0.75) ? wife.ethnicity : rng.weighted(this.ethnicities);
    const husband = this.freshPerson(rng, "MALE", husbandBirth, ethnicity, Role.SPOUSE);
    return this.marry(rng, husband, wife, draft, onlyChildCouple, true);
  }

  private marry(
    rng: Random,
    husband: Member,
    wife: Member,
    draft: HouseholdDraft,
    onlyChildCouple: boolean,
    spouseMovesIn: boolean,
    notBefore = -Infinity,
  ): Couple | null {
    const legal = Math.max(addYears(husband.birth, 22), addYears(wife.birth, 20));
    const wifeYear = yearOf(wife.birth);
    const wifeAge = wifeYear < 1960 ? rng.normal(20.5, 1.5, 20, 28) : wifeYear < 1985 ? rng.normal(22, 2, 20, 32) : rng.normal(24, 2.5, 20, 34);
    let married = Math.max(legal, wife.birth + Math.round(wifeAge * 365.25)) + rng.int(0, 200);
    if (married < notBefore) married = notBefore + rng.int(0, 4 * 365);
    if (married > this.today) return null;
    const couple: Couple = {
      husband,
      wife,
      married,
      divorced: null,
      rural: draft.village.rural,
      births: [],
      pending: null,
      special: null,
      onlyChildCouple,
      specialSince: null,
      household: draft,
    };
    if (spouseMovesIn) {
      const mover = wife.role === Role.SPOUSE ? wife : husband;
      mover.registered = Math.min(this.today, Math.max(mover.registered ?? married, married + rng.int(0, 60)));
      mover.movedIn = true;
    } else if (wife.role === Role.C_WIFE || wife.role === Role.P_WIFE) {
      // The wife moved her hukou into the husband's household on marriage.
      wife.registered = Math.min(this.today, Math.max(wife.registered ?? married, married + rng.int(0, 60)));
      wife.movedIn = true;
    }
    draft.couples.push(couple);
    return couple;
  }

  /** Children by the wife's cohort, hukou type and the policy of the time; sex drawn with the requested ratio. */
  private planBirths(rng: Random, couple: Couple): void {
    const wife = couple.wife;
    const wifeYear = yearOf(wife.birth);
    const cohort = FERTILITY.find((f) => wifeYear <= f.until)!;
    let planned = rng.weighted(couple.rural ? cohort.rural : cohort.urban);
    const ageLimit = addYears(wife.birth, 46); // born while she is at most 45
    const end = couple.divorced ?? Infinity;
    const onlyChildCouple = couple.onlyChildCouple;
    let day = couple.married + rng.int(280, 420) + (rng.chance(0.45) ? rng.int(0, 900) : 0);
    let sons = 0;
    for (let i = 0; i < planned && i < 8; i++) {
      if (i > 0) day += Math.round(rng.normal(1050, 420, 430, 3000));
      if (!couple.rural && i === 1 && day >= ONE_CHILD_POLICY_FROM) {
        const allowedFrom = onlyChildCouple ? SINGLE_CHILD_SECOND_FROM : TWO_CHILD_POLICY_BIRTHS_FROM;
        if (day < allowedFrom) {
          if (!rng.chance(0.35)) break;
          day = allowedFrom + rng.int(0, 900);
        }
      }
      if (i >= 2 && day >= ONE_CHILD_POLICY_FROM && day < THREE_CHILD_POLICY_FROM && !couple.rural && rng.chance(0.85)) break;
      if (day >= ageLimit || day > end - 30) break;
      if (day > this.today) {
        if (day <= this.today + 300) couple.pending = { day, order: (wife.births?.length ?? 0) + 1 };
        break;
      }
      const sex: SexValue = rng.chance(this.pMale) ? "MALE" : "FEMALE";
      if (sex === "MALE") sons++;
      const birth: Birth = { day, sex, order: (wife.births?.length ?? 0) + 1, couple, child: null, certificateNumber: null };
      couple.births.push(birth);
      (wife.births ??= []).push(birth);
      (couple.husband.births ??= []).push(birth);
      if (i === planned - 1 && couple.rural && sons === 0 && planned < 4 && rng.chance(0.45)) planned++;
    }
  }

  /** Puts the couple's children who live at home into the household: everyone born since 2000, older ones while unmarried. */
  private placeChildren(rng: Random, couple: Couple, draft: HouseholdDraft, role: Role): void {
    for (const birth of couple.births) {
      if (birth.child !== null) continue; // the CORE, already placed
      if (birth.day < CERTIFICATE_ERA) {
        const age = ageOn(birth.day, this.today);
        const home =
          birth.sex === "MALE" ? (age < 22 ? 1 : Math.max(age > 45 ? 0.05 : 0.1, 1 - (age - 22) / 9)) : age < 20 ? 1 : Math.max(0.03, 1 - (age - 20) / 6);
        if (!rng.chance(home)) continue;
      }
      const child = this.childOf(rng, birth, role);
      birth.child = child;
      if (child.registered !== null) this.addMember(draft, child);
      else child.household = draft;
    }
  }

  private childOf(rng: Random, birth: Birth, role: Role): Member {
    const { husband, wife } = birth.couple;
    const ethnicity = husband.ethnicity === "汉族" && wife.ethnicity !== "汉族" && rng.chance(0.7) ? wife.ethnicity : husband.ethnicity;
    const surnameFrom = birth.couple.household.uxorilocal && rng.chance(0.5) ? wife : rng.chance(0.95) ? husband : wife;
    const family = Array.from(surnameFrom.name)[0];
    let registered: number | null;
    if (birth.day >= CERTIFICATE_ERA) {
      const day = birth.day + rng.int(2, 30);
      registered = day <= this.today ? day : null;
    } else {
      registered = this.bornHereRegistration(rng, birth.day);
    }
    return {
      sex: birth.sex,
      birth: birth.day,
      name: family + givenName(rng, birth.sex, yearOf(birth.day)),
      ethnicity,
      role,
      death: null,
      registered,
      births: null,
      onlyChild: birth.couple.births.length === 1,
      movedIn: false,
      movedFrom: null,
      row: null,
      household: null,
    };
  }

  private addMember(draft: HouseholdDraft, member: Member): void {
    member.household = draft;
    draft.members.push(member);
  }

  /** Deaths since 2012 among the older members; 失独 / 伤残 for a few one-child couples. */
  private decideDeaths(rng: Random, draft: HouseholdDraft): void {
    for (const couple of draft.couples) {
      const isParents = draft.hasParents && couple === draft.couples[0];
      if (draft.hasParents && !isParents) continue; // the core couple of a two-couple household stays alive
      const candidates = [couple.husband, couple.wife];
      let deaths = 0;
      for (const person of candidates) {
        if (person.household !== draft) continue;
        const age = ageOn(person.birth, this.today);
        if (!rng.chance(deathChance(age))) continue;
        const lastBirth = person.births?.[person.births.length - 1]?.day ?? -Infinity;
        const from = Math.max(DEATHS_FROM, addYears(person.birth, 50), couple.married + 365, lastBirth + 300, (person.registered ?? 0) + 30);
        const to = this.today - 1;
        if (from > to) continue;
        // Both may die only where a younger couple keeps the household.
        if (deaths === 1 && !draft.hasParents) continue;
        person.death = rng.int(from, to);
        deaths++;
      }
      // Special assistance cases: the only child died (失独) or is disabled (伤残).
      const only = couple.births.length === 1 ? couple.births[0] : null;
      const wifeYear = yearOf(couple.wife.birth);
      if (only && only.child && only.child.registered !== null && only.child.role !== Role.CORE && wifeYear >= 1945 && wifeYear <= 1976 && yearOf(only.day) >= 1975) {
        const roll = rng.next();
        if (roll < 0.05) {
          const from = Math.max(DEATHS_FROM, addYears(only.day, 5), (only.child.registered ?? 0) + 30);
          if (from < this.today - 1) {
            only.child.death = rng.int(from, this.today - 1);
            couple.special = "DECEASED";
          }
        } else if (roll < 0.09) {
          couple.special = "DISABLED";
          couple.specialSince = Math.max(SPECIAL_ASSISTANCE_FROM, only.day + rng.int(365, 20 * 365));
        }
      }
    }
  }

  /** Some couples married since 1990 divorce: the husband leaves (and may remarry), the children stay with their mother. */
  private maybeDivorce(rng: Random, couple: Couple, draft: HouseholdDraft): HouseholdDraft | null {
    if (couple.married < dayOf("1990-01-01") || couple.husband.death !== null || couple.wife.death !== null) return null;
    if (!rng.chance(0.07)) return null;
    const lastBirth = couple.births.length > 0 ? couple.births[couple.births.length - 1].day : couple.married;
    const from = Math.max(couple.married + 2 * 365, lastBirth + 180);
    const to = Math.min(couple.married + 18 * 365, this.today - 60);
    if (from > to) return null;
    // After the last birth, so every child was born in the marriage; a planned next child does not come.
    couple.divorced = rng.int(from, to);
    couple.pending = null;
    const husband = couple.husband;
    draft.members.splice(draft.members.indexOf(husband), 1);
    const village = rng.chance(0.7) ? draft.village : rng.weighted(this.villages);
    const own: HouseholdDraft = { village, members: [], couples: [], head: husband, hasParents: false, uxorilocal: false, row: null, residence: null };
    this.addMember(own, husband);
    husband.registered = Math.min(this.today, Math.max(husband.registered ?? 0, couple.divorced + rng.int(1, 60)));
    husband.movedIn = true;
    husband.movedFrom = draft.village.code;
    if (ageOn(husband.birth, couple.divorced) < 50 && rng.chance(0.5)) {
      const second = this.marryFresh(rng, husband, own, Role.C_WIFE, false, couple.divorced + 180);
      if (second !== null) {
        this.addMember(own, second.wife);
        this.planBirths(rng, second);
        this.placeChildren(rng, second, own, Role.KID_OF_C);
      }
    }
    return own;
  }

  private chooseHead(draft: HouseholdDraft): void {
    const alive = (m: Member) => m.death === null && m.household === draft;
    if (draft.hasParents) {
      const [parents, core] = draft.couples;
      const upper = [parents.husband, parents.wife].filter(alive);
      const coreMember = draft.uxorilocal ? core.wife : core.husband;
      draft.head = upper.length > 0 && ageOn(upper[0].birth, this.today) < 72 ? upper[0] : coreMember;
      return;
    }
    const couple = draft.couples[0];
    if (!couple) {
      draft.head = draft.members[0];
      return;
    }
    draft.head = alive(couple.husband) ? couple.husband : couple.wife;
  }

  /** Gives the accepted draft its number, address and persons (ID numbers, pseudonyms, relations). */
  private acceptHousehold(rng: Random, draft: HouseholdDraft): void {
    const village = draft.village;
    const seq = ++village.households;
    const number = `${village.code}${String(seq).padStart(5, "0")}`;
    const group = ((seq - 1) % village.groups) + 1;
    const houseNo = Math.floor((seq - 1) / village.groups) + 1;
    const address = `${this.countyName}${village.townName}${village.label}${group}组${houseNo}号`;
    const type = village.rural ? "RURAL" : "URBAN";
    const head = draft.head!;
    const ordered = [head, ...draft.members.filter((m) => m !== head)];
    draft.members = ordered;
    for (const member of ordered) {
      if (member.registered === null) continue;
      const idNumber = this.allocateIdNumber(rng, this.countyCode, member.birth, member.sex);
      const registered = member.registered;
      member.row = {
        id: personIdFor(idNumber, this.personKey),
        idNumber,
        name: member.name,
        sex: member.sex,
        birthDate: iso(member.birth),
        ethnicity: member.ethnicity,
        status: member.death === null ? "ACTIVE" : "DECEASED",
        householdNumber: number,
        relationToHead: this.relationToHead(draft, head, member),
        hukouType: type,
        hukouRegionCode: village.code,
        hukouRegisteredOn: iso(registered),
        hukouCancelledOn: member.death === null ? null : iso(Math.min(this.today, member.death + rng.int(3, 30))),
        residenceRegionCode: village.code,
        residenceAddress: address,
        residenceSince: iso(registered),
      };
      this.tables["public-security"].person.push(member.row);
      this.members.push(member);
      this.personCount++;
    }
    draft.row = { householdNumber: number, type, address, regionCode: village.code, headPersonId: head.row!.id };
    this.tables["public-security"].household.push(draft.row);
    this.households.push(draft);
    for (const couple of draft.couples) this.couples.push(couple);
  }

  private relationToHead(draft: HouseholdDraft, head: Member, m: Member): string {
    if (m === head) return "户主";
    const son = (x: Member) => (x.sex === "MALE" ? "子" : "女");
    const headIsParent = head.role === Role.P_HUSBAND || head.role === Role.P_WIFE;
    switch (m.role) {
      case Role.P_HUSBAND:
      case Role.P_WIFE:
        if (headIsParent) return "配偶";
        return m.role === Role.P_HUSBAND ? "父亲" : "母亲";
      case Role.CORE:
        return son(m);
      case Role.SPOUSE:
        if (headIsParent) return draft.uxorilocal ? "女婿" : "儿媳";
        return "配偶";
      case Role.C_HUSBAND:
      case Role.C_WIFE:
        return "配偶";
      case Role.KID_OF_P:
        if (headIsParent) return son(m);
        if (head.role === Role.CORE) {
          const older = m.birth < head.birth;
          return m.sex === "MALE" ? (older ? "兄" : "弟") : older ? "姐" : "妹";
        }
        return "其他";
      case Role.KID_OF_C:
        if (headIsParent) {
          if (draft.uxorilocal) return m.sex === "MALE" ? "外孙子" : "外孙女";
          return m.sex === "MALE" ? "孙子" : "孙女";
        }
        return son(m);
    }
  }

  /** A unique, valid 18-digit number: the county as address code, the real birth date, a sequence whose parity gives the sex. */
  private allocateIdNumber(rng: Random, addressCode: string, birth: number, sex: SexValue): string {
    const date = iso(birth);
    for (let attempt = 0; attempt < 40; attempt++) {
      const sequence = rng.int(0, 499) * 2 + (sex === "MALE" ? 1 : 0);
      const idNumber = makeIdNumber(addressCode, date, sequence);
      if (!this.usedIdNumbers.has(idNumber)) {
        this.usedIdNumbers.add(idNumber);
        return idNumber;
      }
    }
    for (let sequence = sex === "MALE" ? 1 : 0; sequence <= 999; sequence += 2) {
      const idNumber = makeIdNumber(addressCode, date, sequence);
      if (!this.usedIdNumbers.has(idNumber)) {
        this.usedIdNumbers.add(idNumber);
        return idNumber;
      }
    }
    throw new Error(`no free ID sequence left for ${addressCode} ${date} (${sex})`);
  }

  /** A number that is unique in the whole county model (certificates, permits ...). */
  private uniqueNumber(rng: Random, make: (rng: Random) => string): string {
    for (;;) {
      const n = make(rng);
      if (!this.usedNumbers.has(n)) {
        this.usedNumbers.add(n);
        return n;
      }
    }
  }

  // ------------------------------------------------------------------------------------------ records

  private institutionFor(rng: Random, townCode: string, purpose: "birth" | "check"): string {
    const town = this.towns.get(townCode)?.name ?? "";
    const roll = rng.next();
    const county = this.countyName;
    if (purpose === "check") {
      if (roll < 0.4) return `${county}妇幼保健院`;
      return town.endsWith("街道") ? `${town}社区卫生服务中心` : `${town}卫生院`;
    }
    if (roll < 0.36) return `${county}人民医院`;
    if (roll < 0.66) return `${county}妇幼保健院`;
    if (roll < 0.74) return `${county}中医医院`;
    if (roll < 0.95 && !town.endsWith("街道")) return `${town}卫生院`;
    if (roll < 0.95) return `${county}人民医院`;
    return `${this.prefectureName}人民医院`;
  }

  /** 出生医学证明 for births since 2000 and 落户 for the children registered by `today`. */
  private recordBirths(): void {
    const rng = this.rng.derive("births");
    const certificates = this.tables.health.birthCertificate;
    const registrations = this.tables["public-security"].birthRegistration;
    const province = this.countyCode.slice(0, 2);
    for (const couple of this.couples) {
      for (const birth of couple.births) {
        if (birth.day < CERTIFICATE_ERA || birth.day > this.today) continue;
        const year = yearOf(birth.day);
        const number = this.uniqueNumber(rng, (r) => certificateLetter(year) + province + String(r.int(0, 9_999_999)).padStart(7, "0"));
        birth.certificateNumber = number;
        const mother = couple.wife;
        const household = mother.household ?? couple.household;
        const child = birth.child!;
        const motherRow = mother.row!;
        const livedIn =
          motherRow.residenceSince !== null && motherRow.residenceSince <= iso(birth.day) ? motherRow.residenceRegionCode! : household.village.code;
        certificates.push({
          certificateNumber: number,
          childName: child.name,
          sex: birth.sex,
          birthDate: iso(birth.day),
          birthOrder: birth.order,
          institution: this.institutionFor(rng, livedIn.slice(0, 9), "birth"),
          regionCode: livedIn,
          motherIdNumber: mother.row!.idNumber,
          motherPersonId: mother.row!.id,
          fatherIdNumber: couple.husband.row!.idNumber,
          fatherPersonId: couple.husband.row!.id,
        });
        if (child.row !== null) {
          registrations.push({ certificateNumber: number, personId: child.row.id, registeredOn: iso(child.registered!) });
        }
      }
    }
  }

  /** 结婚登记 for every couple, 离婚登记 for the divorced; numbered per county and year in date order. */
  private recordMarriages(): void {
    const events: { day: number; kind: "MARRIAGE" | "DIVORCE"; couple: Couple }[] = [];
    for (const couple of this.couples) {
      events.push({ day: couple.married, kind: "MARRIAGE", couple });
      if (couple.divorced !== null) events.push({ day: couple.divorced, kind: "DIVORCE", couple });
    }
    events.sort((a, b) => a.day - b.day);
    const sequence = new Map<string, number>();
    for (const e of events) {
      const year = yearOf(e.day);
      const prefix = e.kind === "MARRIAGE" ? "J" : "L";
      const key = `${prefix}${year}`;
      const n = (sequence.get(key) ?? 0) + 1;
      sequence.set(key, n);
      const { husband, wife } = e.couple;
      this.tables["civil-affairs"].marriageRecord.push({
        registrationNumber: `${prefix}${this.countyCode}-${year}-${String(n).padStart(6, "0")}`,
        kind: e.kind,
        registeredOn: iso(e.day),
        husbandPersonId: husband.row!.id,
        husbandIdNumber: husband.row!.idNumber,
        wifePersonId: wife.row!.id,
        wifeIdNumber: wife.row!.idNumber,
        regionCode: e.couple.household.village.townCode,
      });
    }
  }

  /** 死亡登记 for every deceased person, with a 火化 number for some (most urban, fewer rural). */
  private recordDeaths(): void {
    const rng = this.rng.derive("deaths");
    const deceased = this.members.filter((m) => m.death !== null && m.row !== null).sort((a, b) => a.death! - b.death!);
    const sequence = new Map<number, number>();
    for (const m of deceased) {
      const village = m.household!.village;
      const registered = Math.min(this.today, m.death! + rng.int(1, 20));
      let cremationNumber: string | null = null;
      if (rng.chance(village.rural ? 0.35 : 0.85)) {
        const year = yearOf(m.death!);
        const n = (sequence.get(year) ?? 0) + 1;
        sequence.set(year, n);
        cremationNumber = `HH${this.countyCode}${year}${String(n).padStart(5, "0")}`;
      }
      this.tables["civil-affairs"].deathRegistration.push({
        personId: m.row!.id,
        idNumber: m.row!.idNumber,
        deathDate: iso(m.death!),
        registeredOn: iso(registered),
        regionCode: village.code,
        cremationNumber,
      });
    }
  }

  /** 人户分离: a few per cent live in another village of the county (mostly the county seat's communities). */
  private recordResidenceSplits(): void {
    const rng = this.rng.derive("residence");
    for (const draft of this.households) {
      const whole = rng.chance(0.03);
      let target: { code: string; address: string; since: number } | null = null;
      if (whole) {
        const v = rng.weighted(this.residenceTargets);
        if (v.code !== draft.village.code) {
          const earliest = Math.max(dayOf("2008-01-01"), ...draft.members.map((m) => m.registered ?? 0));
          if (earliest < this.today) target = { code: v.code, address: this.residenceAddress(rng, v), since: rng.int(earliest, this.today) };
        }
      }
      draft.residence = target;
      for (const m of draft.members) {
        const row = m.row;
        if (row === null || m.death !== null) continue;
        let own = target;
        if (own === null && ageOn(m.birth, this.today) >= 18 && rng.chance(0.012)) {
          const v = rng.weighted(this.residenceTargets);
          const from = Math.max(m.registered!, addYears(m.birth, 18));
          if (v.code !== draft.village.code && from < this.today) own = { code: v.code, address: this.residenceAddress(rng, v), since: rng.int(from, this.today) };
        }
        if (own !== null && own.since >= m.registered!) {
          row.residenceRegionCode = own.code;
          row.residenceAddress = own.address;
          row.residenceSince = iso(own.since);
        }
      }
    }
  }

  private residenceAddress(rng: Random, v: Village): string {
    return `${this.countyName}${v.townName}${v.label}${rng.int(1, v.groups)}组${rng.int(1, 300)}号`;
  }

  /** Where a member lives: the residence village when it differs from the hukou village. */
  private livesIn(m: Member): string {
    return m.row?.residenceRegionCode ?? m.household!.village.code;
  }

  /** 孕前优生健康检查 for rural couples married since 2011 (before the first child) and before some second births. */
  private recordPrePregnancyChecks(rng: Random): void {
    for (const couple of this.couples) {
      if (!couple.rural || couple.married < PRE_PREGNANCY_CHECKS_FROM) continue;
      const first = couple.births[0]?.day ?? null;
      if (rng.chance(0.7)) {
        let day = couple.married + rng.int(14, 240);
        if (first !== null && day > first - 60) day = first - rng.int(90, 270);
        if (day >= couple.married && day <= this.today && (first === null || day < first)) this.pushCheck(rng, couple.wife, couple.husband, day);
      }
      const second = couple.births[1];
      if (second && second.day >= dayOf("2016-06-01") && rng.chance(0.35)) {
        const day = second.day - rng.int(120, 330);
        if (day > couple.births[0].day) this.pushCheck(rng, couple.wife, couple.husband, day);
      }
    }
  }

  private pushCheck(rng: Random, woman: Member | NonResidentPerson, man: Member | NonResidentPerson | null, day: number, regionCode?: string): void {
    if ("row" in woman && woman.death !== null && woman.death <= day) return;
    if (man !== null && "row" in man && man.death !== null && man.death <= day) man = null;
    const w = "row" in woman ? woman.row! : woman;
    const withMan = man !== null && rng.chance(0.85);
    const m = man === null ? null : "row" in man ? man.row! : man;
    const region = regionCode ?? this.livesIn(woman as Member);
    this.tables.health.prePregnancyCheck.push({
      id: rng.uuid(),
      checkedOn: iso(day),
      womanIdNumber: w.idNumber,
      womanPersonId: w.id,
      manIdNumber: withMan && m ? m.idNumber : null,
      manPersonId: withMan && m ? m.id : null,
      institution: this.institutionFor(rng, region.slice(0, 9), "check"),
      regionCode: region,
      riskFound: rng.chance(0.09),
    });
  }

  /** A yearly target per town such that the checks made are 55–90% of it. */
  private recordCheckTargets(): void {
    const rng = this.rng.derive("targets");
    const counts = new Map<string, number>();
    for (const c of this.tables.health.prePregnancyCheck) {
      const key = `${c.regionCode.slice(0, 9)}|${c.checkedOn.slice(0, 4)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    for (const key of [...counts.keys()].sort()) {
      const count = counts.get(key)!;
      const [townCode, year] = key.split("|");
      const low = Math.ceil(count / 0.9);
      const high = Math.floor(count / 0.55);
      const wanted = Math.round(count / rng.real(0.55, 0.9));
      const target = low <= high ? Math.min(high, Math.max(low, wanted)) : low;
      this.tables.health.prePregnancyCheckTarget.push({ townCode, year: Number(year), target });
    }
  }

  /** 生育登记 (from 2016) and 再生育审批 (2014–2015) for births since 2014, and for births on the way. */
  private recordPermits(): void {
    const rng = this.rng.derive("permits");
    const permits: { day: number; kind: string; couple: Couple; order: number }[] = [];
    for (const couple of this.couples) {
      const planned = couple.births.map((b) => ({ day: b.day, order: b.order }));
      if (couple.pending) planned.push(couple.pending);
      for (const { day: birthDay, order } of planned) {
        let approved = birthDay - rng.int(200, 330);
        approved = Math.max(approved, couple.married + 7);
        if (approved > this.today || approved < SINGLE_CHILD_APPROVALS_FROM) continue;
        let kind: string | null = null;
        if (approved < BIRTH_REGISTRATION_FROM) {
          if (order === 2 && rng.chance(0.95)) {
            const singleChild = couple.husband.onlyChild || couple.wife.onlyChild;
            if (singleChild) kind = "再生育审批(单独二孩)";
            else if (couple.rural) kind = "再生育审批";
            else if (birthDay >= TWO_CHILD_POLICY_BIRTHS_FROM) {
              approved = BIRTH_REGISTRATION_FROM + rng.int(0, 40);
              if (approved < birthDay) kind = "生育登记";
            }
          }
        } else if (order <= 2) {
          if (rng.chance(order === 2 ? 0.95 : 0.75)) kind = "生育登记";
        } else if (approved >= THREE_CHILD_POLICY_FROM && order === 3 && rng.chance(0.9)) {
          kind = "生育登记";
        }
        if (kind !== null && approved <= this.today) permits.push({ day: approved, kind, couple, order });
      }
    }
    permits.sort((a, b) => a.day - b.day);
    const sequence = new Map<string, number>();
    for (const p of permits) {
      const year = yearOf(p.day);
      const prefix = p.kind === "生育登记" ? "SY" : "ZS";
      const key = `${prefix}${year}`;
      const n = (sequence.get(key) ?? 0) + 1;
      sequence.set(key, n);
      this.tables.population.birthPermit.push({
        number: `${prefix}${this.countyCode}-${year}-${String(n).padStart(6, "0")}`,
        kind: p.kind,
        approvedOn: iso(p.day),
        wifePersonId: p.couple.wife.row!.id,
        husbandPersonId: p.couple.husband.row!.id,
        regionCode: p.couple.household.village.townCode,
        birthOrder: p.order,
      });
    }
  }

  /** 独生子女父母光荣证 for couples whose one and only child was born 1980–2015. */
  private recordOnlyChildCertificates(): void {
    const rng = this.rng.derive("only-child");
    const issued: { day: number; couple: Couple; child: Member | null }[] = [];
    for (const couple of this.couples) {
      if (couple.births.length !== 1 || couple.pending !== null) continue;
      if ((couple.husband.births?.length ?? 0) !== 1 || (couple.wife.births?.length ?? 0) !== 1) continue;
      const birth = couple.births[0];
      if (birth.day < ONE_CHILD_POLICY_FROM || birth.day > ONLY_CHILD_CERTIFICATES_UNTIL) continue;
      if (!rng.chance(couple.rural ? 0.7 : 0.9)) continue;
      const latest = Math.min(ONLY_CHILD_CERTIFICATES_UNTIL, this.today, birth.day + 1500);
      const earliest = birth.day + 30;
      if (earliest > latest) continue;
      issued.push({ day: rng.int(earliest, latest), couple, child: birth.child?.row ? birth.child : null });
    }
    issued.sort((a, b) => a.day - b.day);
    const sequence = new Map<number, number>();
    for (const c of issued) {
      const year = yearOf(c.day);
      const n = (sequence.get(year) ?? 0) + 1;
      sequence.set(year, n);
      this.tables.population.onlyChildCertificate.push({
        number: `DZ${this.countyCode}-${year}-${String(n).padStart(6, "0")}`,
        issuedOn: iso(c.day),
        fatherPersonId: c.couple.husband.row!.id,
        motherPersonId: c.couple.wife.row!.id,
        childPersonId: c.child?.row?.id ?? null,
        regionCode: c.couple.household.village.townCode,
      });
    }
  }

  /** 奖扶 for rural parents aged 60+ with one child or two girls; 特扶 for the 失独 / 伤残 couples. */
  private recordAssistance(): void {
    const rng = this.rng.derive("assistance");
    const rows = this.tables.population.assistanceEnrollment;
    for (const m of this.members) {
      const row = m.row!;
      if (!m.household!.village.rural || m.birth < ASSISTANCE_BORN_FROM || !m.births || ageOn(m.birth, this.today) < 60) continue;
      const births = m.births.filter((b) => b.day <= this.today);
      const girls = births.filter((b) => b.sex === "FEMALE").length;
      const qualifies = births.length === 1 || (births.length === 2 && girls === 2);
      if (!qualifies) continue;
      // Everyone who qualifies is enrolled from the 60th birthday (a missing enrollment is an injected anomaly).
      const since = Math.max(REWARD_ASSISTANCE_FROM, addYears(m.birth, 60));
      if (since > this.today || (m.death !== null && m.death <= since)) continue;
      rows.push({ personId: row.id, program: "REWARD_ASSISTANCE", since: iso(since), until: m.death === null ? null : iso(m.death), regionCode: m.household!.village.code });
    }
    // The 残疾人证 of disabled only children: a stream of its own, so that the rest of the county is as it was without them.
    const certificates = this.rng.derive("disability-certificates");
    for (const couple of this.couples) {
      if (couple.special === null) continue;
      const child = couple.births[0].child!;
      const event = couple.special === "DECEASED" ? child.death! : couple.specialSince!;
      const since = firstOfNextMonth(Math.max(SPECIAL_ASSISTANCE_FROM, addYears(couple.wife.birth, 49), event));
      if (since > this.today) {
        if (couple.special === "DISABLED") this.pushDisabilityCertificate(certificates, child, couple.specialSince!, null);
        continue;
      }
      const recovered = couple.special === "DISABLED" && rng.chance(0.05) ? since + rng.int(365, 5 * 365) : null;
      if (couple.special === "DISABLED") this.pushDisabilityCertificate(certificates, child, couple.specialSince!, recovered !== null && recovered < this.today ? recovered : null);
      for (const parent of [couple.husband, couple.wife]) {
        if (parent.row === null || parent.household === null || (parent.death !== null && parent.death <= since)) continue;
        let until = parent.death;
        if (recovered !== null && recovered < this.today && (until === null || recovered < until)) until = recovered;
        rows.push({
          personId: parent.row.id,
          program: couple.special === "DECEASED" ? "SPECIAL_ASSISTANCE_CHILD_DECEASED" : "SPECIAL_ASSISTANCE_CHILD_DISABLED",
          since: iso(since),
          until: until === null ? null : iso(until),
          regionCode: parent.household.village.code,
        });
      }
    }
  }

  /**
   * 残疾人证 (grade 1–3, the grades 特扶 requires) of a disabled only child from the day the disability was
   * certified, withdrawn when the child recovered; none before it was certified or for a child with no record.
   */
  private pushDisabilityCertificate(rng: Random, child: Member, certified: number, revoked: number | null): void {
    if (child.row === null || certified > this.today || (child.death !== null && child.death <= certified)) return;
    const grade = rng.int(1, 3);
    // 残联 numbers a certificate from the holder's ID number, the category (1 视力 … 7 多重) and the grade.
    this.tables["civil-affairs"].disabilityCertificate.push({
      certificateNumber: `${child.row.idNumber}${rng.int(1, 7)}${grade}`,
      personId: child.row.id,
      idNumber: child.row.idNumber,
      grade,
      issuedOn: iso(certified),
      revokedOn: revoked === null ? null : iso(revoked),
      regionCode: child.household?.village.code ?? child.row.hukouRegionCode,
    });
  }

  /**
   * 残疾人证 of other residents (about 1.5 per cent, grades 1–4 with the milder ones more common). Never for a child
   * named on an only-child certificate: for those a certificate decides 特扶, and only the 伤残 families above hold one.
   */
  private recordOtherDisabilityCertificates(): void {
    const rng = this.rng.derive("disability-other");
    const onlyChildren = new Set(this.tables.population.onlyChildCertificate.map((c) => c.childPersonId));
    const held = new Set(this.tables["civil-affairs"].disabilityCertificate.map((c) => c.personId));
    const grades = weightedTable<number>([
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
    ]);
    const start = dayOf("2008-01-01");
    for (const m of this.members) {
      if (m.row === null || onlyChildren.has(m.row.id) || held.has(m.row.id) || !rng.chance(0.015)) continue;
      const from = Math.max(start, m.birth + 365);
      const to = m.death === null ? this.today : m.death - 1;
      if (from > to) continue;
      const grade = rng.weighted(grades);
      this.tables["civil-affairs"].disabilityCertificate.push({
        certificateNumber: `${m.row.idNumber}${rng.int(1, 7)}${grade}`,
        personId: m.row.id,
        idNumber: m.row.idNumber,
        grade,
        issuedOn: iso(rng.int(from, to)),
        revokedOn: null,
        regionCode: m.household?.village.code ?? m.row.hukouRegionCode,
      });
    }
  }

  /** 低保 for a few per cent of households (every member), 特困供养 for some elderly people living alone. */
  private recordRelief(): void {
    const rng = this.rng.derive("relief");
    for (const draft of this.households) {
      const living = draft.members.filter((m) => m.row !== null && m.death === null);
      let program: string | null = null;
      if (living.length === 1 && ageOn(living[0].birth, this.today) >= 60 && rng.chance(0.25)) program = "特困供养";
      else if (rng.chance(draft.village.rural ? 0.045 : 0.025)) program = draft.village.rural ? "农村低保" : "城市低保";
      if (program === null) continue;
      const earliest = Math.max(dayOf("2010-01-01"), draft.head!.registered!);
      if (earliest >= this.today - 30) continue;
      const since = rng.int(earliest, this.today - 30);
      const ended = rng.chance(0.15) ? since + rng.int(180, 1800) : null;
      for (const m of draft.members) {
        if (m.row === null || (m.death !== null && m.death <= since) || m.registered! > since) continue;
        let until = ended !== null && ended < this.today ? ended : null;
        if (m.death !== null && (until === null || m.death < until)) until = m.death;
        this.tables["civil-affairs"].reliefEnrollment.push({ personId: m.row.id, program, since: iso(since), until: until === null ? null : iso(until), regionCode: draft.village.code });
      }
    }
  }

  /** 计生协会员: about one adult in seven (安龙: 35,000 of 330,000 people), more among women of childbearing age. */
  private recordAssociation(): void {
    const rng = this.rng.derive("association");
    for (const m of this.members) {
      if (m.death !== null) continue;
      const age = ageOn(m.birth, this.today);
      if (age < 18) continue;
      const p = m.sex === "FEMALE" && age <= 49 ? 0.2 : age >= 50 && age < 75 ? 0.15 : 0.1;
      if (!rng.chance(p)) continue;
      const from = Math.max(addYears(m.birth, 18), dayOf("1998-01-01"), m.registered!);
      if (from > this.today) continue;
      this.tables.population.associationMember.push({ personId: m.row!.id, joinedOn: iso(rng.int(from, this.today)), regionCode: m.household!.village.code });
    }
  }

  /** 流出: working-age people who left for work, with 婚育证明 for most women aged 18–49. */
  private recordOutflow(): void {
    const rng = this.rng.derive("outflow");
    const weight = (age: number) => (age < 16 || age > 59 ? 0 : age < 18 ? 0.25 : age < 30 ? 1 : age < 40 ? 0.9 : age < 50 ? 0.6 : 0.25);
    const eligible = this.members.filter((m) => m.death === null && weight(ageOn(m.birth, this.today)) > 0);
    const total = eligible.reduce((s, m) => s + weight(ageOn(m.birth, this.today)), 0);
    const wanted = this.options.outflowShare * this.options.people;
    const scale = total > 0 ? wanted / total : 0;
    const moves: { m: Member; day: number; to: string }[] = [];
    for (const m of eligible) {
      if (!rng.chance(Math.min(0.95, weight(ageOn(m.birth, this.today)) * scale))) continue;
      const from = Math.max(MIGRATION_RECORDS_FROM, addYears(m.birth, 16), m.registered! + 1);
      if (from >= this.today) continue;
      // Later years are likelier: a move is recorded when it happens, and earlier movers have often come back.
      const day = this.today - Math.floor((this.today - from) * Math.pow(rng.next(), 1.6));
      moves.push({ m, day: Math.max(from, Math.min(day, this.today - 1)), to: rng.weighted(OUTFLOW_DESTINATIONS) });
    }
    const sequence = new Map<number, number>();
    const rows = this.tables.population.migrantRecord;
    for (const { m, day, to } of moves) {
      const row: MigrantRecordRow = {
        personId: m.row!.id,
        idNumber: m.row!.idNumber,
        sex: m.sex,
        birthDate: iso(m.birth),
        direction: "OUTFLOW",
        fromRegionCode: m.household!.village.code,
        toRegionCode: to,
        movedOn: iso(day),
        certificateNumber: null,
        certificateIssuedOn: null,
        certificateValidUntil: null,
        submittedAtDestinationOn: null,
      };
      const age = ageOn(m.birth, day);
      // Every woman aged 18–49 gets her 婚育证明 before leaving (one without is an injected anomaly).
      if (m.sex === "FEMALE" && age >= 18 && age <= 49) {
        const issued = Math.max(day - rng.int(0, 25), addYears(m.birth, 18));
        const year = yearOf(issued);
        const n = (sequence.get(year) ?? 0) + 1;
        sequence.set(year, n);
        row.certificateNumber = `HY${this.countyCode}${year}${String(n).padStart(6, "0")}`;
        row.certificateIssuedOn = iso(issued);
        row.certificateValidUntil = iso(addYears(issued, 3) - 1);
        row.submittedAtDestinationOn = this.submission(rng, day);
      }
      rows.push(row);
    }
  }

  /** When a woman handed in her 婚育证明 at the destination: mostly within 30 days of arriving. */
  private submission(rng: Random, moved: number): string | null {
    const roll = rng.next();
    const day = roll < 0.78 ? moved + rng.int(1, 30) : roll < 0.88 ? moved + rng.int(31, 150) : null;
    return day === null || day > this.today ? null : iso(day);
  }

  /** 流入: people with hukou elsewhere living here; in population's records (and health's, for births and checks) only. */
  private recordInflow(checkRng: Random): void {
    const rng = this.rng.derive("inflow");
    const origins = INFLOW_ORIGINS[this.countyCode.slice(0, 2)] ?? INFLOW_ORIGINS["52"];
    const wanted = Math.round(this.options.inflowShare * this.options.people);
    const rows = this.tables.population.migrantRecord;
    const province = this.countyCode.slice(0, 2);
    // A stream of its own, so that the notices leave the rest of the county as it was without them.
    const notices = this.rng.derive("birth-notices");
    let count = 0;
    while (count < wanted) {
      let origin = rng.weighted(origins);
      if (origin === this.countyCode) origin = rng.weighted(origins);
      if (origin === this.countyCode) continue;
      const village = rng.weighted(this.residenceTargets);
      const moved = rng.int(MIGRATION_RECORDS_FROM, this.today - 1);
      const ethnicity = origin.startsWith("52") ? rng.weighted(this.ethnicities) : "汉族";
      const family = rng.chance(0.45) && wanted - count >= 2;
      const units: NonResidentUnit[] = [];
      if (!family) {
        const sex: SexValue = rng.chance(0.62) ? "MALE" : "FEMALE";
        const age = rng.normalInt(31, 9, 18, 58);
        units.push(this.nonResident(rng, origin, village, sex, ageAt(rng, moved, age), ethnicity));
      } else {
        const husbandAge = rng.normalInt(33, 7, 22, 55);
        const husband = this.nonResident(rng, origin, village, "MALE", ageAt(rng, moved, husbandAge), ethnicity);
        const wifeBirth = Math.min(husband.birth + Math.round(rng.normal(2.2, 2, -3, 9) * 365.25), addYears(moved, -20));
        const wife = this.nonResident(rng, origin, village, "FEMALE", wifeBirth, ethnicity);
        units.push(husband, wife);
        const married = Math.max(addYears(husband.birth, 22), addYears(wife.birth, 20)) + rng.int(0, 4 * 365);
        // Earlier children (born at the origin); those under 16 came along.
        let births = 0;
        let day = married + rng.int(300, 900);
        while (day < moved && births < 3 && rng.chance(births === 0 ? 0.85 : 0.45)) {
          births++;
          if (ageOn(day, moved) < 16 && count + units.length < wanted) {
            const sex: SexValue = rng.chance(this.pMale) ? "MALE" : "FEMALE";
            units.push(this.nonResident(rng, origin, village, sex, day, ethnicity));
          }
          day += rng.int(500, 1800);
        }
        // Children born here: a certificate from a county institution, 落户 at the origin (not here).
        let next = Math.max(moved + rng.int(200, 1500), married + 300);
        while (births < 3 && next <= this.today && next < addYears(wife.birth, 46) && rng.chance(births === 0 ? 0.55 : 0.3)) {
          births++;
          const sex: SexValue = rng.chance(this.pMale) ? "MALE" : "FEMALE";
          const number = this.uniqueNumber(rng, (r) => certificateLetter(yearOf(next)) + province + String(r.int(0, 9_999_999)).padStart(7, "0"));
          if (rng.chance(0.3)) {
            const checkDay = next - rng.int(120, 300);
            if (checkDay > moved) this.pushCheck(checkRng, wife.person, husband.person, checkDay, village.code);
          }
          this.tables.health.birthCertificate.push({
            certificateNumber: number,
            childName: Array.from(husband.person.name)[0] + givenName(rng, sex, yearOf(next)),
            sex,
            birthDate: iso(next),
            birthOrder: births,
            institution: this.institutionFor(rng, village.townCode, "birth"),
            regionCode: village.code,
            motherIdNumber: wife.person.idNumber,
            motherPersonId: wife.person.id,
            fatherIdNumber: husband.person.idNumber,
            fatherPersonId: husband.person.id,
          });
          this.pushBirthNotice(notices, number, next, origin, village.code, wife.person);
          next += Math.round(rng.normal(1100, 400, 500, 2500));
        }
      }
      for (const unit of units) {
        const row: MigrantRecordRow = {
          personId: unit.person.id,
          idNumber: unit.person.idNumber,
          sex: unit.sex,
          birthDate: unit.person.birthDate,
          direction: "INFLOW",
          fromRegionCode: origin,
          toRegionCode: village.code,
          movedOn: iso(moved),
          certificateNumber: null,
          certificateIssuedOn: null,
          certificateValidUntil: null,
          submittedAtDestinationOn: null,
        };
        const age = ageOn(unit.birth, moved);
        // Every inflow woman aged 18–49 holds a 婚育证明 and hands it in here within 30 days (Art. 8); a late or
        // missing one is an injected anomaly. Not yet handed in only while the 30 days are still running.
        if (unit.sex === "FEMALE" && age >= 18 && age <= 49) {
          const issued = Math.max(moved - rng.int(0, 30), addYears(unit.birth, 18));
          row.certificateNumber = this.uniqueNumber(rng, (r) => `HY${origin}${yearOf(issued)}${String(r.int(0, 999_999)).padStart(6, "0")}`);
          row.certificateIssuedOn = iso(issued);
          row.certificateValidUntil = iso(addYears(issued, 3) - 1);
          const submitted = moved + rng.int(1, 30);
          row.submittedAtDestinationOn = submitted <= this.today ? iso(submitted) : null;
        }
        rows.push(row);
        this.inflowRegister.push({
          personId: unit.person.id,
          idNumber: unit.person.idNumber,
          name: unit.person.name,
          sex: unit.sex,
          birthDate: unit.person.birthDate,
          regionCode: village.code,
          householdNumber: null,
          maritalStatus: null,
          sonsBorn: null,
          daughtersBorn: null,
          recordedOn: iso(Math.min(this.today, moved + rng.int(0, 60))),
        });
        if (ageOn(unit.birth, this.today) >= 18 && rng.chance(0.016)) {
          this.tables.population.associationMember.push({ personId: unit.person.id, joinedOn: iso(rng.int(moved, this.today)), regionCode: village.code });
        }
        count++;
      }
    }
  }

  /**
   * 出生通报: a birth here to a mother whose hukou is in another county is reported to that county (流动人口计划生育
   * 工作条例 Art. 6) within 3–30 days, so none older than 30 days is left unreported (a missing one is an injected
   * anomaly); most are acknowledged.
   */
  private pushBirthNotice(rng: Random, certificateNumber: string, birth: number, originCounty: string, village: string, mother: NonResidentPerson): void {
    const sent = birth + rng.int(3, 30);
    if (sent > this.today) return;
    const acknowledged = rng.chance(0.8) ? sent + rng.int(2, 40) : null;
    this.tables.population.interCountyNotice.push({
      id: rng.uuid(),
      kind: "BIRTH_NOTICE",
      direction: "OUTGOING",
      counterpartCountyCode: originCounty.slice(0, 6),
      localRegionCode: village,
      personId: mother.id,
      idNumber: mother.idNumber,
      birthCertificateNumber: certificateNumber,
      subject: "流动人口出生通报",
      sentOn: iso(sent),
      feedbackOn: acknowledged !== null && acknowledged <= this.today ? iso(acknowledged) : null,
      feedback: acknowledged !== null && acknowledged <= this.today ? "已收到，已录入户籍地信息系统" : null,
      recordedBy: SYNTHETIC_OPERATOR,
    });
  }

  /**
   * 协查 between the counties of migrant women (婚育证明 holders): this county asks an inflow woman's hukou county to
   * verify her 婚育 status, and an outflow woman's destination asks this county about her. Every request is answered
   * within 30 days (an unanswered older one is an injected anomaly); those sent in the last 30 days may still be open.
   */
  private recordVerificationRequests(): void {
    const rng = this.rng.derive("verification-requests");
    const rows = this.tables.population.interCountyNotice;
    for (const m of this.tables.population.migrantRecord) {
      if (m.sex !== "FEMALE" || m.certificateNumber === null || m.idNumber === null) continue;
      const inflow = m.direction === "INFLOW";
      if (!rng.chance(inflow ? 0.08 : 0.05)) continue;
      const sent = dayOf(m.movedOn) + (inflow ? rng.int(5, 90) : rng.int(20, 365));
      if (sent > this.today) continue;
      const answered = sent + rng.int(1, 30);
      const subject = rng.pick(inflow ? OUTGOING_REQUEST_SUBJECTS : INCOMING_REQUEST_SUBJECTS);
      rows.push({
        id: rng.uuid(),
        kind: "VERIFICATION_REQUEST",
        direction: inflow ? "OUTGOING" : "INCOMING",
        counterpartCountyCode: (inflow ? m.fromRegionCode : m.toRegionCode).slice(0, 6),
        localRegionCode: inflow ? m.toRegionCode : m.fromRegionCode,
        personId: m.personId,
        idNumber: m.idNumber,
        birthCertificateNumber: null,
        subject,
        sentOn: iso(sent),
        feedbackOn: answered <= this.today ? iso(answered) : null,
        feedback: answered <= this.today ? rng.pick(REQUEST_ANSWERS) : null,
        recordedBy: SYNTHETIC_OPERATOR,
      });
    }
  }

  /**
   * 社会抚养费 decisions for births against policy: third and later births (孩次 ≥ 3) with a birth certificate
   * from 2000 until 2015. Most were decided by this county within a year or two; some fees are paid, some in
   * part, some not at all. One decision per birth at most (the table's unique keys).
   */
  private recordSocialMaintenanceFees(): void {
    const rng = this.rng.derive("social-maintenance-fees");
    const rows = this.tables.population.socialMaintenanceFee;
    for (const couple of this.couples) {
      for (const birth of couple.births) {
        if (birth.certificateNumber === null || birth.order < 3 || birth.day >= BIRTH_REGISTRATION_FROM) continue;
        if (!rng.chance(0.75)) continue;
        const decided = birth.day + rng.int(45, 720);
        if (decided > Math.min(this.today, FEES_UNTIL)) continue;
        const year = yearOf(decided);
        // About two to six times the rural per-capita income of the year before (rounded to 100 yuan).
        const income = 1400 + (year - 2000) * 520;
        const amountYuan = Math.round((income * rng.real(2, 6)) / 100) * 100;
        const roll = rng.next();
        let paidYuan = 0;
        let lastPaidOn: string | null = null;
        let status: SocialMaintenanceFeeRow["status"] = "DECIDED";
        if (roll < 0.8) {
          const paid = Math.min(this.today, decided + rng.int(7, 540));
          lastPaidOn = iso(paid);
          if (roll < 0.55) {
            paidYuan = amountYuan;
            status = "PAID";
          } else {
            paidYuan = Math.max(100, Math.round((amountYuan * rng.real(0.2, 0.8)) / 100) * 100);
            status = "PARTLY_PAID";
          }
        }
        const child = birth.child?.row ?? null;
        rows.push({
          id: rng.uuid(),
          birthCertificateNumber: birth.certificateNumber,
          childPersonId: child?.id ?? null,
          childBirthDate: iso(birth.day),
          motherPersonId: couple.wife.row!.id,
          fatherPersonId: couple.husband.row!.id,
          decidingCountyCode: this.countyCode,
          decidedOn: iso(decided),
          amountYuan,
          paidYuan,
          lastPaidOn,
          status,
          recordedBy: SYNTHETIC_OPERATOR,
        });
      }
    }
  }

  /**
   * 走访慰问: the 失独 / 伤残 families on the 特扶 roster are visited every Spring Festival (and some again during
   * the year); some 独生子女户 and 二女户 (计生两户) are visited now and then, and those on 低保 (计生困难家庭) yearly.
   * The visit is filed under the wife, or the husband where she has died.
   */
  private recordCareVisits(): void {
    const rng = this.rng.derive("care-visits");
    const rows = this.tables.population.careVisit;
    const onRelief = new Map<string, number>();
    for (const r of this.tables["civil-affairs"].reliefEnrollment) {
      if (r.until === null && r.program !== "特困供养") onRelief.set(r.personId, dayOf(r.since));
    }
    const withCertificate = new Set(this.tables.population.onlyChildCertificate.map((c) => c.motherPersonId));
    const start = Math.max(CARE_VISITS_FROM, dayOf(`${yearOf(this.today) - 9}-01-01`));
    const push = (couple: Couple, day: number, kind: CareVisitRow["kind"], notes: readonly string[]) => {
      if (day < start || day > this.today || day < couple.married) return;
      const alive = (m: Member) => m.row !== null && m.household !== null && m.registered !== null && m.registered <= day && (m.death === null || m.death > day);
      const person = alive(couple.wife) ? couple.wife : alive(couple.husband) ? couple.husband : null;
      if (person === null) return;
      const region = this.livesIn(person);
      rows.push({
        id: rng.uuid(),
        personId: person.row!.id,
        visitedOn: iso(day),
        kind,
        visitedBy: `${rng.pick(VISITORS)} ${surname(rng, "汉族")}${givenName(rng, rng.chance(0.6) ? "FEMALE" : "MALE", 1975 + rng.int(0, 20))}`,
        note: rng.chance(0.6) ? rng.pick(notes) : null,
        regionCode: region,
        recordedBy: SYNTHETIC_OPERATOR,
      });
    };
    for (const couple of this.couples) {
      if (couple.wife.row === null || couple.husband.row === null) continue;
      const births = couple.births;
      if (couple.special !== null) {
        const kind = couple.special === "DECEASED" ? "CHILD_DECEASED_FAMILY" : "CHILD_DISABLED_FAMILY";
        const event = couple.special === "DECEASED" ? births[0].child!.death! : couple.specialSince!;
        for (let year = yearOf(Math.max(start, event)); year <= yearOf(this.today); year++) {
          const springFestival = dayFromParts(year, 1, 10) + rng.int(0, 40);
          if (springFestival > event) push(couple, springFestival, kind, SPECIAL_VISIT_NOTES);
          if (rng.chance(0.3)) {
            const again = dayFromParts(year, 5, 1) + rng.int(0, 180);
            if (again > event) push(couple, again, kind, SPECIAL_VISIT_NOTES);
          }
        }
        continue;
      }
      const onlyChild = births.length === 1 && withCertificate.has(couple.wife.row.id);
      const twoDaughters = couple.rural && births.length === 2 && births.every((b) => b.sex === "FEMALE");
      if (!onlyChild && !twoDaughters) continue;
      const kind = onlyChild ? "ONLY_CHILD_FAMILY" : "TWO_DAUGHTER_FAMILY";
      const relief = onRelief.get(couple.wife.row.id) ?? onRelief.get(couple.husband.row.id);
      if (relief !== undefined) {
        for (let year = yearOf(Math.max(start, relief)); year <= yearOf(this.today); year++) {
          const day = dayFromParts(year, 1, 5) + rng.int(0, 45);
          if (day > relief) push(couple, day, "HARDSHIP_FAMILY", HARDSHIP_VISIT_NOTES);
        }
      } else if (rng.chance(0.2)) {
        push(couple, this.today - rng.int(0, 3 * 365), kind, TWO_HOUSEHOLDS_VISIT_NOTES);
      }
    }
  }

  /**
   * The hukou history (hukou_event) that explains each person's current register entry: the 出生登记 into the
   * household (persons registered before the 1958 register have none), the 迁入 of those who moved in (a spouse
   * marrying in, a divorced husband's own household), and the 注销 of the deceased.
   */
  private recordHukouEvents(): void {
    const rng = this.rng.derive("hukou-events");
    const rows = this.tables["public-security"].hukouEvent;
    for (const m of this.members) {
      const row = m.row!;
      if (m.movedIn) {
        let from = m.movedFrom;
        for (let i = 0; from === null && i < 20; i++) {
          const v = rng.weighted(this.villages);
          if (v.code !== row.hukouRegionCode) from = v.code;
        }
        rows.push({
          personId: row.id,
          kind: "MOVE_IN",
          occurredOn: row.hukouRegisteredOn,
          fromRegionCode: from ?? this.countyCode,
          toRegionCode: row.hukouRegionCode,
          householdNumber: row.householdNumber,
          reason: null,
          operator: SYNTHETIC_OPERATOR,
        });
      } else if (m.birth >= HUKOU_SYSTEM_FROM) {
        rows.push({
          personId: row.id,
          kind: "BIRTH_REGISTRATION",
          occurredOn: row.hukouRegisteredOn,
          fromRegionCode: null,
          toRegionCode: row.hukouRegionCode,
          householdNumber: row.householdNumber,
          reason: null,
          operator: SYNTHETIC_OPERATOR,
        });
      }
      if (row.hukouCancelledOn !== null) {
        rows.push({
          personId: row.id,
          kind: "CANCELLATION",
          occurredOn: row.hukouCancelledOn,
          fromRegionCode: row.hukouRegionCode,
          toRegionCode: null,
          householdNumber: row.householdNumber,
          reason: "DECEASED",
          operator: SYNTHETIC_OPERATOR,
        });
      }
    }
  }

  /**
   * Marital status as civil-affairs' registrations give it (the rule of civil-affairs' Person.maritalStatus):
   * the latest marriage or divorce registration; WIDOWED when the spouse of the latest marriage has a registered
   * death; UNMARRIED without any registration.
   */
  private maritalStatuses(): Map<string, RecordedMaritalStatus> {
    if (this.maritalStatusCache) return this.maritalStatusCache;
    const deaths = new Map(this.tables["civil-affairs"].deathRegistration.map((d) => [d.personId, d.deathDate]));
    const latest = new Map<string, MarriageRow>();
    for (const r of this.tables["civil-affairs"].marriageRecord) {
      for (const id of [r.husbandPersonId, r.wifePersonId]) {
        const seen = latest.get(id);
        if (seen === undefined || seen.registeredOn <= r.registeredOn) latest.set(id, r);
      }
    }
    const statuses = new Map<string, RecordedMaritalStatus>();
    for (const [id, r] of latest) {
      if (r.kind === "DIVORCE") statuses.set(id, "DIVORCED");
      else {
        const spouseDeath = deaths.get(r.husbandPersonId === id ? r.wifePersonId : r.husbandPersonId);
        statuses.set(id, spouseDeath !== undefined && spouseDeath >= r.registeredOn ? "WIDOWED" : "MARRIED");
      }
    }
    return (this.maritalStatusCache = statuses);
  }

  /** The 全员人口 row the village clerk keeps for a person of the hukou register (identity as on the ID card). */
  private registerRowFor(rng: Random, m: Member): PopulationRegisterRow {
    const row = m.row!;
    let sons: number | null = null;
    let daughters: number | null = null;
    if (ageOn(m.birth, this.today) >= 15) {
      sons = 0;
      daughters = 0;
      for (const b of m.births ?? []) {
        if (b.day > this.today) continue;
        if (b.sex === "MALE") sons++;
        else daughters++;
      }
    }
    const base = Math.max(REGISTER_FROM, m.registered!);
    return {
      personId: row.id,
      idNumber: row.idNumber,
      name: row.name,
      sex: m.sex,
      birthDate: iso(m.birth),
      regionCode: row.hukouRegionCode,
      householdNumber: row.householdNumber,
      maritalStatus: this.maritalStatuses().get(row.id) ?? "UNMARRIED",
      sonsBorn: sons,
      daughtersBorn: daughters,
      recordedOn: iso(Math.min(this.today, base + rng.int(0, 365))),
    };
  }

  /** 全员人口: every living person of the hukou register, then the inflow migrants living here. */
  private recordPopulationRegister(): void {
    const rng = this.rng.derive("population-register");
    const rows = this.tables.population.populationRegister;
    for (const m of this.members) {
      if (m.death === null) rows.push(this.registerRowFor(rng, m));
    }
    for (const row of this.inflowRegister) rows.push(row);
  }

  private anomalyContext(): AnomalyContext {
    const byId = new Map<string, Member>();
    for (const m of this.members) byId.set(m.row!.id, m);
    const registerRng = this.rng.derive("anomalies/register-rows");
    return {
      options: this.options,
      today: this.today,
      rng: this.rng.derive("anomalies"),
      tables: this.tables,
      nonResidents: this.nonResidents,
      maritalStatuses: this.maritalStatuses(),
      registerRowFor: (personId) => this.registerRowFor(registerRng, byId.get(personId)!),
      newIdNumber: (rng, birthDate, sex) => {
        const idNumber = this.allocateIdNumber(rng, this.countyCode, dayOf(birthDate), sex);
        return { idNumber, id: personIdFor(idNumber, this.personKey) };
      },
    };
  }

  private nonResident(rng: Random, origin: string, village: Village, sex: SexValue, birth: number, ethnicity: string): NonResidentUnit {
    const idNumber = this.allocateIdNumber(rng, origin, birth, sex);
    const person: NonResidentPerson = {
      id: personIdFor(idNumber, this.personKey),
      idNumber,
      name: surname(rng, ethnicity) + givenName(rng, sex, yearOf(birth)),
      sex,
      birthDate: iso(birth),
      hukouCountyCode: origin,
      residenceRegionCode: village.code,
    };
    this.nonResidents.push(person);
    return { person, birth, sex };
  }
}

// ---------------------------------------------------------------------------------------------------------

function counts(weights: number[]): WeightedTable<number> {
  return weightedTable(weights.map((w, n) => [n, w] as const));
}

function randomDayOfYear(rng: Random, year: number): number {
  const start = dayFromParts(year, 1, 1);
  return start + rng.int(0, dayFromParts(year + 1, 1, 1) - start - 1);
}

/** A birth day such that the person is `age` on `on`. */
function ageAt(rng: Random, on: number, age: number): number {
  return addYears(on, -age) - rng.int(1, 364);
}

function registeredIn(drafts: HouseholdDraft[]): number {
  let n = 0;
  for (const d of drafts) for (const m of d.members) if (m.registered !== null) n++;
  return n;
}

const CERTIFICATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ";
function certificateLetter(year: number): string {
  return CERTIFICATE_LETTERS[(year - 2000 + CERTIFICATE_LETTERS.length * 10) % CERTIFICATE_LETTERS.length];
}

/** Row counts per department and table, plus the persons from other counties. */
export function countySummary(county: County): { tables: Record<string, Record<string, number>>; nonResidents: number } {
  const tables: Record<string, Record<string, number>> = {};
  for (const [department, byTable] of Object.entries(county.tables)) {
    tables[department] = Object.fromEntries(Object.entries(byTable as Record<string, unknown[]>).map(([t, rows]) => [t, rows.length]));
  }
  return { tables, nonResidents: county.nonResidents.length };
}
