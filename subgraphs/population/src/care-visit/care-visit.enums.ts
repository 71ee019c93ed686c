import { registerEnumType } from "type-graphql";

/** Which family a visit was for: the 计生两户 (独生子女户, 二女户) and the hardship families. */
export enum CareVisitKind {
  ONLY_CHILD_FAMILY = "ONLY_CHILD_FAMILY",
  TWO_DAUGHTER_FAMILY = "TWO_DAUGHTER_FAMILY",
  CHILD_DECEASED_FAMILY = "CHILD_DECEASED_FAMILY",
  CHILD_DISABLED_FAMILY = "CHILD_DISABLED_FAMILY",
  HARDSHIP_FAMILY = "HARDSHIP_FAMILY",
}
registerEnumType(CareVisitKind, {
  name: "CareVisitKind",
  valuesConfig: {
    ONLY_CHILD_FAMILY: { description: "独生子女户 (计生两户)" },
    TWO_DAUGHTER_FAMILY: { description: "二女户 (计生两户)" },
    CHILD_DECEASED_FAMILY: { description: "失独家庭 (计生特殊家庭)" },
    CHILD_DISABLED_FAMILY: { description: "伤残家庭 (计生特殊家庭)" },
    HARDSHIP_FAMILY: { description: "计生困难家庭" },
  },
});
