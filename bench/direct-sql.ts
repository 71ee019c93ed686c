/**
 * The physical limit for the four-department profile: the same rows as `people(first: 50)` with the
 * benchmark's field selection, read by mysql2 straight from the four bench databases in one process, with
 * the same batching the subgraphs use (one page query, then one IN (...) query per record kind, the
 * departments in parallel). No GraphQL, no HTTP, no authorization and no access-log writes: what is left
 * is the database work and its result sets, which no gateway can beat.
 */
import { createPool, type Pool, type RowDataPacket } from "mysql2/promise";
import type { DepartmentName } from "../shared/src/config";
import { round } from "./lib";

export interface DirectResult {
  concurrency: number;
  durationSeconds: number;
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; mean: number; max: number };
  errors: number;
  statementsPerRequest: number;
  /** Median of profiles read one after another on an otherwise idle process (no queueing behind the others). */
  sequentialMedianMs: number;
}

let statements = 0;

/** Profiles read one at a time after the concurrent run, for the unloaded latency. */
const SEQUENTIAL_PROFILES = 21;

async function rows(pool: Pool, sql: string, params: unknown[]): Promise<RowDataPacket[]> {
  statements++;
  const [result] = await pool.query<RowDataPacket[]>(sql, params);
  return result;
}

function groupBy<T extends RowDataPacket>(items: T[], ...keys: string[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    for (const key of keys) {
      const value = item[key];
      if (value == null) continue;
      if (!out.has(value)) out.set(value, []);
      out.get(value)!.push(item);
    }
  }
  return out;
}

/** One profile page of 50 people after `afterId`, assembled like the gateway's answer. */
async function profilePage(pools: Record<DepartmentName, Pool>, regionPrefix: string, afterId: string): Promise<unknown[]> {
  const people = await rows(
    pools["public-security"],
    "SELECT id, name, sex, birth_date, status, hukou_type, hukou_registered_on, relation_to_head FROM person WHERE hukou_region_code LIKE ? AND id > ? ORDER BY id ASC LIMIT 51",
    [`${regionPrefix}%`, afterId],
  );
  const page = people.slice(0, 50);
  const ids = page.map((p) => p.id as string);
  if (!ids.length) return [];
  const [marriages, deaths, births, members, assistance, certificates] = await Promise.all([
    rows(pools["civil-affairs"], "SELECT registration_number, kind, registered_on, husband_person_id, wife_person_id FROM marriage_record WHERE husband_person_id IN (?) OR wife_person_id IN (?) ORDER BY registered_on, registration_number", [ids, ids]),
    rows(pools["civil-affairs"], "SELECT person_id, death_date, registered_on FROM death_registration WHERE person_id IN (?)", [ids]),
    rows(pools.health, "SELECT certificate_number, birth_order, birth_date, mother_person_id FROM birth_certificate WHERE mother_person_id IN (?) ORDER BY birth_date, certificate_number", [ids]),
    rows(pools.population, "SELECT person_id FROM association_member WHERE person_id IN (?)", [ids]),
    rows(pools.population, "SELECT person_id, program, since, until FROM assistance_enrollment WHERE person_id IN (?) ORDER BY since, id", [ids]),
    rows(pools.population, "SELECT number, issued_on, father_person_id, mother_person_id, child_person_id FROM only_child_certificate WHERE father_person_id IN (?) OR mother_person_id IN (?) OR child_person_id IN (?) ORDER BY issued_on, number", [ids, ids, ids]),
  ]);
  // The spouse's death decides WIDOWED, as civil-affairs does: one more batched read.
  const spouseIds = [...new Set(marriages.flatMap((m) => [m.husband_person_id, m.wife_person_id]).filter((id) => id && !ids.includes(id)))];
  const spouseDeaths = spouseIds.length ? await rows(pools["civil-affairs"], "SELECT person_id, death_date FROM death_registration WHERE person_id IN (?)", [spouseIds]) : [];
  const marriagesOf = groupBy(marriages, "husband_person_id", "wife_person_id");
  const deathOf = groupBy([...deaths, ...spouseDeaths], "person_id");
  const birthsOf = groupBy(births, "mother_person_id");
  const memberSet = new Set(members.map((m) => m.person_id));
  const assistanceOf = groupBy(assistance, "person_id");
  const certificatesOf = groupBy(certificates, "father_person_id", "mother_person_id", "child_person_id");
  return page.map((p) => {
    const latest = marriagesOf.get(p.id)?.at(-1);
    const spouse = latest ? (latest.husband_person_id === p.id ? latest.wife_person_id : latest.husband_person_id) : null;
    const maritalStatus = !latest ? "UNMARRIED" : latest.kind === "DIVORCE" ? "DIVORCED" : spouse && deathOf.has(spouse) ? "WIDOWED" : "MARRIED";
    const death = deathOf.get(p.id)?.[0];
    return {
      id: p.id,
      name: p.name,
      sex: p.sex,
      birthDate: p.birth_date,
      status: p.status,
      hukou: { type: p.hukou_type, registeredOn: p.hukou_registered_on, relationToHead: p.relation_to_head },
      maritalStatus,
      death: death ? { deathDate: death.death_date, registeredOn: death.registered_on } : null,
      birthsGiven: (birthsOf.get(p.id) ?? []).map((b) => ({ certificateNumber: b.certificate_number, birthOrder: b.birth_order, birthDate: b.birth_date })),
      familyPlanning: {
        associationMember: memberSet.has(p.id),
        assistance: (assistanceOf.get(p.id) ?? []).map((a) => ({ program: a.program, since: a.since })),
        onlyChildCertificates: (certificatesOf.get(p.id) ?? []).map((c) => ({ number: c.number, issuedOn: c.issued_on })),
      },
    };
  });
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function directProfileBenchmark(
  urls: Record<DepartmentName, string>,
  startIds: string[],
  options: { concurrency: number; durationSeconds: number; warmupSeconds: number; regionPrefix?: string },
): Promise<DirectResult> {
  const pools = Object.fromEntries(Object.entries(urls).map(([d, url]) => [d, createPool({ uri: url, connectionLimit: options.concurrency, dateStrings: true })])) as Record<DepartmentName, Pool>;
  const after = (() => {
    let i = 0;
    return () => startIds[i++ % startIds.length] ?? "";
  })();
  const run = async (seconds: number) => {
    const latencies: number[] = [];
    let errors = 0;
    const deadline = Date.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (Date.now() < deadline) {
          const started = process.hrtime.bigint();
          try {
            const page = await profilePage(pools, options.regionPrefix ?? "522328", after());
            JSON.stringify(page); // the answer is serialised, as any server would
          } catch {
            errors++;
          }
          latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
        }
      }),
    );
    return { latencies, errors };
  };
  try {
    if (options.warmupSeconds > 0) await run(options.warmupSeconds);
    const before = statements;
    const { latencies, errors } = await run(options.durationSeconds);
    const issued = statements - before;
    const sorted = [...latencies].sort((a, b) => a - b);
    const sequential: number[] = [];
    for (let i = 0; i < SEQUENTIAL_PROFILES; i++) {
      const started = process.hrtime.bigint();
      JSON.stringify(await profilePage(pools, options.regionPrefix ?? "522328", after()));
      sequential.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    return {
      concurrency: options.concurrency,
      durationSeconds: options.durationSeconds,
      requests: latencies.length,
      requestsPerSecond: round(latencies.length / options.durationSeconds, 1),
      latencyMs: {
        p50: round(percentile(sorted, 50), 1),
        p90: round(percentile(sorted, 90), 1),
        p99: round(percentile(sorted, 99), 1),
        mean: round(sorted.reduce((s, v) => s + v, 0) / Math.max(sorted.length, 1), 1),
        max: round(sorted.at(-1) ?? 0, 1),
      },
      errors,
      statementsPerRequest: round(issued / Math.max(latencies.length, 1), 2),
      sequentialMedianMs: round(percentile(sequential.sort((a, b) => a - b), 50), 1),
    };
  } finally {
    await Promise.all(Object.values(pools).map((pool) => pool.end()));
  }
}
