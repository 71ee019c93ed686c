import { Field, ID, InputType, Int } from "type-graphql";
import { DateScalar } from "../../../../shared/src/scalars";
import { InterCountyNoticeKind, NoticeDirection } from "./inter-county-notice.enums";

/** A 出生通报 or 协查 sent to, or received from, another county. */
@InputType()
export class RecordInterCountyNoticeInput {
  @Field(() => InterCountyNoticeKind)
  kind: InterCountyNoticeKind;

  @Field(() => NoticeDirection, { description: "OUTGOING = this county sent it, INCOMING = another county sent it here" })
  direction: NoticeDirection;

  @Field({ description: "The other county's division code (6 digits, or a town or village code within it)" })
  counterpartRegionCode: string;

  @Field({ description: "The division of this county the notice concerns (where the birth was, where the person lives)" })
  localRegionCode: string;

  @Field({ description: "Citizen ID number of the person concerned (for a birth notice: the mother)" })
  idNumber: string;

  @Field(() => ID, { nullable: true, description: "出生医学证明 number: required for a birth notice" })
  birthCertificateNumber?: string | null;

  @Field({ description: "What is reported or asked (at most 200 characters)" })
  subject: string;

  @Field(() => DateScalar, { description: "OUTGOING: the day it was sent; INCOMING: the day it arrived" })
  sentOn: string;
}

/** The answer to a 协查 (or the acknowledgement of a notice): from the other county, or given by this one. */
@InputType()
export class RecordInterCountyFeedbackInput {
  @Field(() => ID, { description: "InterCountyNotice.id" })
  noticeId: string;

  @Field(() => DateScalar)
  feedbackOn: string;

  @Field({ description: "The answer (at most 500 characters)" })
  feedback: string;

  @Field(() => Int, { nullable: true, description: "InterCountyNotice.version as last read: a stale version is VERSION_CONFLICT" })
  expectedVersion?: number | null;
}
