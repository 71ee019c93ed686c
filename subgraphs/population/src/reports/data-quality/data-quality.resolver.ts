import { Arg, Authorized, Ctx, Int, Query, Resolver } from "type-graphql";
import { numberSetting } from "../../../../../shared/src/config";
import { badUserInput } from "../../../../../shared/src/errors";
import { Department, regionRef } from "../../../../../shared/src/graphql/common";
import { SERVICE_MAX_PAGE_SIZE } from "../../../../../shared/src/pagination";
import { DateScalar } from "../../../../../shared/src/scalars";
import type { PopulationContext } from "../../context";
import { PopulationRegisterRecord } from "../../population-register/population-register.entity";
import { inPopulationRegister } from "../reconciliation-feeds";
import {
  forEachKeyRange,
  hukouPersonFacts,
  hukouRegisterRangeAudit,
  type IdentityAudit,
  MARITAL_CLAIMS_PER_REQUEST,
  maritalStatusMismatches,
  reportRegion,
  reportToday,
} from "../report-platform";
import { DataQualityReport, DataQualityRule } from "./data-quality.type";

const PURPOSE = "数据质量核查 (report: logic audit of the population data)";
const MAX_SAMPLES = 1000;
const MARITAL_STATUSES = new Set(["UNMARRIED", "MARRIED", "DIVORCED", "WIDOWED"]);


const RULES: Record<string, { rule: string; departments: Department[] }> = {
  idChecksum: { rule: "ID checksum", departments: [Department.PUBLIC_SECURITY] },
  birthDateMismatch: { rule: "birth date differs from ID number", departments: [Department.PUBLIC_SECURITY] },
  sexMismatch: { rule: "sex differs from ID number", departments: [Department.PUBLIC_SECURITY] },
  emptyRequiredFields: { rule: "empty required fields in the hukou register", departments: [Department.PUBLIC_SECURITY] },
  registerEmptyRequiredFields: { rule: "empty required fields in population's register", departments: [Department.POPULATION] },
  maritalStatusMismatch: { rule: "marital status differs from civil-affairs", departments: [Department.POPULATION, Department.CIVIL_AFFAIRS] },
  missingFromPopulationRegister: { rule: "in the hukou register, missing from population's register", departments: [Department.PUBLIC_SECURITY, Department.POPULATION] },
  missingFromHukou: { rule: "in population's register, missing from the hukou register", departments: [Department.POPULATION, Department.PUBLIC_SECURITY] },
};

function ruleOf(code: string, ids: string[], samples: number, violations = ids.length): DataQualityRule {
  return { ...RULES[code], code, violations, samples: [...ids].sort().slice(0, samples).map((id) => ({ id })) };
}

/** One row of population's register as the audit reads it: the id, whether it is filed under a hukou household, the marital status recorded, and whether a required field is empty. */
interface RegisterRow {
  personId: string;
  local: boolean;
  maritalStatus: string | null;
  empty: boolean;
}

/**
 * Register rows per page: the page's ids go to public-security in one request, and its marital claims to
 * civil-affairs in one (MARITAL_CLAIMS_PER_REQUEST), both under the 1 MB request body limit. DATA_QUALITY_PAGE_ROWS
 * may make pages smaller (a test walks a small county in many pages).
 */
function registerPageRows(): number {
  const rows = numberSetting("DATA_QUALITY_PAGE_ROWS", MARITAL_CLAIMS_PER_REQUEST);
  return Number.isInteger(rows) && rows > 0 ? Math.min(rows, MARITAL_CLAIMS_PER_REQUEST) : MARITAL_CLAIMS_PER_REQUEST;
}
/** Pages being compared at once while the next is read: a few pages in memory, and the departments kept busy. */
const PAGES_IN_FLIGHT = 4;

/** What the pages found, rule by rule (ids), and public-security's identity checks summed over the pages. */
interface Findings {
  identity: IdentityAudit;
  registerEmpty: string[];
  maritalStatusMismatch: string[];
  missingFromPopulationRegister: string[];
  missingFromHukou: string[];
}

/** Adds one range's identity checks to the sum: counts add up; each rule keeps every page's samples (ruleOf picks the first by id). */
function addIdentityAudit(sum: IdentityAudit, page: IdentityAudit): void {
  sum.checkedPersons += page.checkedPersons;
  for (const rule of page.rules) {
    const into = sum.rules.find((r) => r.code === rule.code);
    if (into) {
      into.violations += rule.violations;
      into.sampleIds.push(...rule.sampleIds);
    } else sum.rules.push({ code: rule.code, violations: rule.violations, sampleIds: [...rule.sampleIds] });
  }
}

/**
 * The persons of the hukou register that population's register lacks, whose status decides whether they are
 * missing (ACTIVE) or gone: gathered over the pages and read in requests of a full service page, since each
 * read of personal data costs public-security an access-log transaction.
 */
class StatusReads {
  private waiting: string[] = [];
  private readonly reads: Promise<void>[] = [];

  constructor(
    private readonly ctx: PopulationContext,
    private readonly found: Findings,
  ) {}

  add(ids: readonly string[]): void {
    this.waiting.push(...ids);
    while (this.waiting.length >= SERVICE_MAX_PAGE_SIZE) this.read(this.waiting.splice(0, SERVICE_MAX_PAGE_SIZE));
  }

  async done(): Promise<void> {
    if (this.waiting.length > 0) this.read(this.waiting.splice(0));
    await Promise.all(this.reads);
  }

  private read(ids: string[]): void {
    const read = hukouPersonFacts(this.ctx.caller, PURPOSE, ids, ["status"]).then((facts) => {
      for (const fact of facts) if (fact.status === "ACTIVE") this.found.missingFromPopulationRegister.push(fact.id);
    });
    read.catch(() => undefined); // awaited in done(); not an unhandled rejection meanwhile
    this.reads.push(read);
  }
}

/**
 * Report 13 (DOMAIN.md §5, 居不漏户、户不漏人、人不漏项). Each check runs where its data lives, and only
 * pseudonymous ids, counts and the disagreeing persons cross. Population's register is read page by page in id
 * order (never held whole); for each page's range of ids public-security checks its own register there (ID
 * numbers against birth dates and sexes: counts and sample ids) and compares it with the page's ids (only the
 * differences come back), civil-affairs compares the page's marital claims with its registrations (only the
 * disagreeing persons come back), and the page's own statement flags its empty fields.
 */
@Resolver()
export class DataQualityResolver {
  @Authorized("read:reports")
  @Query(() => DataQualityReport, { description: "The logic audit of a region (a division-code prefix): per rule, the count, the departments and sample persons" })
  async dataQuality(
    @Ctx() ctx: PopulationContext,
    @Arg("regionCode", () => String) regionCode: string,
    @Arg("samples", () => Int, { defaultValue: 10, description: `Sample persons per rule (at most ${MAX_SAMPLES})` }) samples: number,
    @Arg("asOf", () => DateScalar, { nullable: true, description: "The day ID numbers are checked as of (default: today in China)" }) asOf?: string | null,
  ): Promise<DataQualityReport> {
    const region = reportRegion(regionCode);
    if (!Number.isInteger(samples) || samples < 0 || samples > MAX_SAMPLES) {
      throw badUserInput("samples", `须在 0 到 ${MAX_SAMPLES} 之间`, `must be between 0 and ${MAX_SAMPLES}`);
    }
    const day = reportToday(asOf);
    const found: Findings = {
      identity: { checkedPersons: 0, rules: [] },
      registerEmpty: [],
      maritalStatusMismatch: [],
      missingFromPopulationRegister: [],
      missingFromHukou: [],
    };
    const statuses = new StatusReads(ctx, found);
    await forEachKeyRange(
      (after, limit) => this.registerPage(ctx, region, after, limit),
      (row) => row.personId,
      registerPageRows(),
      (rows, range) => this.auditPage(ctx, { region, samples, today: day }, rows, range, found, statuses),
      PAGES_IN_FLIGHT,
    );
    await statuses.done();

    const audit = found.identity;
    const fromAudit = audit.rules.map((r) => ({ ...ruleOf(r.code, r.sampleIds, samples, r.violations) }));
    return {
      region: regionRef(region),
      checkedPersons: audit.checkedPersons + found.missingFromHukou.length,
      rules: [
        ...fromAudit,
        ruleOf("registerEmptyRequiredFields", found.registerEmpty, samples),
        ruleOf("maritalStatusMismatch", found.maritalStatusMismatch, samples),
        ruleOf("missingFromPopulationRegister", found.missingFromPopulationRegister, samples),
        ruleOf("missingFromHukou", found.missingFromHukou, samples),
      ],
    };
  }

  /** Up to `limit` rows of the register under the region (and the caller's jurisdiction) with an id after `after`, in id order. */
  private async registerPage(ctx: PopulationContext, region: string, after: string | null, limit: number): Promise<RegisterRow[]> {
    const query = ctx.db.dataSource
      .getRepository(PopulationRegisterRecord)
      .createQueryBuilder("r")
      .select("r.personId", "personId")
      .addSelect("CASE WHEN r.householdNumber IS NULL THEN 0 ELSE 1 END", "local")
      .addSelect("r.maritalStatus", "maritalStatus")
      // Empty required fields are flagged in SQL: only a 0 or 1 leaves the database, not the fields.
      .addSelect("CASE WHEN TRIM(r.name) = '' OR r.sex = '' OR r.idNumber = '' THEN 1 ELSE 0 END", "empty")
      .where("r.regionCode LIKE :region", { region: `${region}%` });
    if (ctx.caller.region) query.andWhere("r.regionCode LIKE :jurisdiction", { jurisdiction: `${ctx.caller.region}%` });
    // Every id is after "": the condition also makes the first page a range of the primary key (without it
    // MariaDB sorts the whole region to find the first ids).
    query.andWhere("r.personId > :after", { after: after ?? "" });
    const rows = await query.orderBy("r.personId", "ASC").limit(limit).getRawMany<{ personId: string; local: number | string; maritalStatus: string | null; empty: number | string }>();
    return rows.map((r) => ({ personId: r.personId, local: Number(r.local) === 1, maritalStatus: r.maritalStatus, empty: Number(r.empty) === 1 }));
  }

  /** The page's rules: empty fields; marital status (in civil-affairs); 户不漏人 and 居不漏户 against the hukou register (in public-security). */
  private async auditPage(
    ctx: PopulationContext,
    audit: { region: string; samples: number; today: string },
    rows: RegisterRow[],
    range: { after: string | null; through: string | null },
    found: Findings,
    statuses: StatusReads,
  ): Promise<void> {
    for (const row of rows) if (row.empty) found.registerEmpty.push(row.personId);
    const local = rows.filter((r) => r.local);
    // Marital status: civil-affairs' registrations decide (a person without any is UNMARRIED). The comparison
    // runs there; only the persons whose status differs come back. A value civil-affairs never gives differs
    // by itself and is not sent.
    const claims = new Map<string, string>();
    for (const row of local) {
      if (row.maritalStatus === null) continue;
      if (MARITAL_STATUSES.has(row.maritalStatus)) claims.set(row.personId, row.maritalStatus);
      else found.maritalStatusMismatch.push(row.personId);
    }
    await Promise.all([
      maritalStatusMismatches(ctx.caller, PURPOSE, claims).then((mismatches) => {
        for (const m of mismatches) found.maritalStatusMismatch.push(m.personId);
      }),
      this.compareWithHukou(ctx, audit, range, local, found, statuses),
    ]);
  }

  /**
   * Public-security's checks over the page's range of ids: its identity checks of its persons there (人不漏项),
   * and 户不漏人 and 居不漏户 — the persons of its register under the region that the page's local persons do not
   * include, and the page's local persons it does not hold at all (missing from the hukou register).
   */
  private async compareWithHukou(
    ctx: PopulationContext,
    audit: { region: string; samples: number; today: string },
    range: { after: string | null; through: string | null },
    local: RegisterRow[],
    found: Findings,
    statuses: StatusReads,
  ): Promise<void> {
    const { notAmongSent, unknown, identity } = await hukouRegisterRangeAudit(
      ctx.caller,
      PURPOSE,
      audit.region,
      range,
      local.map((r) => r.personId),
      audit.samples,
      audit.today,
    );
    addIdentityAudit(found.identity, identity);
    found.missingFromHukou.push(...unknown);
    // Any row in population's register counts as registered: an inflow migrant's row on this page (not sent, as
    // her hukou is elsewhere), or a row under another region.
    const elsewhere = await inPopulationRegister(ctx, notAmongSent);
    // Only ACTIVE persons are missing: their status is read (and logged) for them only.
    statuses.add(notAmongSent.filter((id) => !elsewhere.has(id)));
  }
}
