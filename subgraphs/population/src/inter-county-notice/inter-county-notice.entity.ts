import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, VersionColumn } from "typeorm";
import type { InterCountyNoticeKind, NoticeDirection } from "./inter-county-notice.enums";

/**
 * One 出生通报 or 协查 exchanged with another county (DOMAIN.md §5 report 10). The person concerned usually has
 * her hukou in the other county, so public-security here knows nothing of her: like a migrant record, the notice
 * keeps her ID number itself. A request is open until `feedbackOn` is set: by the other county's answer for an
 * OUTGOING request, by this county's own answer for an INCOMING one.
 */
@Entity("inter_county_notice")
@Index(["localRegionCode", "sentOn"])
@Index(["personId"])
// One birth notice per certificate and direction (NULL, as on requests without a certificate, never collides).
@Index(["birthCertificateNumber", "kind", "direction"], { unique: true })
export class InterCountyNoticeRecord {
  /** A random UUID given when the notice is recorded. */
  @PrimaryColumn({ type: "varchar", length: 36 })
  id: string;

  @Column({ type: "varchar", length: 24 })
  kind: InterCountyNoticeKind;

  @Column({ type: "varchar", length: 8 })
  direction: NoticeDirection;

  /** The other county (6 digits): where a notice went, or where it came from. Any county of China. */
  @Column({ type: "varchar", length: 6 })
  counterpartCountyCode: string;

  /** The division of this county the notice concerns (where the birth took place, where the person lives or is registered). */
  @Column({ type: "varchar", length: 12 })
  localRegionCode: string;

  /** The person concerned (for a birth notice: the mother), as the platform's pseudonym. */
  @Column({ type: "varchar", length: 32 })
  personId: string;

  @Column({ type: "varchar", length: 18 })
  idNumber: string;

  /** The 出生医学证明 a birth notice reports (required for BIRTH_NOTICE; a request may name one too). */
  @Column({ type: "varchar", length: 20, nullable: true })
  birthCertificateNumber: string | null;

  /** What is reported or asked (通报事项 / 协查事项). */
  @Column({ type: "varchar", length: 200 })
  subject: string;

  /** OUTGOING: the day it was sent; INCOMING: the day it arrived. */
  @Column({ type: "date" })
  sentOn: string;

  /** The day the answer came (OUTGOING) or was given (INCOMING); null while open. */
  @Column({ type: "date", nullable: true })
  feedbackOn: string | null;

  @Column({ type: "varchar", length: 500, nullable: true })
  feedback: string | null;

  /** The operator (token subject) who recorded the notice. */
  @Column({ type: "varchar", length: 128 })
  recordedBy: string;

  @VersionColumn()
  version: number;

  @CreateDateColumn()
  createdAt: Date;
}
