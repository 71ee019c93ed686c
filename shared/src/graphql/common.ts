import { Directive, Field, ID, ObjectType, registerEnumType } from "type-graphql";

export enum Sex {
  MALE = "MALE",
  FEMALE = "FEMALE",
}
registerEnumType(Sex, { name: "Sex" });

export enum Department {
  POPULATION = "POPULATION",
  PUBLIC_SECURITY = "PUBLIC_SECURITY",
  CIVIL_AFFAIRS = "CIVIL_AFFAIRS",
  HEALTH = "HEALTH",
}
registerEnumType(Department, { name: "Department" });

export enum RegionLevel {
  PROVINCE = "PROVINCE",
  CITY = "CITY",
  COUNTY = "COUNTY",
  TOWN = "TOWN",
  VILLAGE = "VILLAGE",
}
registerEnumType(RegionLevel, { name: "RegionLevel" });

// Every subgraph that pages a list defines the same PageInfo, hence @shareable.
@Directive("@shareable")
@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

/**
 * A reference to civil-affairs' Region by its code. Departments other than civil-affairs store division
 * codes and return this stub; the gateway fetches name, level and parent from civil-affairs.
 */
@Directive('@key(fields: "code", resolvable: false)')
@ObjectType("Region")
export class RegionRef {
  @Field(() => ID)
  code: string;
}

export function regionRef(code: string | null | undefined): RegionRef | null {
  return code ? { code } : null;
}

/** Builds a page from rows fetched with `limit first + 1`: the extra row only says whether a next page exists. */
export function pageOf<T>(rows: T[], first: number, cursorOf: (row: T) => string) {
  const nodes = rows.slice(0, first);
  const last = nodes[nodes.length - 1];
  return { nodes, pageInfo: { hasNextPage: rows.length > first, endCursor: last ? cursorOf(last) : null } };
}
