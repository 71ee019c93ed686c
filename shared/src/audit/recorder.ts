import type { DataSource, EntityManager } from "typeorm";
import type { Caller } from "../auth/caller";
import type { Database } from "../database";
import { AccessLogHead, AccessLogRecord } from "./access-log.entity";
import { GENESIS_HASH, entryHash, type ChainedFields } from "./chain";

/**
 * Collects, during one request to one department, which fields of which persons were read (or denied), and
 * appends them to the department's access log before the response leaves: one entry per person.
 */
export class AuditRecorder {
  private readonly reads = new Map<string, Set<string>>();

  record(personId: string | null | undefined, field: string): void {
    if (!personId) return;
    let fields = this.reads.get(personId);
    if (!fields) this.reads.set(personId, (fields = new Set()));
    fields.add(field);
  }

  recordDenied(personId: string | null | undefined, field: string): void {
    this.record(personId, `!${field}`);
  }

  get size(): number {
    return this.reads.size;
  }

  /**
   * Appends the collected entries to the chain and resolves once the transaction holding them has committed.
   * Throws if they cannot be written: the caller then withholds the data. Entries of requests flushing at the
   * same time may share that transaction (see AccessLogWriter); each request still waits for its own entries.
   */
  async flush(db: Database, caller: Caller, now: Date = new Date()): Promise<number> {
    if (this.reads.size === 0) return 0;
    const at = now.toISOString();
    const entries = [...this.reads.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    this.reads.clear();
    const drafts: EntryDraft[] = entries.map(([personId, fields]) => ({
      at,
      operator: caller.sub.slice(0, 128),
      operatorDepartment: caller.dept,
      purpose: (caller.purpose ?? "").slice(0, 200),
      personId,
      fields: JSON.stringify([...fields].sort()),
      requestId: caller.requestId.slice(0, 64),
    }));
    await accessLogWriter(db).append(drafts);
    return entries.length;
  }
}

/** An entry before it has a place in the chain. */
type EntryDraft = Omit<ChainedFields, "seq" | "previousHash">;

interface PendingAppend {
  entries: EntryDraft[];
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Most entries appended in one transaction when several requests' entries are grouped. One request's own
 * entries always go together, however many (a county-wide report logs hundreds of thousands).
 */
const GROUP_ENTRY_LIMIT = 20_000;

/**
 * Group commit for one department's access log. Appending locks the chain head's row and commits, which costs a durable log write (an fsync with innodb_flush_log_at_trx_commit=1); with one
 * transaction per request, concurrent requests queued on the head's row lock and paid that fsync one after
 * another. Here a department process runs at most one append transaction at a time: requests that flush
 * while it runs are queued, and the next transaction appends all of their entries, in the order they asked.
 * A request alone waits for nobody (its transaction starts at once).
 *
 * The guarantee is unchanged: a request's `flush` resolves only after the transaction holding its entries
 * has committed, so its data leaves only once it is in the log; if that transaction fails, every request
 * whose entries it held gets the error and withholds its data (AUDIT_UNAVAILABLE). The head row lock still
 * serialises appends across processes (several instances of a department, the seeder, tests).
 */
export class AccessLogWriter {
  private readonly queue: PendingAppend[] = [];
  private draining = false;
  private statements?: AppendStatements;
  /** The chain head as this writer last committed (or read) it; null when unknown. */
  private head: ChainHead | null = null;

  constructor(private readonly db: Database) {}

  append(entries: EntryDraft[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ entries, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  /** Remembers the head read at start, so that the first append can take the short path. */
  knowHead(head: ChainHead): void {
    if (!this.draining) this.head = head;
  }

  /** Appends queued requests' entries, one transaction per group, until the queue is empty. */
  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const group = this.takeGroup();
        try {
          await this.write(group.flatMap((pending) => pending.entries));
          for (const pending of group) pending.resolve();
        } catch (error) {
          for (const pending of group) pending.reject(error);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private takeGroup(): PendingAppend[] {
    const group = [this.queue.shift()!];
    let entries = group[0].entries.length;
    while (this.queue.length > 0 && entries + this.queue[0].entries.length <= GROUP_ENTRY_LIMIT) {
      const next = this.queue.shift()!;
      entries += next.entries.length;
      group.push(next);
    }
    return group;
  }

  /**
   * One transaction. Short path (4 statements): move the head from where this writer last left it to the
   * new last entry (`UPDATE … WHERE last_seq = ? AND last_hash = ?`, which takes the head's row lock and
   * only matches if nobody appended since), insert the entries, commit. If another writer moved the head
   * meanwhile (or it is not known yet), lock and read it (`SELECT … FOR UPDATE`), chain the entries after
   * it and move it, in the same transaction.
   */
  private async write(entries: EntryDraft[]): Promise<void> {
    const sql = (this.statements ??= appendStatements(this.db));
    const known = this.head;
    this.head = null; // unknown until this transaction has committed
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
    this.head = committed ?? null;
  }
}

interface ChainHead {
  seq: number;
  hash: string;
}

/** The entries' rows (values in `columns` order), chained after `head`, and the new head. */
function chain(entries: EntryDraft[], head: ChainHead, columns: AppendStatements["columns"]): { rows: unknown[][]; head: ChainHead } {
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

interface AppendStatements {
  lockHead: string;
  moveHead: string;
  moveHeadFrom: string;
  columns: (keyof ChainedFields | "hash")[];
  rowsPerInsert: number;
  insert(rows: number): string;
}

/**
 * The append's SQL, written once per database from the entities' metadata (table and column names, quoting
 * per dialect). Plain statements instead of typeorm's query builders: the append runs on every read.
 */
function appendStatements(db: Database): AppendStatements {
  const dataSource: DataSource = db.dataSource;
  const escape = (name: string) => dataSource.driver.escape(name);
  const log = dataSource.getMetadata(AccessLogRecord);
  const head = dataSource.getMetadata(AccessLogHead);
  const column = (metadata: typeof log, property: string) => {
    const found = metadata.findColumnWithPropertyName(property);
    if (!found) throw new Error(`${metadata.tableName} has no column for ${property}`);
    return escape(found.databaseName);
  };
  const columns = log.columns.map((c) => c.propertyName as keyof ChainedFields | "hash");
  const headTable = escape(head.tableName);
  const headId = column(head, "id");
  // SQLite has one writer at a time already; MySQL needs the row lock to serialise appends across processes.
  const lockHead =
    `SELECT ${column(head, "lastSeq")} AS lastSeq, ${column(head, "lastHash")} AS lastHash FROM ${headTable} WHERE ${headId} = 1` +
    (db.dialect === "mysql" ? " FOR UPDATE" : "");
  const moveHead = `UPDATE ${headTable} SET ${column(head, "lastSeq")} = ?, ${column(head, "lastHash")} = ? WHERE ${headId} = 1`;
  const moveHeadFrom = `${moveHead} AND ${column(head, "lastSeq")} = ? AND ${column(head, "lastHash")} = ?`;
  const insertHead = `INSERT INTO ${escape(log.tableName)} (${columns.map((p) => column(log, p)).join(", ")}) VALUES `;
  const tuple = `(${columns.map(() => "?").join(", ")})`;
  // SQLite binds at most 32,766 parameters per statement and MySQL 65,535: 2,000 and 6,000 rows of 10 columns.
  const rowsPerInsert = db.dialect === "mysql" ? 6000 : 2000;
  return { lockHead, moveHead, moveHeadFrom, columns, rowsPerInsert, insert: (rows) => insertHead + Array.from({ length: rows }, () => tuple).join(", ") };
}

const writers = new WeakMap<DataSource, AccessLogWriter>();

/** The department's one access-log writer (one per open database, so that its appends can be grouped). */
export function accessLogWriter(db: Database): AccessLogWriter {
  let writer = writers.get(db.dataSource);
  if (!writer) writers.set(db.dataSource, (writer = new AccessLogWriter(db)));
  return writer;
}

/** Creates the chain head if the log is new, and tells the department's writer where it is. Run at start, after migrations. */
export async function ensureAccessLogHead(db: Database): Promise<void> {
  const repository = db.dataSource.getRepository(AccessLogHead);
  let head = await repository.findOneBy({ id: 1 });
  if (!head) {
    try {
      await repository.insert({ id: 1, lastSeq: 0, lastHash: GENESIS_HASH });
    } catch (error) {
      if (!(await repository.existsBy({ id: 1 }))) throw error; // another instance created it first
    }
    head = await repository.findOneBy({ id: 1 });
  }
  // Only a hint: if another writer appends before this one does, its first append reads the head under lock.
  if (head) accessLogWriter(db).knowHead({ seq: head.lastSeq, hash: head.lastHash });
}
