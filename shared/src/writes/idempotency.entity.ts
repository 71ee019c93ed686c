import { Column, CreateDateColumn, Entity, PrimaryColumn } from "typeorm";

/**
 * One row per idempotency key a mutation was sent with, in the department that performed it. The primary
 * key makes a second, concurrent send of the same key fail inside its own transaction instead of writing
 * twice (a UNIQUE constraint, not a read-then-write check).
 */
@Entity("idempotency_record")
export class IdempotencyRecord {
  @PrimaryColumn({ type: "varchar", length: 64 })
  operation: string;

  @PrimaryColumn({ type: "varchar", length: 128 })
  idempotencyKey: string;

  /** sha256 of the canonical JSON payload: the same key with another payload is refused. */
  @Column({ type: "varchar", length: 64 })
  payloadHash: string;

  /** The result returned the first time, as JSON, so a retry gets the same answer. */
  @Column({ type: "text" })
  result: string;

  @Column({ type: "varchar", length: 128 })
  operator: string;

  @CreateDateColumn()
  createdAt: Date;
}
