import { registerEnumType } from "type-graphql";

/**
 * What passes between two counties' family-planning departments about a person (流动人口计划生育工作条例 Art. 6:
 * origin and destination exchange information through the national migrant information system).
 */
export enum InterCountyNoticeKind {
  /** 出生通报: a birth in one county to a mother whose hukou is in another, reported to her hukou county. */
  BIRTH_NOTICE = "BIRTH_NOTICE",
  /** 协查: a request that the other county verify something about a person (生育、婚姻、避孕 status), answered by feedback. */
  VERIFICATION_REQUEST = "VERIFICATION_REQUEST",
}
registerEnumType(InterCountyNoticeKind, {
  name: "InterCountyNoticeKind",
  valuesConfig: {
    BIRTH_NOTICE: { description: "出生通报: a birth here to a mother with hukou elsewhere, reported to her hukou county (or the reverse)" },
    VERIFICATION_REQUEST: { description: "协查: a request to verify a person's 婚育 status, answered by feedback (反馈)" },
  },
});

/** Seen from this county. */
export enum NoticeDirection {
  /** This county sent it. */
  OUTGOING = "OUTGOING",
  /** Another county sent it here. */
  INCOMING = "INCOMING",
}
registerEnumType(NoticeDirection, {
  name: "NoticeDirection",
  valuesConfig: {
    OUTGOING: { description: "Sent by this county (发出)" },
    INCOMING: { description: "Received from another county (收到)" },
  },
});
