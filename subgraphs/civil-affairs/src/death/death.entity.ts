import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, VersionColumn } from "typeorm";

/** 死亡登记 with the cremation certificate number where there is one. One registration per person. */
@Entity("death_registration")
@Index(["personId"], { unique: true })
@Index(["regionCode", "deathDate"])
export class DeathRegistrationRecord {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "varchar", length: 32 })
  personId: string;

  @Column({ type: "varchar", length: 18 })
  idNumber: string;

  @Column({ type: "date" })
  deathDate: string;

  @Column({ type: "date" })
  registeredOn: string;

  @Column({ type: "varchar", length: 12 })
  regionCode: string;

  @Column({ type: "varchar", length: 32, nullable: true })
  cremationNumber: string | null;

  @VersionColumn()
  version: number;

  @CreateDateColumn()
  createdAt: Date;
}
