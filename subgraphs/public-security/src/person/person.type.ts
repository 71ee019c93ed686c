import { Authorized, Directive, Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { AccessLogEntry } from "../../../../shared/src/audit/access-log.type";
import { PageInfo, RegionRef, Sex } from "../../../../shared/src/graphql/common";
import { DateScalar } from "../../../../shared/src/scalars";
import { HukouType, PersonStatus } from "./person.enums";

@ObjectType({ description: "户籍登记 (the current hukou)" })
export class Hukou {
  @Field(() => HukouType)
  type: HukouType;

  @Field(() => RegionRef, { nullable: true })
  region: RegionRef | null;

  @Field(() => DateScalar)
  registeredOn: string;

  @Field(() => String, { nullable: true })
  relationToHead: string | null;

  @Field(() => DateScalar, { nullable: true })
  cancelledOn: string | null;
}

@ObjectType({ description: "Where the person actually lives; differs from the hukou region for 人户分离" })
export class Residence {
  @Field(() => RegionRef, { nullable: true })
  region: RegionRef | null;

  @Field()
  address: string;

  @Field(() => DateScalar)
  since: string;
}

/** Resolved from a PersonRecord: plain fields read the record, the rest have field resolvers. */
@Directive('@key(fields: "id")')
@ObjectType({ description: "A citizen as the public-security hukou register knows them" })
export class Person {
  @Field(() => ID, { description: "Pseudonymous key: the same in every department for one ID number" })
  id: string;

  // idNumber and name are resolved in PersonResolver, which masks them for callers without the grant.

  @Authorized("read:identity", "read:identity-masked")
  @Field(() => Sex, { nullable: true })
  sex: Sex | null;

  @Authorized("read:identity", "read:identity-masked")
  @Field(() => DateScalar, { nullable: true })
  birthDate: string | null;

  @Authorized("read:identity", "read:identity-masked")
  @Field(() => String, { nullable: true })
  ethnicity: string | null;

  @Authorized("read:identity", "read:identity-masked")
  @Field(() => PersonStatus, { nullable: true })
  status: PersonStatus | null;

  // The other departments' access logs, fetched by the gateway for Person.accessLog (@requires).
  @Directive("@external")
  @Field(() => [AccessLogEntry], { nullable: true })
  populationAccessLog?: AccessLogEntry[] | null;

  @Directive("@external")
  @Field(() => [AccessLogEntry], { nullable: true })
  civilAffairsAccessLog?: AccessLogEntry[] | null;

  @Directive("@external")
  @Field(() => [AccessLogEntry], { nullable: true })
  healthAccessLog?: AccessLogEntry[] | null;
}

@ObjectType()
export class PersonConnection {
  @Field(() => Int)
  totalCount: number;

  @Field(() => [Person])
  nodes: Person[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}

@InputType()
export class PersonFilter {
  @Field(() => String, { nullable: true, description: "Division-code prefix of the hukou region" })
  regionCode?: string | null;

  @Field(() => String, { nullable: true, description: "Name, or the beginning of it" })
  name?: string | null;

  @Field(() => Sex, { nullable: true })
  sex?: Sex | null;

  @Field(() => DateScalar, { nullable: true })
  bornFrom?: string | null;

  @Field(() => DateScalar, { nullable: true })
  bornTo?: string | null;

  @Field(() => PersonStatus, { nullable: true })
  status?: PersonStatus | null;

  @Field(() => HukouType, { nullable: true, description: "农业 / 非农业: lets a report ask only for the ids it must decide on" })
  hukouType?: HukouType | null;
}
