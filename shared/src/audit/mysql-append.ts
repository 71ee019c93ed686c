import { createPool, type Pool, type PoolConnection } from "mysql2";
import { MYSQL_CONNECTION_SETTINGS, statementTimeoutMs, type Database } from "../database";
import { describeError, logLine } from "../log";
import { appendStatements, chain, type AppendStatements, type AppendTransaction, type ChainHead, type EntryDraft } from "./append";

/** A statement and its values, formatted by the driver (mysql2's escaping, as for typeorm's own queries). */
interface Statement {
  sql: string;
  values?: unknown[];
}

/** What one round trip may carry: well under MySQL's smallest default max_allowed_packet (4 MiB, 5.7). */
const ROUND_TRIP_BYTES = 1024 * 1024;

/** MySQL's error for a scalar subquery of several rows: the head was not where the batch expected it. */
const ER_SUBQUERY_NO_1_ROW = 1242;

/**
 * The append on MySQL in one round trip. Through typeorm's pool it took four (START TRANSACTION, UPDATE of
 * the head, INSERT, COMMIT), each a socket write and a wait, on every read of every department. This sends
 * the four together on a connection of its own that allows several statements per query; the statements
 * of a batch run in order and the server stops at the first that fails, so:
 *
 *   START TRANSACTION; UPDATE head … WHERE last_seq = <known> AND last_hash = <known>;
 *   <fails unless the head is now at the new seq and hash>; INSERT …; COMMIT
 *
 * commits only if the head was where this writer last left it. If it was not (another instance appended),
 * the batch stops before the INSERT, is rolled back, and the append takes two round trips: read the head
 * under its lock, then move it, insert and commit. Appends of many entries (county-wide reports) send
 * their INSERTs in several round trips of at most ROUND_TRIP_BYTES, in one transaction.
 *
 * The connection is separate so that typeorm's pool never runs with several statements per query (all its
 * values are escaped, but the second statement an injection would need should not exist there). It is one
 * pooled connection: the group commit appends one transaction at a time anyway, and the pool replaces a
 * connection the server dropped. Each query is bounded like typeorm's (boundQueries); a query that
 * outlives the bound, or fails at the connection, destroys the connection, which makes the server roll
 * back whatever it had not committed. The statements are counted as typeorm's are (db.statements).
 */
export class MysqlAppendTransaction implements AppendTransaction {
  private readonly sql: AppendStatements;
  private readonly pool: Pool;

  constructor(private readonly db: Database) {
    this.sql = appendStatements(db);
    const url = db.dataSource.options.type === "mysql" || db.dataSource.options.type === "mariadb" ? db.dataSource.options.url : undefined;
    if (!url) throw new Error("the MySQL access-log append needs the database URL");
    this.pool = createPool({ uri: url, ...MYSQL_CONNECTION_SETTINGS, multipleStatements: true, connectionLimit: 1 });
    // A connection's errors reach its current query; one that breaks while idle is dropped by the pool, and
    // without a listener of our own a second error on it would be unhandled.
    this.pool.on("connection", (connection) => connection.on("error", (error: unknown) => console.warn(logLine(`[access-log] connection: ${describeError(error)}`))));
  }

  async append(entries: EntryDraft[], known: ChainHead | null): Promise<ChainHead> {
    const { sql } = this;
    const connection = await this.connect();
    try {
      if (known) {
        const chained = chain(entries, known, sql.columns);
        const { seq, hash } = chained.head;
        try {
          await this.run(connection, [
            { sql: "START TRANSACTION" },
            { sql: sql.moveHeadFrom, values: [seq, hash, known.seq, known.hash] },
            { sql: sql.headIsAt, values: [seq, hash] },
            ...this.inserts(chained.rows),
            { sql: "COMMIT" },
          ]);
          return chained.head;
        } catch (error) {
          if ((error as { errno?: number }).errno !== ER_SUBQUERY_NO_1_ROW) throw error;
        }
      }
      const locked = await this.run(connection, [{ sql: "ROLLBACK" }, { sql: "START TRANSACTION" }, { sql: sql.lockHead }]);
      const [row] = locked as { lastSeq: number | string; lastHash: string }[];
      if (!row) throw new Error("access log head missing");
      const chained = chain(entries, { seq: Number(row.lastSeq), hash: row.lastHash }, sql.columns);
      await this.run(connection, [{ sql: sql.moveHead, values: [chained.head.seq, chained.head.hash] }, ...this.inserts(chained.rows), { sql: "COMMIT" }]);
      return chained.head;
    } catch (error) {
      await this.abandon(connection, error);
      throw error;
    } finally {
      connection.release();
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.pool.end(() => resolve()));
  }

  private inserts(rows: unknown[][]): Statement[] {
    const statements: Statement[] = [];
    for (let start = 0; start < rows.length; start += this.sql.rowsPerInsert) {
      const chunk = rows.slice(start, start + this.sql.rowsPerInsert);
      statements.push({ sql: this.sql.insert(chunk.length), values: chunk.flat() });
    }
    return statements;
  }

  private connect(): Promise<PoolConnection> {
    return new Promise((resolve, reject) => this.pool.getConnection((error, connection) => (error ? reject(error) : resolve(connection))));
  }

  /**
   * Sends the statements in as few round trips as fit ROUND_TRIP_BYTES (an INSERT of many rows alone may
   * exceed it, and then goes alone), in order. Resolves with the rows of the last statement.
   */
  private async run(connection: PoolConnection, statements: Statement[]): Promise<unknown> {
    let batch: string[] = [];
    let bytes = 0;
    let last: unknown;
    for (const statement of statements) {
      const text = statement.values ? connection.format(statement.sql, statement.values) : statement.sql;
      const size = Buffer.byteLength(text);
      if (batch.length > 0 && bytes + size > ROUND_TRIP_BYTES) {
        last = await this.send(connection, batch);
        batch = [];
        bytes = 0;
      }
      batch.push(text);
      bytes += size + 2;
      this.db.statements.logBatched(statement.sql);
    }
    if (batch.length > 0) last = await this.send(connection, batch);
    return last;
  }

  private send(connection: PoolConnection, batch: string[]): Promise<unknown> {
    this.db.statements.roundTrips++;
    const timeout = statementTimeoutMs(this.db);
    return new Promise((resolve, reject) =>
      connection.query({ sql: batch.join(";\n"), timeout }, (error, results) => {
        if (error) return reject(error);
        // One statement: its result; several: one result per statement.
        resolve(batch.length === 1 ? results : (results as unknown[])[batch.length - 1]);
      }),
    );
  }

  /**
   * After a failed batch: if the server answered (a statement failed), roll back on the same connection;
   * if the connection itself failed or timed out, drop it (the server rolls back when it notices).
   */
  private async abandon(connection: PoolConnection, error: unknown): Promise<void> {
    const answered = typeof (error as { errno?: unknown }).errno === "number" && !(error as { fatal?: boolean }).fatal;
    if (answered) {
      try {
        await this.send(connection, ["ROLLBACK"]);
        return;
      } catch {
        // fall through: the connection is not usable
      }
    }
    connection.destroy();
  }
}
