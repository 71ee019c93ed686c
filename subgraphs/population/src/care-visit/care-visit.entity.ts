import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, VersionColumn } from "typeorm";
import type { CareVisitKind } from "./care-visit.enums";

/**
 * A visit (走访慰问) of a family-planning family: the 计生两户 and the special-hardship families are visited
 * regularly, and the visit list is read together with civil-affairs' 低保 status (DOMAIN.md, query 15).
 */
@Entity("care_visit")
@Index(["personId"])
@Index(["regionCode", "visitedOn"])
export class CareVisitRecord {
  /** A random UUID given when the visit is recorded. */
  @PrimaryColumn({ type: "varchar", length: 36 })
  id: string;

  /** The person visited (for a couple: the one the file is kept under). */
  @Column({ type: "varchar", length: 32 })
  personId: string;

  @Column({ type: "date" })
  visitedOn: string;

  @Column({ type: "varchar", length: 32 })
  kind: CareVisitKind;

  /** Who visited, as the form names them (a cadre, a 计生协 volunteer ...). */
  @Column({ type: "varchar", length: 64 })
  visitedBy: string;

  @Column({ type: "varchar", length: 500, nullable: true })
  note: string | null;

  /** Where the family lives. */
  @Column({ type: "varchar", length: 12 })
  regionCode: string;

  /** The operator (token subject) who recorded the visit. */
  @Column({ type: "varchar", length: 128 })
  recordedBy: string;

  @VersionColumn()
  version: number;

  @CreateDateColumn()
  createdAt: Date;
}
