import type { Caller } from "../auth/caller";
import type { Database } from "../database";
import { AccessLogHead, AccessLogRecord } from "./access-log.entity";
import { GENESIS_HASH, entryHash } from "./chain";

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

  /** Appends the collected entries under the chain head's lock, in one transaction. Throws if it cannot: the caller then withholds the data. */
  async flush(db: Database, caller: Caller, now: Date = new Date()): Promise<number> {
    if (this.reads.size === 0) return 0;
    const at = now.toISOString();
    const entries = [...this.reads.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    this.reads.clear();
    await db.dataSource.transaction(async (manager) => {
      const query = manager.getRepository(AccessLogHead).createQueryBuilder("h").where("h.id = 1");
      // SQLite has one writer at a time already; MySQL needs the row lock to serialise appends.
      if (db.dialect === "mysql") query.setLock("pessimistic_write");
      const head = await query.getOne();
      if (!head) throw new Error("access log head missing");
      let seq = head.lastSeq;
      let previousHash = head.lastHash;
      const rows: AccessLogRecord[] = [];
      for (const [personId, fields] of entries) {
        seq++;
        const row = {
          seq,
          at,
          operator: caller.sub.slice(0, 128),
          operatorDepartment: caller.dept,
          purpose: (caller.purpose ?? "").slice(0, 200),
          personId,
          fields: JSON.stringify([...fields].sort()),
          requestId: caller.requestId.slice(0, 64),
          previousHash,
        } as AccessLogRecord;
        row.hash = entryHash(row);
        previousHash = row.hash;
        rows.push(row);
      }
      // 2,000 rows x 10 columns stays under SQLite's 32,766 bound parameters; MySQL takes 65,535, so 6,000 rows.
      const perStatement = db.dialect === "mysql" ? 6000 : 2000;
      for (let start = 0; start < rows.length; start += perStatement) await manager.insert(AccessLogRecord, rows.slice(start, start + perStatement));
      await manager.update(AccessLogHead, { id: 1 }, { lastSeq: seq, lastHash: previousHash });
    });
    return entries.length;
  }
}

/** Creates the chain head if the log is new. Run at start, after migrations. */
export async function ensureAccessLogHead(db: Database): Promise<void> {
  const repository = db.dataSource.getRepository(AccessLogHead);
  if (await repository.existsBy({ id: 1 })) return;
  try {
    await repository.insert({ id: 1, lastSeq: 0, lastHash: GENESIS_HASH });
  } catch (error) {
    if (!(await repository.existsBy({ id: 1 }))) throw error; // another instance created it first
  }
}
