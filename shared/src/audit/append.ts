import type { EntityManager } from "typeorm";
import type { Database } from "../database";
import { AccessLogHead, AccessLogRecord } from "./access-log.entity";
import { entryHash, type ChainedFields } from "./chain";

/** An entry before it has a place in the chain. */
export type EntryDraft = Omit<ChainedFields, "seq" | "previousHash">;

export interface ChainHead {
  seq: number;
  hash: string;
}

/**
 * One append transaction: chains `entries` after the head, moves the head to the last of them and commits,
 * all or nothing. `known` is where the caller last saw the head (null: unknown); if the head is elsewhere,
 * the transaction reads it under lock and chains after it instead. Resolves with the new head once committed.
 */
export interface AppendTransaction {
  append(entries: EntryDraft[], known: ChainHead | null): Promise<ChainHead>;
  close(): Promise<void>;
}

export type AppendColumn = keyof ChainedFields | "hash";

/** The entries' rows (values in `columns` order), chained after `head`, and the new head. */
export function chain(entries: EntryDraft[], head: ChainHead, columns: AppendColumn[]): { rows: unknown[][]; head: ChainHead } {
  let seq = head.seq;
  let previousHash = head.hash;
  const rows: unknown[][] = [];
  for (const entry of entries) {
    seq++;
    const chained: ChainedFields & { hash: string } = {
      seq,
      at: entry.at,
      operator: entry.operator,
      operatorDepartment: entry.operatorDepartment,
      purpose: entry.purpose,
      personId: entry.personId,
      fields: entry.fields,
      requestId: entry.requestId,
      previousHash,
      hash: "",
    };
    chained.hash = entryHash(chained);
    const row = new Array<unknown>(columns.length);
    for (let i = 0; i < columns.length; i++) row[i] = chained[columns[i]];
    rows.push(row);
    previousHash = chained.hash;
  }
  return { rows, head: { seq, hash: previousHash } };
}

export interface AppendStatements {
  /** Reads the head (`lastSeq`, `lastHash`), on MySQL under the row lock. */
  lockHead: string;
  /** Moves the head: new seq, new hash. */
  moveHead: string;
  /** Moves the head only from where it was known to be: new seq, new hash, known seq, known hash. */
  moveHeadFrom: string;
  /**
   * MySQL: a statement that fails (ER_SUBQUERY_NO_1_ROW) unless the head is at the given seq and hash. After
   * `moveHeadFrom` in the same transaction, it is how a batch of statements stops before its INSERT when the
   * head was not where this writer thought (the UPDATE then changed nothing, which is no error by itself).
   */
  headIsAt: string;
  columns: AppendColumn[];
  rowsPerInsert: number;
  insert(rows: number): string;
}

/**
 * The append's SQL, written once per database from the entities' metadata (table and column names, quoting
 * per dialect). Plain statements instead of typeorm's query builders: the append runs on every read.
 */
export function appendStatements(db: Database): AppendStatements {
  const { dataSource } = db;
  const escape = (name: string) => dataSource.driver.escape(name);
  const log = dataSource.getMetadata(AccessLogRecord);
  const head = dataSource.getMetadata(AccessLogHead);
  const column = (metadata: typeof log, property: string) => {
    const found = metadata.findColumnWithPropertyName(property);
    if (!found) throw new Error(`${metadata.tableName} has no column for ${property}`);
    return escape(found.databaseName);
  };
  const columns = log.columns.map((c) => c.propertyName as AppendColumn);
  const headTable = escape(head.tableName);
  const [headId, lastSeq, lastHash] = [column(head, "id"), column(head, "lastSeq"), column(head, "lastHash")];
  // SQLite has one writer at a time already; MySQL needs the row lock to serialise appends across processes.
  const lockHead = `SELECT ${lastSeq} AS lastSeq, ${lastHash} AS lastHash FROM ${headTable} WHERE ${headId} = 1` + (db.dialect === "mysql" ? " FOR UPDATE" : "");
  const moveHead = `UPDATE ${headTable} SET ${lastSeq} = ?, ${lastHash} = ? WHERE ${headId} = 1`;
  const moveHeadFrom = `${moveHead} AND ${lastSeq} = ? AND ${lastHash} = ?`;
  // One row when the head is there, two (an error for a scalar subquery) when it is not.
  const headIsAt = `SELECT (SELECT 1 FROM ${headTable} WHERE ${headId} = 1 AND NOT (${lastSeq} = ? AND ${lastHash} = ?) UNION ALL SELECT 1) AS head_is_at`;
  const insertHead = `INSERT INTO ${escape(log.tableName)} (${columns.map((p) => column(log, p)).join(", ")}) VALUES `;
  const tuple = `(${columns.map(() => "?").join(", ")})`;
  // SQLite binds at most 32,766 parameters per statement and MySQL 65,535: 2,000 and 6,000 rows of 10 columns.
  const rowsPerInsert = db.dialect === "mysql" ? 6000 : 2000;
  return {
    lockHead,
    moveHead,
    moveHeadFrom,
    headIsAt,
    columns,
    rowsPerInsert,
    insert: (rows) => insertHead + Array.from({ length: rows }, () => tuple).join(", "),
  };
}

/**
 * The append through typeorm's own connection (SQLite, in process: a statement costs no round trip). Short
 * path: move the head from where it was known to be (`UPDATE … WHERE last_seq = ? AND last_hash = ?`),
 * insert the entries, commit. If that UPDATE matched nothing (another writer moved the head, or it is not
 * known yet), read the head and chain the entries after it, in the same transaction.
 */
export class TypeormAppendTransaction implements AppendTransaction {
  private readonly sql: AppendStatements;

  constructor(private readonly db: Database) {
    this.sql = appendStatements(db);
  }

  async append(entries: EntryDraft[], known: ChainHead | null): Promise<ChainHead> {
    const { sql } = this;
    let committed: ChainHead | undefined;
    await this.db.dataSource.transaction(async (manager: EntityManager) => {
      const runner = manager.queryRunner!;
      let chained = known ? chain(entries, known, sql.columns) : null;
      if (!chained || (await runner.query(sql.moveHeadFrom, [chained.head.seq, chained.head.hash, known!.seq, known!.hash], true)).affected !== 1) {
        const [row] = (await runner.query(sql.lockHead)) as { lastSeq: number | string; lastHash: string }[];
        if (!row) throw new Error("access log head missing");
        chained = chain(entries, { seq: Number(row.lastSeq), hash: row.lastHash }, sql.columns);
        await runner.query(sql.moveHead, [chained.head.seq, chained.head.hash]);
      }
      for (let start = 0; start < chained.rows.length; start += sql.rowsPerInsert) {
        const chunk = chained.rows.slice(start, start + sql.rowsPerInsert);
        await runner.query(sql.insert(chunk.length), chunk.flat());
      }
      committed = chained.head;
    });
    return committed!;
  }

  async close(): Promise<void> {}
}
