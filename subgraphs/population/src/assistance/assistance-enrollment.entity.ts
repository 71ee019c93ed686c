import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, VersionColumn } from "typeorm";
import type { AssistanceProgram } from "./assistance.enums";

/**
 * One person on the 奖扶 or 特扶 roster. Each parent is enrolled (and paid) separately. `until` is set when
 * payment stops: the recipient died, or (特扶 伤残) the child recovered.
 */
@Entity("assistance_enrollment")
@Index(["personId"])
@Index(["regionCode"])
export class AssistanceEnrollmentRecord {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "varchar", length: 32 })
  personId: string;

  @Column({ type: "varchar", length: 40 })
  program: AssistanceProgram;

  @Column({ type: "date" })
  since: string;

  @Column({ type: "date", nullable: true })
  until: string | null;

  @Column({ type: "varchar", length: 12 })
  regionCode: string;

  @VersionColumn()
  version: number;

  @CreateDateColumn()
  createdAt: Date;
}
