import { createHash } from "node:crypto";
import { GraphQLError } from "graphql";
import { QueryFailedError, type EntityManager, type EntityTarget, type ObjectLiteral } from "typeorm";
import type { Caller } from "../auth/caller";
import type { Database } from "../database";
import { ErrorCode, badUserInput } from "../errors";
import { IdempotencyRecord } from "./idempotency.entity";

/** True for a unique or primary-key violation on MySQL/MariaDB and SQLite. */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; errno?: number } | undefined;
  return (
    driverError?.code === "ER_DUP_ENTRY" ||
    driverError?.code === "SQLITE_CONSTRAINT_PRIMARYKEY" ||
    driverError?.code === "SQLITE_CONSTRAINT_UNIQUE" ||
    driverError?.errno === 1062
  );
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

export interface MutationOptions {
  db: Database;
  caller: Caller;
  /** The mutation's name, e.g. "registerMarriage": keys are scoped to one operation. */
  operation: string;
  idempotencyKey?: string | null;
  /** The validated input: a retry must send the same payload. */
  payload: unknown;
}

const MAX_KEY_LENGTH = 128;

/**
 * Runs a write in one transaction (nothing is half-written) and makes it idempotent: the key's row is
 * inserted in the same transaction as the write, so of several concurrent sends with one key exactly one
 * commits; the others wait on the key, fail on the primary key and return the first result. The same key
 * with a different payload is IDEMPOTENCY_KEY_REUSED. `work` returns a JSON-serialisable result.
 */
export async function runMutation<T>(options: MutationOptions, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const { db, operation, idempotencyKey } = options;
  if (idempotencyKey == null) return db.dataSource.transaction((manager) => work(manager));
  if (idempotencyKey.length === 0 || idempotencyKey.length > MAX_KEY_LENGTH) {
    throw badUserInput("idempotencyKey", `长度须在 1 到 ${MAX_KEY_LENGTH} 之间`, `must be 1 to ${MAX_KEY_LENGTH} characters`);
  }
  const payloadHash = createHash("sha256").update(canonicalJson(options.payload)).digest("hex");
  const replay = async (): Promise<T> => {
    const previous = await db.dataSource.getRepository(IdempotencyRecord).findOneBy({ operation, idempotencyKey });
    if (!previous) throw new GraphQLError("idempotency record vanished", { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } });
    if (previous.payloadHash !== payloadHash) {
      throw new GraphQLError(
        `幂等键已用于不同的请求内容 (idempotencyKey was already used for a different ${operation} request)`,
        { extensions: { code: ErrorCode.IDEMPOTENCY_KEY_REUSED, field: "idempotencyKey" } },
      );
    }
    return JSON.parse(previous.result) as T;
  };
  if (await db.dataSource.getRepository(IdempotencyRecord).existsBy({ operation, idempotencyKey })) return replay();
  try {
    return await db.dataSource.transaction(async (manager) => {
      // Claim the key first: a concurrent send blocks here until this transaction ends.
      await manager.insert(IdempotencyRecord, { operation, idempotencyKey, payloadHash, result: "null", operator: options.caller.sub });
      const result = await work(manager);
      await manager.update(IdempotencyRecord, { operation, idempotencyKey }, { result: JSON.stringify(result) });
      return result;
    });
  } catch (error) {
    if (isUniqueViolation(error) && (error as QueryFailedError).query?.includes("idempotency_record")) return replay();
    throw error;
  }
}

/**
 * Optimistic concurrency for updates: `UPDATE ... WHERE key AND version = expected`, checking the affected
 * row count (typeorm's @VersionColumn does not guard updates by itself). A stale version is
 * VERSION_CONFLICT; a missing row is NOT_FOUND.
 */
export async function updateWithVersion<E extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<E>,
  where: Partial<E>,
  expectedVersion: number,
  changes: Partial<E>,
  what: string,
): Promise<void> {
  const result = await manager
    .createQueryBuilder()
    .update(entity)
    .set({ ...changes, version: () => "version + 1" } as never)
    .where(where as ObjectLiteral)
    .andWhere("version = :expectedVersion", { expectedVersion })
    .execute();
  if (result.affected === 1) return;
  const exists = await manager.getRepository(entity).existsBy(where as never);
  if (!exists) throw new GraphQLError(`未找到${what} (${what} not found)`, { extensions: { code: ErrorCode.NOT_FOUND } });
  throw new GraphQLError(`${what}已被他人修改，请刷新后重试 (${what} was changed by someone else: reload and retry)`, {
    extensions: { code: ErrorCode.VERSION_CONFLICT, field: "expectedVersion" },
  });
}
