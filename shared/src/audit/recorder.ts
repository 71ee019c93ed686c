import type { DataSource } from "typeorm";
import type { Caller } from "../auth/caller";
import type { Database } from "../database";
import { AccessLogHead } from "./access-log.entity";
import { TypeormAppendTransaction, type AppendTransaction, type ChainHead, type EntryDraft } from "./append";
import { GENESIS_HASH } from "./chain";
import { MysqlAppendTransaction } from "./mysql-append";

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
 * Group commit for one department's access log. Appending locks the chain head's row and commits, which
 * costs a durable log write (an fsync with innodb_flush_log_at_trx_commit=1); with one transaction per request, concurrent requests queued on the head's row lock and paid that fsync one after
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
  private readonly transaction: AppendTransaction;
  /** The chain head as this writer last committed (or read) it; null when unknown. */
  private head: ChainHead | null = null;

  constructor(db: Database) {
    this.transaction = appendTransactionFor(db);
  }

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

  /** One append transaction (AppendTransaction: the head moved from where this writer last left it, or read under lock). */
  private async write(entries: EntryDraft[]): Promise<void> {
    const known = this.head;
    this.head = null; // unknown until this transaction has committed
    this.head = await this.transaction.append(entries, known);
  }
}

/** The append transaction for the department's database: its own connection on MySQL, typeorm's on SQLite. */
function appendTransactionFor(db: Database): AppendTransaction {
  if (db.dialect !== "mysql") return new TypeormAppendTransaction(db);
  const transaction = new MysqlAppendTransaction(db);
  db.dataSource.closeWith(() => transaction.close());
  return transaction;
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
