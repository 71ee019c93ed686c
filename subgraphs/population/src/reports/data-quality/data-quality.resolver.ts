import { Arg, Authorized, Ctx, Int, Query, Resolver } from "type-graphql";
import { In } from "typeorm";
import { badUserInput } from "../../../../../shared/src/errors";
import { Department, regionRef } from "../../../../../shared/src/graphql/common";
import { SERVICE_MAX_PAGE_SIZE } from "../../../../../shared/src/pagination";
import { queryPlatform } from "../../../../../shared/src/platform-client";
import { DateScalar } from "../../../../../shared/src/scalars";
import type { PopulationContext } from "../../context";
import { PopulationRegisterRecord } from "../../population-register/population-register.entity";
import { hukouPersonFacts, hukouPersonIds, maritalStatusMismatches, reportRegion, reportToday } from "../report-platform";
import { DataQualityReport, DataQualityRule } from "./data-quality.type";

const PURPOSE = "数据质量核查 (report: logic audit of the population data)";
const MAX_SAMPLES = 1000;
const MARITAL_STATUSES = new Set(["UNMARRIED", "MARRIED", "DIVORCED", "WIDOWED"]);

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

    const register = registerQuery.getRawMany<{ personId: string; householdNumber: string | null; maritalStatus: string | null }>();
    const local = register.then((rows) => rows.filter((r) => r.householdNumber !== null));
    // The independent parts run side by side: public-security's own checks; the register against the hukou
    // register's ids; the marital-status comparison in civil-affairs (as soon as the register is read); the
    // register's own empty fields.
    const [audit, hukou, maritalStatusMismatch, emptyRows] = await Promise.all([
      queryPlatform<{ identityAudit: IdentityAudit }>(
        "population",
        ctx.caller,
        PURPOSE,
        `query IdentityAudit($regionCode: String!, $samples: Int!, $today: Date) {
          identityAudit(regionCode: $regionCode, samples: $samples, today: $today) { checkedPersons rules { code violations sampleIds } }
        }`,
        { regionCode: region, samples, today: asOf },
      ).then((d) => d.identityAudit),
      Promise.all([hukouPersonIds(ctx.caller, PURPOSE, region), register, local]).then(([hukouIds, registerRows, localRows]) =>
        this.compareWithHukou(ctx, hukouIds, registerRows, localRows),
      ),
      // Marital status: civil-affairs' registrations decide (a person without any is UNMARRIED). The comparison
      // runs there; only the persons whose status differs come back.
      local.then(async (rows) => {
        const claimed = rows.filter((r) => r.maritalStatus !== null);
        // A value civil-affairs never gives differs by itself and is not sent.
        const odd = claimed.filter((r) => !MARITAL_STATUSES.has(r.maritalStatus!)).map((r) => r.personId);
        const claims = new Map(claimed.filter((r) => MARITAL_STATUSES.has(r.maritalStatus!)).map((r) => [r.personId, r.maritalStatus!]));
        return [...odd, ...(await maritalStatusMismatches(ctx.caller, PURPOSE, claims)).map((m) => m.personId)];
      }),
      // Empty required fields are counted in SQL: only their ids leave the database.
      registerQuery
        .clone()
        .select("r.personId", "personId")
        .andWhere("(TRIM(r.name) = '' OR r.sex = '' OR r.idNumber = '')")
        .getRawMany<{ personId: string }>(),
    ]);
    const { missingFromPopulationRegister, missingFromHukou } = hukou;
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

  /** 户不漏人 and 居不漏户: the hukou register's ids under the region against population's register. */
  private async compareWithHukou(
    ctx: PopulationContext,
    hukouIds: string[],
    registerRows: { personId: string }[],
    localRows: { personId: string }[],
  ): Promise<{ missingFromPopulationRegister: string[]; missingFromHukou: string[] }> {
    // ACTIVE persons of the hukou register without a row in population's register (anywhere).
    const registered = new Set(registerRows.map((r) => r.personId));
    const unregisteredHere = hukouIds.filter((id) => !registered.has(id));
    const chunks: string[][] = [];
    for (let start = 0; start < unregisteredHere.length; start += SERVICE_MAX_PAGE_SIZE) chunks.push(unregisteredHere.slice(start, start + SERVICE_MAX_PAGE_SIZE));
    const registerRepository = ctx.db.dataSource.getRepository(PopulationRegisterRecord);
    const elsewhere = new Set(
      (await Promise.all(chunks.map((chunk) => registerRepository.find({ select: { personId: true }, where: { personId: In(chunk) } })))).flat().map((r) => r.personId),
    );
    const notRegistered = unregisteredHere.filter((id) => !elsewhere.has(id));
    const inHukou = new Set(hukouIds);
    const notInHukouHere = localRows.filter((r) => !inHukou.has(r.personId)).map((r) => r.personId);
    // The status of the unregistered ones (read, and logged, for them only); for the ones missing here, only
    // whether public-security has them under another region (ids only).
    const [statuses, known] = await Promise.all([
      hukouPersonFacts(ctx.caller, PURPOSE, notRegistered, ["status"]),
      hukouPersonFacts(ctx.caller, PURPOSE, notInHukouHere, []),
    ]);
    const active = new Set(statuses.filter((f) => f.status === "ACTIVE").map((f) => f.id));
    const knownIds = new Set(known.map((f) => f.id));
    return { missingFromPopulationRegister: notRegistered.filter((id) => active.has(id)), missingFromHukou: notInHukouHere.filter((id) => !knownIds.has(id)) };
  }
}
