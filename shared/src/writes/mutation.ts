import { GraphQLError } from "graphql";
import type { EntityManager } from "typeorm";
import { inJurisdiction } from "../auth/authorize";
import type { Caller } from "../auth/caller";
import type { Database } from "../database";
import { ErrorCode, badUserInput } from "../errors";
import type { ValidIdNumber } from "../id-number";
import { findRegion, normalizeRegionCode, seedCounties } from "../regions";
import { requireRegionCode } from "../validation";
import { IdempotencyRecord } from "./idempotency.entity";
import { isUniqueViolation, runMutation } from "./unit-of-work";

/**
 * What the departments' mutation resolvers share on top of runMutation: the order of a write (replay first,
 * then checks that need no transaction, then one transaction), and the argument rules every write applies
 * (jurisdiction, the sex digit, where a record is made).
 */

export interface WriteContext {
  db: Database;
  caller: Caller;
}

// SQLite: typeorm keeps one connection for the whole database. Its transactions take turns already
// (shared/src/sqlite-transactions.ts), but runMutation's look-up of a key runs outside its transaction and
// would, on that one connection, see another send's uncommitted key with its still empty result and replay
// `null`. Whole writes of one database therefore take turns there; MySQL has a connection per transaction,
// and the key's primary key makes a concurrent send wait for the first to commit.
const sqliteTurns = new WeakMap<Database, Promise<unknown>>();

function inTurn<T>(db: Database, run: () => Promise<T>): Promise<T> {
  if (db.dialect !== "sqlite") return run();
  const previous = sqliteTurns.get(db) ?? Promise.resolve();
  const result = previous.then(run, run);
  sqliteTurns.set(db, result.catch(() => undefined));
  return result;
}

/** A JSON round trip: what runMutation stores and replays, so that the first answer and a replay resolve alike. */
export function plain<T>(row: T): T {
  return JSON.parse(JSON.stringify(row)) as T;
}

export interface PerformOptions {
  operation: string;
  idempotencyKey?: string | null;
  /** The normalised input: a retry with the same key must send the same payload. */
  payload: unknown;
}

/**
 * Runs one write. `prepare` validates what needs no transaction (formats, dates, reads of other
 * departments through the graph) and returns the transactional part, which checks the department's own
 * records and writes them. A key that has been used already is answered from its record without preparing
 * again (so a retry after success is not refused because the record now exists), or refused when the payload
 * differs (runMutation).
 */
export async function performMutation<T>(
  ctx: WriteContext,
  options: PerformOptions,
  prepare: () => Promise<(manager: EntityManager) => Promise<T>>,
): Promise<T> {
  const { db, caller } = ctx;
  const key = options.idempotencyKey;
  const seen =
    key != null && key.length > 0 && key.length <= 128
      ? await db.dataSource.getRepository(IdempotencyRecord).existsBy({ operation: options.operation, idempotencyKey: key })
      : false;
  const work = seen ? null : await prepare();
  return inTurn(db, () =>
    runMutation({ db, caller, operation: options.operation, idempotencyKey: key, payload: options.payload }, async (manager) => {
      // The key was seen but its first send has since rolled back: prepare now.
      const write = work ?? (await prepare());
      return plain(await write(manager));
    }),
  );
}

/** Whether `error` is a unique violation raised by an INSERT into `table` (both dialects quote the name). */
function isDuplicateIn(error: unknown, table: string): boolean {
  const query = (error as { query?: string }).query ?? "";
  return isUniqueViolation(error) && new RegExp(`^\\s*INSERT INTO [\`"]${table}[\`"]`, "i").test(query);
}

/** Retries a write whose generated number (e.g. a registration number) collided with a concurrent one. */
export async function retryOnCollision<T>(table: string, attempts: number, run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= attempts || !isDuplicateIn(error, table)) throw error;
    }
  }
}

/**
 * Turns a unique violation on `table` into the input error the check inside the transaction would have
 * given: two writes of the same record with different keys can both pass the check before either commits.
 */
export async function uniqueAsInput<T>(table: string, field: string, messageZh: string, messageEn: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isDuplicateIn(error, table)) throw badUserInput(field, messageZh, messageEn);
    throw error;
  }
}

/**
 * A stale `expectedVersion` is VERSION_CONFLICT before any other check of the record: whoever read an older
 * version must reload before their change means anything (updateWithVersion checks it again in the UPDATE).
 */
export function requireCurrentVersion(
  current: { version: number },
  expectedVersion: number | null | undefined,
  what: { zh: string; en: string },
): void {
  if (expectedVersion == null || expectedVersion === current.version) return;
  throw new GraphQLError(`${what.zh}已被他人修改，请刷新后重试 (${what.en} was changed by someone else: reload and retry)`, {
    extensions: { code: ErrorCode.VERSION_CONFLICT, field: "expectedVersion", currentVersion: current.version },
  });
}

/** Row level for writes: the caller's jurisdiction (a division-code prefix, "" = all) must cover the record's region. */
export function requireInJurisdiction(caller: Caller, regionCode: string | null | undefined, field: string): void {
  if (!inJurisdiction(caller, regionCode)) {
    throw badUserInput(field, `不在您的管辖范围内 (${caller.region || "—"})`, `outside your jurisdiction (${caller.region || "none"})`);
  }
}

/** Where a record is made: a division of the list, at county level or below. */
export function requireRecordRegionCode(raw: string, field: string): string {
  const code = requireRegionCode(raw, field);
  if (code.length < 6) throw badUserInput(field, "须为县级或以下的行政区划", "must be a county, town or village code");
  return code;
}

/**
 * The other end of a hukou move (where from, where to). Inside the counties the division list describes it
 * must be a known division; elsewhere the list knows nothing, so a well-formed code of a county or below is
 * accepted (a move to 440306 深圳市宝安区 is normal).
 */
export function requirePlaceCode(raw: string, field: string): string {
  const code = normalizeRegionCode(raw);
  if (code === null || code.length < 6) throw badUserInput(field, "行政区划代码格式错误，须为县级或以下", "must be a division code of a county, town or village (6, 9 or 12 digits)");
  if (seedCounties().includes(code.slice(0, 6)) && !findRegion(code)) {
    throw badUserInput(field, `未知的行政区划代码 ${code}`, `unknown division code ${code}`);
  }
  return code;
}

const SEX_ZH = { MALE: "男", FEMALE: "女" } as const;

/** The 17th digit of the ID number against the sex the form states (GB 11643: odd = male, even = female). */
export function requireSexOf(id: ValidIdNumber, sex: "MALE" | "FEMALE", field: string): void {
  if (id.sex !== sex) {
    throw badUserInput(
      field,
      `身份号码第17位表示性别为${SEX_ZH[id.sex]}，应为${SEX_ZH[sex]}`,
      `the ID number's sex digit says ${id.sex.toLowerCase()}, expected ${sex.toLowerCase()}`,
    );
  }
}
