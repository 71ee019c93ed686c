import { registerEnumType } from "type-graphql";

export enum MaritalStatus {
  UNMARRIED = "UNMARRIED",
  MARRIED = "MARRIED",
  DIVORCED = "DIVORCED",
  WIDOWED = "WIDOWED",
}
registerEnumType(MaritalStatus, { name: "MaritalStatus" });

export enum MarriageRecordKind {
  MARRIAGE = "MARRIAGE",
  DIVORCE = "DIVORCE",
}
registerEnumType(MarriageRecordKind, { name: "MarriageRecordKind" });
