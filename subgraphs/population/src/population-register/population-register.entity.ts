import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, VersionColumn } from "typeorm";
import type { Sex } from "../../../../shared/src/graphql/common";

/** 婚姻状况 as the village clerk recorded it (the same values as civil-affairs' MaritalStatus). */
export type RecordedMaritalStatus = "UNMARRIED" | "MARRIED" | "DIVORCED" | "WIDOWED";

/**
 * 全员人口 register: the population department's own roster of the people living in the county, organised by
 * household and kept up by the village clerks (DOMAIN.md §4). It is not authoritative for identity (public-security
 * is) nor for marriages (civil-affairs is): it is what the family-planning department itself recorded, and the
 * logic audit (居不漏户、户不漏人、人不漏项) compares it with those departments' records.
 *
 * One row per person: the local hukou population (with the hukou household's number) and the inflow migrants
 * living here (householdNumber null; their hukou is in another county).
 */
@Entity("population_register")
@Index(["regionCode"])
@Index(["idNumber"])
export class PopulationRegisterRecord {
  /** The platform pseudonym of the ID number (shared/src/person-id.ts). */
  @PrimaryColumn({ type: "varchar", length: 32 })
  personId: string;

  @Column({ type: "varchar", length: 18 })
  idNumber: string;

  @Column({ type: "varchar", length: 64 })
  name: string;

  @Column({ type: "varchar", length: 6 })
  sex: Sex;

  @Column({ type: "date" })
  birthDate: string;

  /** The village (12 digits) whose clerk keeps the record: the hukou village, or where an inflow migrant lives. */
  @Column({ type: "varchar", length: 12 })
  regionCode: string;

  /** The hukou household (户号) the clerk filed the person under; null for inflow migrants. */
  @Column({ type: "varchar", length: 20, nullable: true })
  householdNumber: string | null;

  /** UNMARRIED, MARRIED, DIVORCED or WIDOWED as the clerk recorded it; null when not recorded. */
  @Column({ type: "varchar", length: 10, nullable: true })
  maritalStatus: RecordedMaritalStatus | null;

  /**
   * 生育子女数: the person's live births as the clerk recorded them (as mother or father, across marriages,
   * children who left home included), sons and daughters; null when not recorded (children, inflow migrants).
   * The 奖扶 children test (one child, or two girls) reads these.
   */
  @Column({ type: "int", nullable: true })
  sonsBorn: number | null;

  @Column({ type: "int", nullable: true })
  daughtersBorn: number | null;

  /** When the clerk entered (or last checked) the record. */
  @Column({ type: "date" })
  recordedOn: string;

  @VersionColumn()
  version: number;

  @CreateDateColumn()
  createdAt: Date;
}
