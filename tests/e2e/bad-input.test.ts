import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { IDENTITY_HEADER, signIdentity } from "../../shared/src/auth/identity-header";
import { defaultScopes } from "../../shared/src/auth/grants";
import { DEPARTMENTS, type DepartmentName } from "../../shared/src/config";
import { makeIdNumber } from "../../shared/src/id-number";
import { MAX_PAGE_SIZE, SERVICE_MAX_PAGE_SIZE } from "../../shared/src/pagination";
import { closeServer, listen, type RunningService } from "../../shared/src/service";
import { DEFAULT_GATEWAY_LIMITS, logScrubbed, scrubbingLogger, type GatewayLimits } from "../../gateway/src/limits";
import { startGateway } from "../../gateway/src/server";
import { readCommittedSupergraph } from "../../gateway/src/supergraph";
import { dialectsUnderTest, isMysqlAvailable } from "../helpers/databases";
import { startPlatform, TEST_SECRETS, tokenFor, type Platform } from "../helpers/platform";

/**
 * Hostile and malformed requests to the gateway. Each one gets its status and extensions.code, reaches no
 * department (counted twice: HTTP requests arriving at counting proxies in front of the four subgraphs, and
 * the departments' SQL statements), leaves no stack trace, SQL or unmasked ID number in the answer, and
 * the gateway still answers a normal query afterwards. The suite runs on both dialects because the few
 * requests that are let through (documents at a limit, SQL-looking strings) do reach a database.
 */

const LIMITS = DEFAULT_GATEWAY_LIMITS;
const COUNTY = "522328";
const PERSON_ID_NUMBER = makeIdNumber(COUNTY, "1990-01-01", 123);

interface Answer {
  status: number;
  contentType: string;
  text: string;
  body: { data?: any; errors?: { message: string; extensions?: Record<string, any> }[]; extensions?: Record<string, any> };
}

interface Gateways {
  development: string;
  production: string;
}

type Send = (urls: Gateways, headers: Record<string, string>) => Promise<Answer>;

interface Case {
  name: string;
  send: Send;
  status: number;
  code?: string;
  /** For BAD_USER_INPUT: the argument named. */
  field?: string;
  /** Let through on purpose (a document exactly at a limit, SQL-looking text): answered, never a 500. */
  reachesDepartments?: boolean;
  check?: (answer: Answer) => void;
}

async function request(url: string, init: RequestInit): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  const contentType = response.headers.get("content-type") ?? "";
  let body: Answer["body"];
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`non-JSON answer (${response.status}, ${contentType}): ${text.slice(0, 200)}`);
  }
  return { status: response.status, contentType, text, body };
}

const post =
  (body: unknown, options: { contentType?: string | null; gateway?: keyof Gateways; headers?: Record<string, string> } = {}): Send =>
  (urls, headers) =>
    request(urls[options.gateway ?? "development"], {
      method: "POST",
      headers: {
        ...headers,
        ...(options.contentType === null ? {} : { "content-type": options.contentType ?? "application/json" }),
        ...options.headers,
      },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });

/** A body sent compressed with `encoding` (bytes as given). */
const compressed =
  (bytes: Buffer, encoding: string): Send =>
  (urls, headers) =>
    request(urls.development, { method: "POST", headers: { ...headers, "content-type": "application/json", "content-encoding": encoding }, body: new Uint8Array(bytes) });

/** A request to another path of the gateway than /graphql. */
const atPath =
  (path: string, method = "GET"): Send =>
  (urls, headers) =>
    request(new URL(path, urls.development).toString(), { method, headers, body: method === "GET" ? undefined : "{}" });

const query = (document: string, variables?: Record<string, unknown>, gateway?: keyof Gateways) => post({ query: document, variables }, { gateway });

const get =
  (document: string, extraHeaders: Record<string, string> = {}): Send =>
  (urls, headers) =>
    request(`${urls.development}?query=${encodeURIComponent(document)}`, { method: "GET", headers: { ...headers, ...extraHeaders } });

/** `{ region { parent { ... { name } } } }` with `depth` levels of fields. */
function nested(depth: number): string {
  return `{ region(code: "${COUNTY}") { ${"parent { ".repeat(depth - 2)}name${" }".repeat(depth - 2)} } }`;
}

/** `n` aliased fields (armor does not count aliases of __typename). */
function aliases(n: number): string {
  return `{ region(code: "${COUNTY}") { ${Array.from({ length: n }, (_, i) => `a${i}: name`).join(" ")} } }`;
}

const PROFILE = `id idNumber name sex birthDate
  hukou { type registeredOn region { code name parent { name } } }
  household { householdNumber address members { name sex birthDate } }
  maritalStatus
  marriages { registrationNumber kind registeredOn husband { name } wife { name } }
  birthsGiven { certificateNumber childName sex birthDate birthOrder hukouRegistration { registeredOn } }
  familyPlanning { associationMember onlyChildCertificates { number issuedOn } assistance { program since annualAmountYuan } }`;

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const codes = (answer: Answer) => (answer.body.errors ?? []).map((e) => e.extensions?.code);

const CASES: Case[] = [
  // Syntax and shape of the request
  { name: "a syntax error (unexpected end)", send: query(`{ region(code: `), status: 400, code: "GRAPHQL_PARSE_FAILED" },
  { name: "a syntax error (unbalanced braces)", send: query(`{ region(code: "${COUNTY}") { name } } }`), status: 400, code: "GRAPHQL_PARSE_FAILED" },
  { name: "an empty query", send: query(""), status: 400, code: "BAD_REQUEST" },
  { name: "an empty body", send: post(""), status: 400, code: "BAD_REQUEST" },
  { name: "an empty JSON object", send: post({}), status: 400, code: "BAD_REQUEST" },
  { name: "malformed JSON", send: post(`{"query": "{ __typename }"`), status: 400, code: "BAD_REQUEST" },
  { name: "a JSON string instead of an object", send: post(`"{ __typename }"`), status: 400, code: "BAD_REQUEST" },
  { name: "a query that is not a string", send: post({ query: 42 }), status: 400, code: "BAD_REQUEST" },
  { name: "variables that are not an object", send: post({ query: "{ __typename }", variables: "x" }), status: 400, code: "BAD_REQUEST" },
  { name: "two anonymous operations", send: query(`{ __typename } { __typename }`), status: 400, code: "GRAPHQL_VALIDATION_FAILED" },
  { name: "an operationName not in the document", send: post({ query: "query A { __typename }", operationName: "B" }), status: 400, code: "OPERATION_RESOLUTION_FAILURE" },

  // Content types, GET and batches
  { name: "text/plain (a CSRF-able simple request)", send: post({ query: "{ __typename }" }, { contentType: "text/plain" }), status: 400, code: "BAD_REQUEST" },
  { name: "application/xml", send: post("<query>{ __typename }</query>", { contentType: "application/xml" }), status: 400, code: "BAD_REQUEST" },
  { name: "a form-encoded body", send: post("query=%7B__typename%7D", { contentType: "application/x-www-form-urlencoded" }), status: 400, code: "BAD_REQUEST" },
  { name: "no content type", send: post({ query: "{ __typename }" }, { contentType: null }), status: 400, code: "BAD_REQUEST" },
  { name: "a mutation over GET (preflighted)", send: get(`mutation { __typename }`, { "apollo-require-preflight": "1" }), status: 405, code: "BAD_REQUEST" },
  { name: "a mutation over GET (no preflight header: CSRF prevention)", send: get(`mutation { __typename }`), status: 400, code: "BAD_REQUEST" },
  { name: "a charset other than UTF-8", send: post({ query: "{ __typename }" }, { contentType: "application/json; charset=iso-8859-1" }), status: 415, code: "BAD_REQUEST" },
  { name: "an unknown content encoding", send: compressed(Buffer.from(JSON.stringify({ query: "{ __typename }" })), "x-custom"), status: 415, code: "BAD_REQUEST" },
  { name: "a corrupt gzip body", send: compressed(Buffer.from("not gzip at all"), "gzip"), status: 400, code: "BAD_REQUEST" },
  {
    name: "a gzip body (inflated and answered)",
    send: compressed(gzipSync(JSON.stringify({ query: `{ region(code: "${COUNTY}") { name } }` })), "gzip"),
    status: 200,
    reachesDepartments: true,
    check: (answer) => expect(answer.body.data.region.name).toBeTruthy(),
  },
  {
    name: "a brotli body (inflated and answered)",
    send: compressed(brotliCompressSync(JSON.stringify({ query: `{ region(code: "${COUNTY}") { name } }` })), "br"),
    status: 200,
    reachesDepartments: true,
    check: (answer) => expect(answer.body.data.region.name).toBeTruthy(),
  },
  {
    // 10 kB on the wire, 20 MB once inflated: the limit counts what is inflated.
    name: "a gzip bomb (20 MB inflated)",
    send: compressed(gzipSync(Buffer.from(`{"query": "{ __typename }", "variables": {"x": "${"x".repeat(20_000_000)}"}}`)), "gzip"),
    status: 413,
    code: "PAYLOAD_TOO_LARGE",
  },
  {
    name: "a 2 MB body without a token (refused before it is read)",
    send: (urls) => request(urls.development, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ __typename }", x: "x".repeat(2_000_000) }) }),
    status: 401,
    code: "UNAUTHENTICATED",
  },
  { name: "a JSON body with leading whitespace", send: post(`\n  {"query": "{ __typename }"}`), status: 200 },
  { name: "an unknown path", send: atPath("/graphql-old"), status: 404, code: "NOT_FOUND" },
  { name: "a POST to /health", send: atPath("/health", "POST"), status: 405, code: "METHOD_NOT_ALLOWED" },
  { name: "a batch of two operations", send: post([{ query: "{ __typename }" }, { query: "{ __typename }" }]), status: 400, code: "BATCHING_NOT_SUPPORTED" },
  { name: "an empty batch", send: post([]), status: 400, code: "BATCHING_NOT_SUPPORTED" },

  // Size
  { name: "a document beyond the body limit (2 MB)", send: query(`{ __typename ${"# padding\n".repeat(200_000)}}`), status: 413, code: "PAYLOAD_TOO_LARGE" },
  { name: "variables beyond the body limit (2 MB)", send: query(`query($x: String) { __typename }`, { x: "x".repeat(2_000_000) }), status: 413, code: "PAYLOAD_TOO_LARGE" },
  { name: "a huge document within the body limit (900 kB of fields)", send: query(`{ region(code: "${COUNTY}") { ${"name ".repeat(180_000)}} }`), status: 400, code: "TOO_MANY_TOKENS" },
  { name: "5,000 duplicate fields", send: query(`{ region(code: "${COUNTY}") { ${"name ".repeat(5000)}} }`), status: 400, code: "TOO_MANY_TOKENS" },
  {
    // Parsed (the token count is not exceeded), then given up by graphql-js's own budget for overlapping fields.
    name: "tokens exactly at the limit (1,998 duplicate fields)",
    send: query(`{ ${"__typename ".repeat(LIMITS.maxTokens - 2)}}`),
    status: 400,
    code: "QUERY_TOO_COMPLEX",
  },
  { name: "one token over the token limit", send: query(`{ ${"__typename ".repeat(LIMITS.maxTokens - 1)}}`), status: 400, code: "TOO_MANY_TOKENS" },

  // Depth, aliases, directives, cost
  { name: "depth exactly at the limit", send: query(nested(LIMITS.maxDepth)), status: 200, reachesDepartments: true },
  { name: "depth one over the limit", send: query(nested(LIMITS.maxDepth + 1)), status: 400, code: "QUERY_TOO_DEEP" },
  {
    name: "depth over the limit through fragments",
    send: query(`{ region(code: "${COUNTY}") { ...A } } fragment A on Region { parent { ...B } } fragment B on Region { parent { ...C } }
      fragment C on Region { parent { ...D } } fragment D on Region { parent { ...E } } fragment E on Region { parent { name } }`),
    status: 400,
    code: "QUERY_TOO_DEEP",
  },
  { name: "aliases exactly at the limit", send: query(aliases(LIMITS.maxAliases)), status: 200, reachesDepartments: true },
  { name: "aliases one over the limit", send: query(aliases(LIMITS.maxAliases + 1)), status: 400, code: "TOO_MANY_ALIASES" },
  { name: "an alias bomb (500 aliases)", send: query(aliases(500)), status: 400, code: "TOO_MANY_ALIASES" },
  { name: "directives one over the limit", send: query(`{ ${"__typename @skip(if: false) ".repeat(LIMITS.maxDirectives + 1)}}`), status: 400, code: "TOO_MANY_DIRECTIVES" },
  {
    name: "a cost bomb (200 people, their households' members' households' members)",
    send: query(`{ people(first: 200) { nodes { ${PROFILE} household { members { ${PROFILE} household { members { ${PROFILE} } } } } } } }`),
    status: 400,
    code: "QUERY_TOO_COMPLEX",
  },
  { name: "a fragment cycle", send: query(`{ region(code: "${COUNTY}") { ...A } } fragment A on Region { parent { ...B } } fragment B on Region { parent { ...A } }`), status: 400, code: "GRAPHQL_VALIDATION_FAILED" },
  { name: "a fragment spreading itself", send: query(`{ region(code: "${COUNTY}") { ...A } } fragment A on Region { name ...A }`), status: 400, code: "GRAPHQL_VALIDATION_FAILED" },

  // Introspection, suggestions, federation internals
  {
    name: "introspection in development",
    send: query(`{ __schema { queryType { name } } }`),
    status: 200,
    check: (answer) => expect(answer.body.data.__schema.queryType.name).toBe("Query"),
  },
  { name: "introspection in production", send: query(`{ __schema { types { name } } }`, undefined, "production"), status: 400, code: "GRAPHQL_VALIDATION_FAILED" },
  { name: "__type in production", send: query(`{ __type(name: "Person") { fields { name } } }`, undefined, "production"), status: 400, code: "GRAPHQL_VALIDATION_FAILED" },
  {
    name: "a misspelled field in development (suggested)",
    send: query(`{ region(code: "${COUNTY}") { nmae } }`),
    status: 400,
    code: "GRAPHQL_VALIDATION_FAILED",
    check: (answer) => expect(answer.body.errors?.[0].message).toContain("Did you mean"),
  },
  {
    name: "a misspelled field in production (no suggestion)",
    send: query(`{ region(code: "${COUNTY}") { nmae } }`, undefined, "production"),
    status: 400,
    code: "GRAPHQL_VALIDATION_FAILED",
    check: (answer) => expect(answer.text).not.toMatch(/Did you mean|"name"/),
  },
  {
    name: "a misspelled argument in production (no suggestion)",
    send: query(`{ region(cod: "${COUNTY}") { name } }`, undefined, "production"),
    status: 400,
    code: "GRAPHQL_VALIDATION_FAILED",
    check: (answer) => expect(answer.text).not.toMatch(/Did you mean/),
  },
  {
    name: "a misspelled enum value in a variable in production (no suggestion)",
    send: query(`query($s: Sex) { people(filter: { sex: $s }) { totalCount } }`, { s: "MALEE" }, "production"),
    status: 400,
    code: "BAD_USER_INPUT",
    check: (answer) => expect(answer.text).not.toMatch(/Did you mean|"MALE"/),
  },
  { name: "_entities through the gateway", send: query(`{ _entities(representations: [{ __typename: "Person", id: "x" }]) { __typename } }`), status: 400, code: "GRAPHQL_VALIDATION_FAILED" },
  { name: "_service through the gateway", send: query(`{ _service { sdl } }`), status: 400, code: "GRAPHQL_VALIDATION_FAILED" },

  // Page size
  { name: `first = ${MAX_PAGE_SIZE + 1} as a literal`, send: query(`{ people(first: ${MAX_PAGE_SIZE + 1}) { totalCount } }`), status: 400, code: "BAD_USER_INPUT", field: "first" },
  { name: "first = 1,000,000 in a variable", send: query(`query($n: Int) { people(first: $n) { totalCount } }`, { n: 1_000_000 }), status: 400, code: "BAD_USER_INPUT", field: "first" },
  { name: "a huge first inside a fragment", send: query(`{ ...F } fragment F on Query { birthCertificates(first: 1000) { totalCount } }`), status: 400, code: "BAD_USER_INPUT", field: "first" },
  { name: "first = 1,000,000 as a literal (also too costly)", send: query(`{ people(first: 1000000) { nodes { id name } } }`), status: 400, code: "BAD_USER_INPUT", field: "first" },
  { name: "a negative first", send: query(`{ marriageRecords(first: -1) { totalCount } }`), status: 400, code: "BAD_USER_INPUT", field: "first" },
  { name: `first = ${MAX_PAGE_SIZE} (the cap itself)`, send: query(`{ people(first: ${MAX_PAGE_SIZE}) { totalCount } }`), status: 200, reachesDepartments: true },
  {
    name: `a service identity's first beyond ${SERVICE_MAX_PAGE_SIZE}`,
    send: (urls) =>
      request(urls.development, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          [IDENTITY_HEADER]: signIdentity(
            { sub: "service:population", dept: "population", scopes: defaultScopes("population"), region: "", purpose: "report", requestId: "bad-input" },
            TEST_SECRETS.IDENTITY_SIGNING_SECRET,
          ),
        },
        body: JSON.stringify({ query: `query($n: Int) { people(first: $n) { totalCount } }`, variables: { n: SERVICE_MAX_PAGE_SIZE + 1 } }),
      }),
    status: 400,
    code: "BAD_USER_INPUT",
    field: "first",
  },

  // Persisted queries
  {
    name: "an unknown persisted-query hash (APQ: the client is asked for the text)",
    send: post({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256("never registered") } } }),
    // Apollo's automatic persisted queries answer 200 by protocol: a 4xx would make Apollo Client turn APQ off.
    status: 200,
    code: "PERSISTED_QUERY_NOT_FOUND",
  },
  {
    name: "a persisted-query hash that does not match the text",
    send: post({ query: "{ __typename }", extensions: { persistedQuery: { version: 1, sha256Hash: sha256("something else") } } }),
    status: 400,
    code: "BAD_REQUEST",
  },
  {
    name: "a partner's unknown persisted hash",
    send: async (urls) =>
      post(
        { extensions: { persistedQuery: { version: 1, sha256Hash: sha256("never registered") } } },
        { headers: { authorization: `Bearer ${await tokenFor({ sub: "partner-school", dept: "partner" })}`, "x-purpose": "test" } },
      )(urls, {}),
    status: 403,
    code: "PERSISTED_QUERY_NOT_ALLOWED",
  },

  // Hostile strings in arguments: answered like any other value, never a 500
  { name: "an ID number written as a number (not echoed back)", send: query(`{ person(idNumber: ${PERSON_ID_NUMBER.slice(0, 17)}1) { name } }`), status: 400, code: "GRAPHQL_VALIDATION_FAILED" },
  { name: "SQL in an ID number", send: query(`query($i: String!) { person(idNumber: $i) { name } }`, { i: "1' OR '1'='1" }), status: 200, code: "BAD_USER_INPUT", reachesDepartments: true },
  { name: "SQL in a division code", send: query(`query($r: String) { people(filter: { regionCode: $r }) { totalCount } }`, { r: "5223'; DROP TABLE person; --" }), status: 200, reachesDepartments: true },
  { name: "SQL in a name prefix", send: query(`query($n: String) { people(filter: { name: $n }) { totalCount } }`, { n: "%' UNION SELECT id_number FROM person --" }), status: 200, reachesDepartments: true },
  { name: "control characters in a name prefix", send: query(`query($n: String) { people(filter: { name: $n }) { totalCount } }`, { n: "\u0000\u0007\u001b[31m\r\n王" }), status: 200, reachesDepartments: true },
  { name: "control characters in a division code", send: query(`query($c: ID!) { region(code: $c) { name } }`, { c: "5223\u0000\u0008" }), status: 200, reachesDepartments: true },

  // Many errors
  {
    name: "twelve unknown fields (errors trimmed)",
    send: query(`{ ${Array.from({ length: 12 }, (_, i) => `nope${i}`).join(" ")} }`),
    status: 400,
    code: "GRAPHQL_VALIDATION_FAILED",
    check: (answer) => expect(answer.body.errors!.length).toBeLessThanOrEqual(LIMITS.maxErrors),
  },
];

/** An HTTP proxy in front of a subgraph that counts the requests reaching it. */
async function countingProxy(target: string): Promise<{ url: string; count: () => number; close: () => Promise<void> }> {
  let count = 0;
  const server: Server = createServer(async (req, res) => {
    count++;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string" && !["host", "connection", "content-length", "transfer-encoding", "keep-alive"].includes(name)) headers[name] = value;
    }
    try {
      const answer = await fetch(target, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
      res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
      res.end(Buffer.from(await answer.arrayBuffer()));
    } catch {
      res.writeHead(502).end();
    }
  });
  const port = await listen(server, 0, "127.0.0.1");
  return { url: `http://127.0.0.1:${port}/graphql`, count: () => count, close: () => closeServer(server) };
}

describe.each(dialectsUnderTest())("bad input at the gateway on %s", (dialect) => {
  let platform: Platform | undefined;
  let proxies: Record<DepartmentName, Awaited<ReturnType<typeof countingProxy>>>;
  const gateways: RunningService[] = [];
  let urls: Gateways;
  let headers: Record<string, string>;
  const logged: string[] = [];
  const spies: jest.SpyInstance[] = [];

  const startOurGateway = (limits: GatewayLimits) =>
    startGateway({
      supergraphSdl: readCommittedSupergraph(),
      subgraphUrls: Object.fromEntries(DEPARTMENTS.map((d) => [d, proxies[d].url])),
      subgraphTimeoutMs: 5000,
      jwtSecret: TEST_SECRETS.JWT_SECRET,
      identitySigningSecret: TEST_SECRETS.IDENTITY_SIGNING_SECRET,
      limits,
    });

  beforeAll(async () => {
    if (dialect === "mysql" && !(await isMysqlAvailable())) return;
    platform = await startPlatform(dialect);
    proxies = {} as typeof proxies;
    for (const d of DEPARTMENTS) proxies[d] = await countingProxy(platform.subgraphs[d].url);
    const development = await startOurGateway({ ...LIMITS, production: false });
    const production = await startOurGateway({ ...LIMITS, production: true });
    gateways.push(development, production);
    urls = { development: development.url, production: production.url };
    headers = { authorization: `Bearer ${await tokenFor()}`, "x-purpose": "bad-input suite" };
    for (const method of ["log", "warn", "error"] as const) {
      spies.push(jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" "))));
    }
  });
  afterAll(async () => {
    for (const spy of spies) spy.mockRestore();
    for (const gateway of gateways) await gateway.stop();
    for (const proxy of Object.values(proxies ?? {})) await proxy.close();
    await platform?.stop();
  });

  const departmentCalls = () => DEPARTMENTS.reduce((sum, d) => sum + proxies[d].count(), 0);
  const statements = () => Object.values(platform!.statementCounts()).reduce((a, b) => a + b, 0);

  it(`has at least 35 cases (${CASES.length})`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(35);
  });

  it.each(CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    if (!platform) return; // MySQL not reachable and not required
    const callsBefore = departmentCalls();
    const statementsBefore = statements();

    const answer = await c.send(urls, headers);

    expect(answer.contentType).toMatch(/^application\/json/);
    expect({ status: answer.status, errors: answer.body.errors }).toEqual(expect.objectContaining({ status: c.status }));
    if (c.code) expect(codes(answer)).toContain(c.code);
    if (c.code && !c.reachesDepartments) expect(answer.body.data ?? null).toBeNull();
    if (c.field) expect(answer.body.errors?.find((e) => e.extensions?.code === c.code)?.extensions?.field).toBe(c.field);
    // Let-through requests are answered normally, or refused by the department as BAD_USER_INPUT.
    if (!c.code) expect(codes(answer).filter((code) => !(c.reachesDepartments && code === "BAD_USER_INPUT"))).toEqual([]);
    expect(codes(answer)).not.toContain("INTERNAL_SERVER_ERROR");
    // Nothing a client should never see: stack frames, SQL, driver text, an unmasked ID number, a limit's value.
    expect(answer.text).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\.ts:\d+/);
    expect(answer.text).not.toMatch(/SQLITE_|\bER_[A-Z]|\bSELECT\b.*\bFROM\b|\bINSERT INTO\b/);
    expect(answer.text).not.toMatch(/(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])/);
    for (const error of answer.body.errors ?? []) {
      if (["QUERY_TOO_DEEP", "TOO_MANY_ALIASES", "TOO_MANY_DIRECTIVES", "QUERY_TOO_COMPLEX", "TOO_MANY_TOKENS"].includes(error.extensions?.code)) {
        expect(error.message).not.toMatch(/\d/);
      }
    }
    c.check?.(answer);

    if (!c.reachesDepartments) {
      expect(departmentCalls()).toBe(callsBefore);
      expect(statements()).toBe(statementsBefore);
    }

    // Still healthy: a normal query reaches civil-affairs and answers.
    const normal = await query(`{ region(code: "${COUNTY}") { code name } }`)(urls, headers);
    expect(normal.status).toBe(200);
    expect(normal.body.data.region.code).toBe(COUNTY);
    expect(departmentCalls()).toBeGreaterThan(callsBefore);
  });

  it("the gateway's logs carry no stack trace and no unmasked ID number", async () => {
    if (!platform) return;
    // What the gateway prints when an internal error happens, and what Apollo's logger prints.
    logScrubbed("internal error", new Error(`lookup of ${PERSON_ID_NUMBER} failed\n    at Database.query (database.ts:12:3)`));
    scrubbingLogger.error(new Error(`person ${PERSON_ID_NUMBER.slice(0, 6)}${PERSON_ID_NUMBER.slice(8, 17)} not answered`));
    const gatewayLines = logged.filter((line) => line.includes("[gateway]"));
    expect(gatewayLines.length).toBeGreaterThanOrEqual(2);
    for (const line of logged) {
      expect(line).not.toMatch(/(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9Xx])/);
      expect(line).not.toMatch(/\n\s+at /);
    }
    expect(gatewayLines.join("\n")).toContain(`${PERSON_ID_NUMBER.slice(0, 6)}********${PERSON_ID_NUMBER.slice(-4)}`);
  });
});
