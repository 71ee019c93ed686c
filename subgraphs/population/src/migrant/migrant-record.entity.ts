import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, VersionColumn } from "typeorm";
import type { Sex } from "../../../../shared/src/graphql/common";
import type { MigrationDirection } from "./migrant.enums";

/**
 * One move of a 流动人口, as this county's family-planning department recorded it (`MigrantRecord` in the
 * graph; the class is named MigrationRecord so that it does not clash with the GraphQL class).
 * The 婚育证明 columns (流动人口计划生育工作条例, 2009) are filled when the woman holds one: Art. 7 issues it
 * before she leaves, Art. 8 requires her to submit it at the destination within 30 days.
 */
@Entity("migrant_record")
@Index(["personId"])
@Index(["fromRegionCode"])
@Index(["toRegionCode"])
@Index(["sex", "birthDate"])
export class MigrationRecord {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "varchar", length: 32 })
  personId: string;

  /**
   * The migrant's citizen ID number, and the sex and birth date it states. Inflow migrants are not in this
   * county's hukou register (public-security cannot answer for them), so population keeps these itself to find
   * the women aged 18–49 whom the 婚育证明 rules concern. Null on rows recorded before the columns existed.
   */
  @Column({ type: "varchar", length: 18, nullable: true })
  idNumber: string | null;

  @Column({ type: "varchar", length: 6, nullable: true })
  sex: Sex | null;

  @Column({ type: "date", nullable: true })
  birthDate: string | null;

  @Column({ type: "varchar", length: 8 })
  direction: MigrationDirection;

  @Column({ type: "varchar", length: 12 })
  fromRegionCode: string;

  @Column({ type: "varchar", length: 12 })
  toRegionCode: string;

  @Column({ type: "date" })
  movedOn: string;

  @Column({ type: "varchar", length: 32, nullable: true })
  certificateNumber: string | null;

  @Column({ type: "date", nullable: true })
  certificateIssuedOn: string | null;

  @Column({ type: "date", nullable: true })
  certificateValidUntil: string | null;

  @Column({ type: "date", nullable: true })
  submittedAtDestinationOn: string | null;

  @VersionColumn()
  version: number;

  @CreateDateColumn()
  createdAt: Date;
}
