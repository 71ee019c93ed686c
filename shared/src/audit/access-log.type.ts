import { Directive, Field, ObjectType } from "type-graphql";
import { In } from "typeorm";
import type { Caller } from "../auth/caller";
import type { DepartmentName } from "../config";
import type { Database } from "../database";
import { Department } from "../graphql/common";
import { groupLoader } from "../loaders";
import { DateTimeScalar } from "../scalars";
import { AccessLogRecord } from "./access-log.entity";

/** One entry of a department's access log, as the person concerned and auditors see it (Estonia's Data Tracker). */
@Directive("@shareable")
@ObjectType({ description: "Who read this person's data, in which department, why, which fields and when" })
export class AccessLogEntry {
  @Field(() => DateTimeScalar)
  at: string;

  @Field(() => Department)
  department: Department;

  @Field()
  operator: string;

  @Field()
  operatorDepartment: string;

  @Field()
  purpose: string;

  @Field(() => [String], { description: "Fields read; a name starting with ! was requested and denied" })
  fields: string[];
}

const DEPARTMENT_VALUE: Record<DepartmentName, Department> = {
  population: Department.POPULATION,
  "public-security": Department.PUBLIC_SECURITY,
  "civil-affairs": Department.CIVIL_AFFAIRS,
  health: Department.HEALTH,
};

/** The selection a subgraph's `<department>AccessLog` field answers, used in public-security's @requires. */
export const ACCESS_LOG_SELECTION = "at department operator operatorDepartment purpose fields";

const loaders = new WeakMap<object, ReturnType<typeof createAccessLogLoader>>();

function createAccessLogLoader(db: Database) {
  const repository = db.dataSource.getRepository(AccessLogRecord);
  return groupLoader((personIds: readonly string[]) => repository.find({ where: { personId: In([...personIds]) }, order: { seq: "ASC" } }), (e) => e.personId);
}

/**
 * This department's log entries about one person, batched per request. A citizen sees only their own;
 * other callers reach a person only through public-security's row-filtered Person.
 */
export async function accessLogFor(
  context: { db: Database; caller: Caller },
  department: DepartmentName,
  personId: string,
): Promise<AccessLogEntry[]> {
  if (context.caller.dept === "citizen" && context.caller.personId !== personId) return [];
  let loader = loaders.get(context);
  if (!loader) loaders.set(context, (loader = createAccessLogLoader(context.db)));
  const rows = await loader.load(personId);
  return rows.map((row) => ({
    at: row.at,
    department: DEPARTMENT_VALUE[department],
    operator: row.operator,
    operatorDepartment: row.operatorDepartment,
    purpose: row.purpose,
    fields: JSON.parse(row.fields) as string[],
  }));
}
