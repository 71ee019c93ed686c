/**
 * The documents the HTTP benchmark sends. One field selection reaches all four departments: public-security
 * owns the person (name, hukou), civil-affairs contributes maritalStatus and death, health birthsGiven,
 * population familyPlanning. totalCount is left out on purpose: it counts the whole county on every call.
 */
export const PERSON_LOOKUP = `query Lookup($id: ID!) { person(id: $id) { id name sex birthDate status } }`;

const FOUR_DEPARTMENTS = `
  id name sex birthDate status
  hukou { type registeredOn relationToHead }
  maritalStatus
  death { deathDate registeredOn }
  birthsGiven { certificateNumber birthOrder birthDate }
  familyPlanning { associationMember assistance { program since annualAmountYuan } onlyChildCertificates { number issuedOn } }`;

export const PEOPLE_FOUR_DEPARTMENTS = `query People($first: Int!, $after: String) {
  people(first: $first, after: $after) { nodes { ${FOUR_DEPARTMENTS} } pageInfo { hasNextPage endCursor } }
}`;

export const PEOPLE_IDS = `query PeopleIds($first: Int!, $after: String) { people(first: $first, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }`;

/** Variables for report operations that declare them without a value of their own (bench/report-operations/<name>.variables.json wins). */
export const REPORT_VARIABLE_DEFAULTS: Record<string, unknown> = {
  regionCode: "522328",
  from: "2025-01-01",
  to: "2025-12-31",
  bornFrom: "2025-01-01",
  bornTo: "2025-12-31",
  year: 2025,
  program: "REWARD_ASSISTANCE",
  first: 50,
};
