import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from "typeorm";

/**
 * 出生登记 (落户): a newborn entered into the hukou register from a health department birth certificate.
 * Keyed by the certificate number, so one certificate can be registered once only.
 */
@Entity("birth_registration")
@Index(["personId"], { unique: true })
export class BirthRegistrationRecord {
  @PrimaryColumn({ type: "varchar", length: 20 })
  certificateNumber: string;

  @Column({ type: "varchar", length: 32 })
  personId: string;

  @Column({ type: "date" })
  registeredOn: string;

  @CreateDateColumn()
  createdAt: Date;
}
