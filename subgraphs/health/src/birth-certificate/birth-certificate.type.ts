import { Authorized, Directive, Field, ID, Int, ObjectType } from "type-graphql";
import { PageInfo, RegionRef, Sex } from "../../../../shared/src/graphql/common";
import { DateScalar } from "../../../../shared/src/scalars";
import { PersonRef } from "../person/person.ref";

/** Resolved from a BirthCertificateRecord: plain fields read the record, region and parents have field resolvers. */
@Directive('@key(fields: "certificateNumber")')
@ObjectType({ description: "出生医学证明: the birth medical certificate issued by the delivering institution" })
export class BirthCertificate {
  @Field(() => ID)
  certificateNumber: string;

  // childName is resolved in BirthCertificateResolver, which masks a minor's name without the minors grant.

  @Authorized("read:births")
  @Field(() => Sex)
  sex: Sex;

  @Authorized("read:births")
  @Field(() => DateScalar)
  birthDate: string;

  @Authorized("read:births")
  @Field(() => Int, { description: "孩次: 1 for the mother's first live birth" })
  birthOrder: number;

  @Authorized("read:births")
  @Field()
  institution: string;

  @Authorized("read:births")
  @Field(() => RegionRef, { nullable: true, description: "Where the mother lives" })
  region: RegionRef | null;

  @Authorized("read:births")
  @Field(() => PersonRef, { nullable: true })
  mother: PersonRef | null;

  @Authorized("read:births")
  @Field(() => PersonRef, { nullable: true })
  father: PersonRef | null;
}

@ObjectType()
export class BirthCertificateConnection {
  @Field(() => Int)
  totalCount: number;

  @Field(() => [BirthCertificate])
  nodes: BirthCertificate[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}
