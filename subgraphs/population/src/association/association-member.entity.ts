import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, VersionColumn } from "typeorm";

/** 计生协会员: a member of the family-planning association. One row per person; no row = not a member. */
@Entity("association_member")
@Index(["regionCode"])
export class AssociationMemberRecord {
  @PrimaryColumn({ type: "varchar", length: 32 })
  personId: string;

  @Column({ type: "date" })
  joinedOn: string;

  @Column({ type: "varchar", length: 12 })
  regionCode: string;

  @VersionColumn()
  version: number;

  @CreateDateColumn()
  createdAt: Date;
}
