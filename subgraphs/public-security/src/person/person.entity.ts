import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn, VersionColumn } from "typeorm";
import type { Sex } from "../../../../shared/src/graphql/common";
import type { HukouType, PersonStatus } from "./person.enums";

/**
 * A person as the 户籍 register holds them: identity plus the current hukou and the actual residence.
 * `id` is the platform pseudonym of the ID number (shared/src/person-id.ts).
 */
@Entity("person")
@Index(["hukouRegionCode"])
@Index(["householdNumber"])
export class PersonRecord {
  @PrimaryColumn({ type: "varchar", length: 32 })
  id: string;

  @Column({ type: "varchar", length: 18, unique: true })
  idNumber: string;

  @Column({ type: "varchar", length: 64 })
  name: string;

  @Column({ type: "varchar", length: 6 })
  sex: Sex;

  @Column({ type: "date" })
  birthDate: string;

  @Column({ type: "varchar", length: 32, nullable: true })
  ethnicity: string | null;

  @Column({ type: "varchar", length: 16, default: "ACTIVE" })
  status: PersonStatus;

  @Column({ type: "varchar", length: 20, nullable: true })
  householdNumber: string | null;

  /** 与户主关系: 户主, 配偶, 子, 女 ... */
  @Column({ type: "varchar", length: 16, nullable: true })
  relationToHead: string | null;

  @Column({ type: "varchar", length: 8 })
  hukouType: HukouType;

  @Column({ type: "varchar", length: 12 })
  hukouRegionCode: string;

  @Column({ type: "date" })
  hukouRegisteredOn: string;

  @Column({ type: "date", nullable: true })
  hukouCancelledOn: string | null;

  @Column({ type: "varchar", length: 12, nullable: true })
  residenceRegionCode: string | null;

  @Column({ type: "varchar", length: 200, nullable: true })
  residenceAddress: string | null;

  @Column({ type: "date", nullable: true })
  residenceSince: string | null;

  @VersionColumn()
  version: number;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
