import { Arg, Authorized, Ctx, Int, Query, Resolver } from "type-graphql";
import { In } from "typeorm";
import { badUserInput } from "../../../../../shared/src/errors";
import { Department, regionRef } from "../../../../../shared/src/graphql/common";
import { SERVICE_MAX_PAGE_SIZE } from "../../../../../shared/src/pagination";
import { queryPlatform } from "../../../../../shared/src/platform-client";
import { DateScalar } from "../../../../../shared/src/scalars";
import type { PopulationContext } from "../../context";
import { PopulationRegisterRecord } from "../../population-register/population-register.entity";
import { hukouPersonFacts, hukouPersonIds, maritalStatusesFor, reportRegion, reportToday } from "../report-platform";
import { DataQualityReport, DataQualityRule } from "./data-quality.type";

const PURPOSE = "数据质量核查 (report: logic audit of the population data)";
const MAX_SAMPLES = 1000;

interface IdentityAudit {
  checkedPersons: number;
  rules: { code: string; violations: number; sampleIds: string[] }[];
}

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

/**
 * Report 13 (DOMAIN.md §5, 居不漏户、户不漏人、人不漏项). Each check runs where its data lives: the ID-number
 * checks in public-security (which returns counts and sample ids only); the set comparisons exchange
 * pseudonymous ids — public-security's ids under the region against population's register, population's
 * register ids against civil-affairs' marital statuses.
 */
@Resolver()
export class DataQualityResolver {
  @Authorized("read:reports")
  @Query(() => DataQualityReport, { description: "The logic audit of a region (a division-code prefix): per rule, the count, the departments and sample persons" })
  async dataQuality(
    @Ctx() ctx: PopulationContext,
    @Arg("regionCode", () => String) regionCode: string,
    @Arg("samples", () => Int, { defaultValue: 10, description: `Sample persons per rule (at most ${MAX_SAMPLES})` }) samples: number,
    @Arg("today", () => DateScalar, { nullable: true, description: "The day ID numbers are checked as of (default: today in China)" }) today?: string | null,
  ): Promise<DataQualityReport> {
    const region = reportRegion(regionCode);
    if (!Number.isInteger(samples) || samples < 0 || samples > MAX_SAMPLES) {
      throw badUserInput("samples", `须在 0 到 ${MAX_SAMPLES} 之间`, `must be between 0 and ${MAX_SAMPLES}`);
    }
    const asOf = reportToday(today);
    const registerRepository = ctx.db.dataSource.getRepository(PopulationRegisterRecord);
    const registerQuery = registerRepository
      .createQueryBuilder("r")
      .select(["r.personId AS personId", "r.householdNumber AS householdNumber", "r.maritalStatus AS maritalStatus"])
      .where("r.regionCode LIKE :region", { region: `${region}%` });
    if (ctx.caller.region) registerQuery.andWhere("r.regionCode LIKE :jurisdiction", { jurisdiction: `${ctx.caller.region}%` });

    const [audit, hukouIds, register, emptyRows] = await Promise.all([
      queryPlatform<{ identityAudit: IdentityAudit }>(
        "population",
        ctx.caller,
        PURPOSE,
        `query IdentityAudit($regionCode: String!, $samples: Int!, $today: Date) {
          identityAudit(regionCode: $regionCode, samples: $samples, today: $today) { checkedPersons rules { code violations sampleIds } }
        }`,
        { regionCode: region, samples, today: asOf },
      ).then((d) => d.identityAudit),
      hukouPersonIds(ctx.caller, PURPOSE, region),
      registerQuery.getRawMany<{ personId: string; householdNumber: string | null; maritalStatus: string | null }>(),
      // Empty required fields are counted in SQL: only their ids leave the database.
      registerQuery
        .clone()
        .select("r.personId", "personId")
        .andWhere("(TRIM(r.name) = '' OR r.sex = '' OR r.idNumber = '')")
        .getRawMany<{ personId: string }>(),
    ]);

    // 户不漏人: ACTIVE persons of the hukou register without a row in population's register (anywhere).
    const registered = new Set(register.map((r) => r.personId));
    let notRegistered = hukouIds.filter((id) => !registered.has(id));
    const elsewhere = new Set<string>();
    for (let start = 0; start < notRegistered.length; start += SERVICE_MAX_PAGE_SIZE) {
      const chunk = notRegistered.slice(start, start + SERVICE_MAX_PAGE_SIZE);
      const rows = await registerRepository.find({ select: { personId: true }, where: { personId: In(chunk) } });
      for (const r of rows) elsewhere.add(r.personId);
    }
    notRegistered = notRegistered.filter((id) => !elsewhere.has(id));
    const local = register.filter((r) => r.householdNumber !== null);
    const inHukou = new Set(hukouIds);
    const notInHukouHere = local.filter((r) => !inHukou.has(r.personId)).map((r) => r.personId);
    // Statuses for the ones missing here, and whether the others are registered under another region.
    const [facts, statuses] = await Promise.all([
      hukouPersonFacts(ctx.caller, PURPOSE, [...new Set([...notRegistered, ...notInHukouHere])]),
      maritalStatusesFor(ctx.caller, PURPOSE, local.filter((r) => r.maritalStatus !== null).map((r) => r.personId)),
    ]);
    const factById = new Map(facts.map((f) => [f.id, f]));
    const missingFromPopulationRegister = notRegistered.filter((id) => factById.get(id)?.status === "ACTIVE");
    const missingFromHukou = notInHukouHere.filter((id) => !factById.has(id));

    // Marital status: civil-affairs' registrations decide; a person without any is UNMARRIED.
    const civil = new Map(statuses.map((s) => [s.personId, s.status]));
    const maritalStatusMismatch = local.filter((r) => r.maritalStatus !== null && r.maritalStatus !== (civil.get(r.personId) ?? "UNMARRIED")).map((r) => r.personId);
    const registerEmpty = emptyRows.map((r) => r.personId);

    const fromAudit = audit.rules.map((r) => ({ ...ruleOf(r.code, r.sampleIds, samples, r.violations) }));
    return {
      region: regionRef(region),
      checkedPersons: audit.checkedPersons + missingFromHukou.length,
      rules: [
        ...fromAudit,
        ruleOf("registerEmptyRequiredFields", registerEmpty, samples),
        ruleOf("maritalStatusMismatch", maritalStatusMismatch, samples),
        ruleOf("missingFromPopulationRegister", missingFromPopulationRegister, samples),
        ruleOf("missingFromHukou", missingFromHukou, samples),
      ],
    };
  }
}
