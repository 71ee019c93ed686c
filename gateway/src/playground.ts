import type { renderGraphiQL as RenderGraphiQL } from "@graphql-yoga/render-graphiql";

/**
 * The GraphiQL bundle is loaded on the first playground visit, not at start: requiring it costs the gateway
 * about 60 MB of resident memory (measured by bench/http.ts), which API traffic never needs.
 */
let renderer: typeof RenderGraphiQL | undefined;
function renderGraphiQL(options: Parameters<typeof RenderGraphiQL>[0]): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  renderer ??= (require("@graphql-yoga/render-graphiql") as { renderGraphiQL: typeof RenderGraphiQL }).renderGraphiQL;
  return renderer(options);
}

/**
 * Example operations shown as tabs in the playground: each crosses departments, so an analyst sees at once
 * how one query reads public-security's register, civil-affairs' marriages and divisions, health's birth
 * certificates and population's programmes.
 */
export const EXAMPLE_OPERATIONS: { name: string; query: string; variables?: Record<string, unknown> }[] = [
  {
    name: "A person across the four departments",
    query: `# One person: identity and hukou (公安), marital status and marriages (民政),
# births given (卫生) and family-planning records (人口计生).
query PersonProfile($idNumber: String!) {
  person(idNumber: $idNumber) {
    id
    idNumber
    name
    sex
    birthDate
    hukou { type registeredOn region { code name parent { name } } }
    household { householdNumber address members { name sex birthDate } }
    maritalStatus
    marriages { registrationNumber kind registeredOn husband { name } wife { name } }
    birthsGiven { certificateNumber childName sex birthDate birthOrder hukouRegistration { registeredOn } }
    familyPlanning { associationMember onlyChildCertificates { number issuedOn } assistance { program since annualAmountYuan } }
  }
}`,
  },
  {
    name: "People of a town, with marital status",
    query: `# The first page of a town's register, each person with civil-affairs' marital status.
query TownRegister($regionCode: String!, $after: String) {
  people(filter: { regionCode: $regionCode }, first: 20, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id name sex birthDate hukou { region { name } } maritalStatus }
  }
}`,
  },
  {
    name: "Birth certificates and 落户",
    query: `# Birth certificates (卫生) with whether the child has been registered in the hukou (公安).
query BirthsAndRegistration($regionCode: String!, $bornFrom: Date, $bornTo: Date) {
  birthCertificates(filter: { regionCode: $regionCode, bornFrom: $bornFrom, bornTo: $bornTo }, first: 20) {
    totalCount
    nodes {
      certificateNumber childName sex birthDate birthOrder institution
      region { name }
      mother { name hukou { type } }
      hukouRegistration { registeredOn person { id name } }
    }
  }
}`,
  },
  {
    name: "The division tree",
    query: `query Divisions($code: ID!) {
  region(code: $code) { code name level parent { code name } children { code name level } }
}`,
  },
];

export interface PlaygroundOptions {
  endpoint: string;
  /** A ready token for the playground's headers (development only), with example variables' values. */
  demoToken?: string;
  exampleVariables?: Record<string, unknown>;
}

export function playgroundHtml(options: PlaygroundOptions): string {
  const headers = JSON.stringify(
    { ...(options.demoToken ? { Authorization: `Bearer ${options.demoToken}` } : { Authorization: "Bearer <token from npm run token>" }), "X-Purpose": "playground: exploring the graph" },
    null,
    2,
  );
  return renderGraphiQL({
    title: "人口信息共享平台 · Population information platform",
    endpoint: options.endpoint,
    defaultTabs: EXAMPLE_OPERATIONS.map((operation) => ({
      query: operation.query,
      variables: JSON.stringify(options.exampleVariables ?? {}, null, 2),
      headers,
    })),
    headers,
    shouldPersistHeaders: false,
  });
}
