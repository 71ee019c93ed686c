import { Field, ID, Int, ObjectType } from "type-graphql";
import { DateScalar } from "../../../../shared/src/scalars";
import { InterCountyNoticeKind, NoticeDirection } from "./inter-county-notice.enums";

/** Resolved from an InterCountyNoticeRecord; person, regions, certificate and ID number have field resolvers. */
@ObjectType({ description: "出生通报 or 协查 exchanged with another county's family-planning department" })
export class InterCountyNotice {
  @Field(() => ID)
  id: string;

  @Field(() => InterCountyNoticeKind)
  kind: InterCountyNoticeKind;

  @Field(() => NoticeDirection)
  direction: NoticeDirection;

  @Field({ description: "What is reported or asked (通报事项 / 协查事项)" })
  subject: string;

  @Field(() => DateScalar, { description: "OUTGOING: when it was sent; INCOMING: when it arrived" })
  sentOn: string;

  @Field(() => DateScalar, { nullable: true, description: "When the answer came (OUTGOING) or was given (INCOMING); null while open" })
  feedbackOn: string | null;

  @Field(() => String, { nullable: true, description: "The answer (反馈)" })
  feedback: string | null;

  @Field(() => Int, { description: "Row version (optimistic concurrency): send it as expectedVersion when recording feedback" })
  version: number;
}
