import { registerEnumType } from "type-graphql";

export enum PersonStatus {
  ACTIVE = "ACTIVE",
  DECEASED = "DECEASED",
  MIGRATED_OUT = "MIGRATED_OUT",
  CANCELLED = "CANCELLED",
}
registerEnumType(PersonStatus, { name: "PersonStatus" });

/** 农业 / 非农业(居民) */
export enum HukouType {
  RURAL = "RURAL",
  URBAN = "URBAN",
}
registerEnumType(HukouType, { name: "HukouType" });
