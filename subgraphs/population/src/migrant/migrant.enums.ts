import { registerEnumType } from "type-graphql";

/** Seen from this county: INFLOW = came here from elsewhere (流入), OUTFLOW = left for elsewhere (流出). */
export enum MigrationDirection {
  INFLOW = "INFLOW",
  OUTFLOW = "OUTFLOW",
}
registerEnumType(MigrationDirection, { name: "MigrationDirection" });
