import { Column, Entity, Index, PrimaryColumn } from "typeorm";
import type { RegionLevel } from "../../../../shared/src/regions";

/**
 * 行政区划: civil-affairs keeps the division list. Filled from the committed extract
 * (shared/data/regions.json) on start, adding codes it does not have yet and never overwriting one.
 */
@Entity("region")
@Index(["parentCode"])
export class RegionRecord {
  @PrimaryColumn({ type: "varchar", length: 12 })
  code: string;

  @Column({ type: "varchar", length: 100 })
  name: string;

  @Column({ type: "varchar", length: 10 })
  level: RegionLevel;

  @Column({ type: "varchar", length: 12, nullable: true })
  parentCode: string | null;
}
