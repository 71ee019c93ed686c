import { registerEnumType } from "type-graphql";

/** 奖励扶助 (农村部分计划生育家庭奖励扶助) and the two kinds of 特别扶助 (计划生育家庭特别扶助). */
export enum AssistanceProgram {
  REWARD_ASSISTANCE = "REWARD_ASSISTANCE",
  SPECIAL_ASSISTANCE_CHILD_DECEASED = "SPECIAL_ASSISTANCE_CHILD_DECEASED",
  SPECIAL_ASSISTANCE_CHILD_DISABLED = "SPECIAL_ASSISTANCE_CHILD_DISABLED",
}
registerEnumType(AssistanceProgram, {
  name: "AssistanceProgram",
  valuesConfig: {
    REWARD_ASSISTANCE: { description: "奖励扶助 (国办发〔2004〕21号)" },
    SPECIAL_ASSISTANCE_CHILD_DECEASED: { description: "特别扶助: the only child has died (失独)" },
    SPECIAL_ASSISTANCE_CHILD_DISABLED: { description: "特别扶助: the only child is disabled, 残疾人证 grade 1–3 (伤残)" },
  },
});
