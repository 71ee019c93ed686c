import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, VersionColumn } from "typeorm";

/**
 * 残疾人证 (the disability certificate) with its grade, as far as the platform needs it: 特别扶助 for a disabled only
 * child requires a certificate of grade 1–3 (DOMAIN.md §1), and payment stops when the child recovers.
 *
 * The certificate is issued by the disabled persons' federation (残联), which has no subgraph of its own here.
 * Civil-affairs is the closest owner among the four departments: it already keeps the civil-status and relief
 * records that 残联 certificates feed (残疾人两项补贴 are paid through civil-affairs), so the record lives here and
 * is entered by civil-affairs clerks from the 残联's certificate; if 残联 ever joins the platform the table moves
 * with it. Only what the eligibility rule reads is kept: the number, the person, the grade, the dates.
 */
@Entity("disability_certificate")
@Index(["personId"])
@Index(["regionCode"])
export class DisabilityCertificateRecord {
  /** The 残疾人证 number as printed (残联 numbers it from the holder's ID number plus category and grade). */
  @PrimaryColumn({ type: "varchar", length: 32 })
  certificateNumber: string;

  @Column({ type: "varchar", length: 32 })
  personId: string;

  @Column({ type: "varchar", length: 18 })
  idNumber: string;

  /** 1 (most severe) to 4. */
  @Column({ type: "int" })
  grade: number;

  @Column({ type: "date" })
  issuedOn: string;

  /** Set when the certificate is withdrawn (the holder recovered, or was re-assessed). */
  @Column({ type: "date", nullable: true })
  revokedOn: string | null;

  @Column({ type: "varchar", length: 12 })
  regionCode: string;

  @VersionColumn()
  version: number;

  @CreateDateColumn()
  createdAt: Date;
}
