import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

export type HukouEventKindValue = "BIRTH_REGISTRATION" | "MOVE_IN" | "MOVE_OUT" | "CANCELLATION";

/**
 * The hukou history of a person (户口登记条例: 出生登记, 迁入, 迁出, 注销), one row per registration a police
 * clerk made. Append-only: `person` holds the current state, this table how it came to be.
 */
@Entity("hukou_event")
@Index(["personId", "occurredOn"])
export class HukouEventRecord {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "varchar", length: 32 })
  personId: string;

  @Column({ type: "varchar", length: 20 })
  kind: HukouEventKindValue;

  /** The date the registration took effect (GraphQL `on`; ON is an SQL keyword). */
  @Column({ type: "date" })
  occurredOn: string;

  /** Where the hukou was before (迁出地), null for a birth registration. */
  @Column({ type: "varchar", length: 12, nullable: true })
  fromRegionCode: string | null;

  /** Where it is afterwards (迁入地), null for a cancellation. */
  @Column({ type: "varchar", length: 12, nullable: true })
  toRegionCode: string | null;

  @Column({ type: "varchar", length: 20, nullable: true })
  householdNumber: string | null;

  /** For a cancellation: DECEASED, MIGRATED_OUT or CANCELLED. */
  @Column({ type: "varchar", length: 16, nullable: true })
  reason: string | null;

  /** The clerk (token subject) who made the registration. */
  @Column({ type: "varchar", length: 128 })
  operator: string;

  @CreateDateColumn()
  createdAt: Date;
}
