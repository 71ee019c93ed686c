import { Column, Entity, PrimaryColumn } from "typeorm";

/**
 * The yearly number of pre-pregnancy checks a town is expected to make (counties set these for about
 * 80–90% coverage of the couples planning a pregnancy). Read by the coverage report.
 */
@Entity("pre_pregnancy_check_target")
export class PrePregnancyCheckTargetRecord {
  /** A 9-digit township code. */
  @PrimaryColumn({ type: "varchar", length: 12 })
  townCode: string;

  @PrimaryColumn({ type: "int" })
  year: number;

  @Column({ type: "int" })
  target: number;
}
