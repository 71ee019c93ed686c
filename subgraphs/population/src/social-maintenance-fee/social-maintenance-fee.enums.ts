import { registerEnumType } from "type-graphql";

/** Where a 社会抚养费 case stands: decided and unpaid, partly paid, or paid in full. */
export enum SocialMaintenanceFeeStatus {
  DECIDED = "DECIDED",
  PARTLY_PAID = "PARTLY_PAID",
  PAID = "PAID",
}
registerEnumType(SocialMaintenanceFeeStatus, {
  name: "SocialMaintenanceFeeStatus",
  valuesConfig: {
    DECIDED: { description: "征收决定已作出，尚未缴纳" },
    PARTLY_PAID: { description: "部分缴纳" },
    PAID: { description: "已全额缴纳" },
  },
});
