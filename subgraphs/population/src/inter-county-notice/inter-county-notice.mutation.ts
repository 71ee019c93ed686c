import { randomUUID } from "node:crypto";
import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import { badUserInput, notFound } from "../../../../shared/src/errors";
import { personIdFor } from "../../../../shared/src/person-id";
import { requireIdNumber, requireNotFuture, requireText } from "../../../../shared/src/validation";
import { performMutation, requireInJurisdiction, requirePlaceCode, requireRecordRegionCode, requireSexOf, uniqueAsInput } from "../../../../shared/src/writes/mutation";
import { optionalExpectedVersion, requireDocumentNumber, requireNotBeforeBirth, requireOnOrAfter, updateVersioned } from "../../../../shared/src/writes/record-checks";
import type { PopulationContext } from "../context";
import { InterCountyNoticeRecord } from "./inter-county-notice.entity";
import { InterCountyNoticeKind } from "./inter-county-notice.enums";
import { RecordInterCountyFeedbackInput, RecordInterCountyNoticeInput } from "./inter-county-notice.inputs";
import { InterCountyNotice } from "./inter-county-notice.type";

const NOTICE = "跨县通报/协查 (inter-county notice)";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Resolver(() => InterCountyNotice)
export class InterCountyNoticeMutationResolver {
  /**
   * The two ends lie in different counties: the local end is a division of this county in the caller's
   * jurisdiction, the other end may be any county of China and is checked for its form only (as for migrants).
   */
  @Authorized("write:migrants")
  @Mutation(() => InterCountyNotice, { description: "Record a 出生通报 or 协查 sent to, or received from, another county" })
  recordInterCountyNotice(
    @Ctx() ctx: PopulationContext,
    @Arg("input", () => RecordInterCountyNoticeInput) input: RecordInterCountyNoticeInput,
    @Arg("idempotencyKey", () => String, { nullable: true }) idempotencyKey?: string | null,
  ): Promise<InterCountyNoticeRecord> {
    const run = () =>
      performMutation(ctx, { operation: "recordInterCountyNotice", idempotencyKey, payload: input }, async () => {
        const person = requireIdNumber(input.idNumber, "input.idNumber");
        const localRegionCode = requireRecordRegionCode(input.localRegionCode, "input.localRegionCode");
        requireInJurisdiction(ctx.caller, localRegionCode, "input.localRegionCode");
        const counterpartCountyCode = requirePlaceCode(input.counterpartRegionCode, "input.counterpartRegionCode").slice(0, 6);
        if (counterpartCountyCode === localRegionCode.slice(0, 6)) {
          throw badUserInput("input.counterpartRegionCode", "对方须为另一个县（市、区）", "must be another county: a notice within the county is not inter-county");
        }
        const subject = requireText(input.subject, "input.subject", 200);
        const sentOn = requireNotFuture(input.sentOn, "input.sentOn");
        requireNotBeforeBirth(sentOn, person, "input.sentOn", "通报日期");
        const hasCertificate = input.birthCertificateNumber != null && input.birthCertificateNumber.trim() !== "";
        let birthCertificateNumber: string | null = null;
        if (input.kind === InterCountyNoticeKind.BIRTH_NOTICE) {
          if (!hasCertificate) throw badUserInput("input.birthCertificateNumber", "出生通报须填写出生医学证明编号", "a birth notice needs the birth certificate number");
          requireSexOf(person, "FEMALE", "input.idNumber");
        }
        if (hasCertificate) birthCertificateNumber = requireDocumentNumber(input.birthCertificateNumber!, "input.birthCertificateNumber", 20, 6);
        const personId = personIdFor(person.normalized);
        return async (manager) => {
          const duplicate =
            input.kind === InterCountyNoticeKind.BIRTH_NOTICE
              ? await manager.existsBy(InterCountyNoticeRecord, { kind: input.kind, direction: input.direction, birthCertificateNumber: birthCertificateNumber! })
              : await manager.existsBy(InterCountyNoticeRecord, { kind: input.kind, direction: input.direction, personId, counterpartCountyCode, sentOn, subject });
          if (duplicate) {
            throw input.kind === InterCountyNoticeKind.BIRTH_NOTICE
              ? badUserInput("input.birthCertificateNumber", "该出生已通报", "this birth has been notified already")
              : badUserInput("input.sentOn", "该协查已登记", "this request is already recorded");
          }
          const id = randomUUID();
          await manager.insert(InterCountyNoticeRecord, {
            id,
            kind: input.kind,
            direction: input.direction,
            counterpartCountyCode,
            localRegionCode,
            personId,
            idNumber: person.normalized,
            birthCertificateNumber,
            subject,
            sentOn,
            feedbackOn: null,
            feedback: null,
            recordedBy: ctx.caller.sub.slice(0, 128),
          });
          return manager.findOneByOrFail(InterCountyNoticeRecord, { id });
        };
      });
    // Two sends of one birth notice with different keys can both pass the check before either commits.
    return uniqueAsInput("inter_county_notice", "input.birthCertificateNumber", "该出生已通报", "this birth has been notified already", run);
  }

  /** The answer to a 协查 (or a notice's acknowledgement). Once recorded it is kept: a second answer is refused. */
  @Authorized("write:migrants")
  @Mutation(() => InterCountyNotice, { description: "Record the feedback (反馈) of a 协查 or notice: received from the other county, or given by this one" })
  recordInterCountyFeedback(
    @Ctx() ctx: PopulationContext,
    @Arg("input", () => RecordInterCountyFeedbackInput) input: RecordInterCountyFeedbackInput,
    @Arg("idempotencyKey", () => String, { nullable: true }) idempotencyKey?: string | null,
  ): Promise<InterCountyNoticeRecord> {
    return performMutation(ctx, { operation: "recordInterCountyFeedback", idempotencyKey, payload: input }, async () => {
      const id = String(input.noticeId ?? "").trim();
      if (!UUID.test(id)) throw badUserInput("input.noticeId", "通报编号格式错误", "is not a notice id");
      const feedbackOn = requireNotFuture(input.feedbackOn, "input.feedbackOn");
      const feedback = requireText(input.feedback, "input.feedback", 500);
      const expectedVersion = optionalExpectedVersion(input.expectedVersion, "input.expectedVersion");
      return async (manager) => {
        const notice = await manager.findOneBy(InterCountyNoticeRecord, { id: id.toLowerCase() });
        if (!notice) throw notFound(NOTICE);
        requireInJurisdiction(ctx.caller, notice.localRegionCode, "input.noticeId");
        if (notice.feedbackOn !== null) {
          throw badUserInput("input.noticeId", `该通报已于 ${notice.feedbackOn} 反馈`, `feedback was recorded already (${notice.feedbackOn})`);
        }
        requireOnOrAfter(feedbackOn, notice.sentOn, "input.feedbackOn", `反馈日期早于通报日期 ${notice.sentOn}`, `before the notice was sent (${notice.sentOn})`);
        return updateVersioned(manager, InterCountyNoticeRecord, { id: notice.id }, notice, expectedVersion, { feedbackOn, feedback }, NOTICE);
      };
    });
  }
}
