import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, VersionColumn } from "typeorm";
import type { HukouType } from "../person/person.enums";

/** 户: one hukou booklet. Members are the persons whose `householdNumber` points here. */
@Entity("household")
@Index(["regionCode"])
export class HouseholdRecord {
  @PrimaryColumn({ type: "varchar", length: 20 })
  householdNumber: string;

  @Column({ type: "varchar", length: 8 })
  type: HukouType;

  @Column({ type: "varchar", length: 200 })
  address: string;

  @Column({ type: "varchar", length: 12 })
  regionCode: string;

  @Column({ type: "varchar", length: 32, nullable: true })
  headPersonId: string | null;

  @VersionColumn()
  version: number;

  @CreateDateColumn()
  createdAt: Date;
}
