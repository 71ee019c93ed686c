import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { RegionRef } from "../../../../../shared/src/graphql/common";
import { DateScalar } from "../../../../../shared/src/scalars";
import { InterCountyNotice } from "../../inter-county-notice/inter-county-notice.type";
import { PersonRef } from "../../person/person.ref";
import { BirthCertificateRef } from "../birth-certificate.ref";

/** How the report knows the mother's hukou county, best first. */
export enum OriginCountySource {
  MIGRANT_RECORD = "MIGRANT_RECORD",
  HUKOU_MOVED_OUT = "HUKOU_MOVED_OUT",
  ID_NUMBER = "ID_NUMBER",
  UNKNOWN = "UNKNOWN",
}
registerEnumType(OriginCountySource, {
  name: "OriginCountySource",
  valuesConfig: {
    MIGRANT_RECORD: { description: "Where her inflow (流入) record says she came from" },
    HUKOU_MOVED_OUT: { description: "Where public-security's 迁出 sent her hukou before the birth" },
    ID_NUMBER: { description: "Her ID number's address code (where her hukou was first registered): confirm before sending" },
    UNKNOWN: { description: "This county holds no record of her: ask health for the certificate's details" },
  },
});

@ObjectType({ description: "A birth here to a mother with no hukou in this county, not notified (出生通报) to her hukou county" })
export class NonLocalBirthNotReported {
  @Field(() => BirthCertificateRef)
  birthCertificate: BirthCertificateRef;

  @Field(() => PersonRef, { nullable: true, description: "The mother (not in this county's hukou register: her identity fields come back null)" })
  mother: PersonRef | null;

  /** Resolved (masked, logged) by NonLocalBirthNotReportedResolver; null when population holds no record of her. */
  motherIdNumber: string | null;

  /** Who the row is about, for the access log. */
  motherPersonId: string;

  @Field(() => RegionRef, { nullable: true, description: "Her hukou county, where the notice is due (null when not known here)" })
  originCounty: RegionRef | null;

  @Field(() => OriginCountySource)
  originKnownFrom: OriginCountySource;
}

@ObjectType({ description: "A 协查 with no feedback more than the allowed days after it was sent (OUTGOING) or received (INCOMING)" })
export class UnansweredInterCountyRequest {
  @Field(() => InterCountyNotice)
  notice: InterCountyNotice;

  @Field(() => DateScalar, { description: "The last day feedback was due" })
  dueOn: string;

  @Field(() => Int, { description: "Days since it was sent or received, on `today`" })
  daysOpen: number;
}
