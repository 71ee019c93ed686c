import { Column, Entity, Index, PrimaryColumn } from "typeorm";

/**
 * 访问日志: one entry per person whose data one request read from this department (who, their department,
 * why, which fields, when). Append-only and hash-chained: each entry holds the hash of the one before, so
 * editing or removing a row breaks the chain (`npm run audit:verify`). In the MySQL deployment the
 * services' database user has no UPDATE or DELETE on this table.
 */
@Entity("access_log")
@Index(["personId", "seq"])
export class AccessLogRecord {
  /** Position in the chain, assigned under the head's lock: 1, 2, 3 ... without gaps. */
  @PrimaryColumn({ type: "bigint", transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) } })
  seq: number;

  /** ISO 8601 UTC instant, stored as text so the hash recomputes byte for byte on every database. */
  @Column({ type: "varchar", length: 24 })
  at: string;

  @Column({ type: "varchar", length: 128 })
  operator: string;

  @Column({ type: "varchar", length: 32 })
  operatorDepartment: string;

  @Column({ type: "varchar", length: 200 })
  purpose: string;

  @Column({ type: "varchar", length: 32 })
  personId: string;

  /** JSON array of field names read; a name starting with "!" was requested and denied. */
  @Column({ type: "text" })
  fields: string;

  @Column({ type: "varchar", length: 64 })
  requestId: string;

  @Column({ type: "varchar", length: 64 })
  previousHash: string;

  @Column({ type: "varchar", length: 64 })
  hash: string;
}

/**
 * The chain's head: the last sequence number and hash. Appending locks this single row, which serialises
 * appends across service instances; it also lets verification notice entries removed from the end.
 */
@Entity("access_log_head")
export class AccessLogHead {
  @PrimaryColumn({ type: "int" })
  id: number;

  @Column({ type: "bigint", transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) } })
  lastSeq: number;

  @Column({ type: "varchar", length: 64 })
  lastHash: string;
}

export const ACCESS_LOG_ENTITIES = [AccessLogRecord, AccessLogHead];
