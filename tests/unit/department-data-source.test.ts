import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import type { Caller } from "../../shared/src/auth/caller";
import { IDENTITY_HEADER, verifyIdentity } from "../../shared/src/auth/identity-header";
import { DepartmentDataSource, type GatewayContext } from "../../gateway/src/subgraph-client";

const KEY = "department-data-source-test-key";

/** A department that answers after a short delay (so that calls overlap) and records who called it with what. */
async function slowDepartment(): Promise<{ url: string; calls: { caller: Caller; body: unknown }[]; server: Server }> {
  const calls: { caller: Caller; body: unknown }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      calls.push({ caller: verifyIdentity(req.headers[IDENTITY_HEADER] as string, KEY), body });
      setTimeout(() => {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ data: { n: calls.length } }));
      }, 50);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, calls, server };
}

function caller(sub: string, requestId: string): Caller {
  return { sub, dept: "population", scopes: ["person.basic"], region: "522328", purpose: "test", requestId };
}

function fetchOf(query: string, variables: Record<string, unknown>, who: Caller): GraphQLDataSourceProcessOptions<GatewayContext> {
  return { request: { query, variables }, context: { caller: who } } as unknown as GraphQLDataSourceProcessOptions<GatewayContext>;
}

describe("DepartmentDataSource: in-flight deduplication keyed with the caller", () => {
  let department: Awaited<ReturnType<typeof slowDepartment>>;
  let source: DepartmentDataSource;
  beforeEach(async () => {
    department = await slowDepartment();
    source = new DepartmentDataSource("population", department.url, KEY, 5000);
  });
  afterEach(async () => {
    source.close();
    await new Promise<void>((resolve) => department.server.close(() => resolve()));
  });

  const READ = "query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Person { id } } }";
  const representations = { representations: [{ __typename: "Person", id: "p1" }] };

  it("sends identical concurrent reads of one request once, each answer a copy of its own", async () => {
    const who = caller("clerk-1", "request-1");
    const [a, b] = await Promise.all([source.process(fetchOf(READ, representations, who)), source.process(fetchOf(READ, representations, who))]);
    expect(department.calls).toHaveLength(1);
    expect(a).toEqual(b);
    expect(a).not.toBe(b);
  });

  it("never shares a read between two callers, nor between two requests of one caller", async () => {
    await Promise.all([
      source.process(fetchOf(READ, representations, caller("clerk-1", "request-1"))),
      source.process(fetchOf(READ, representations, caller("clerk-2", "request-2"))),
      source.process(fetchOf(READ, representations, caller("clerk-1", "request-3"))),
    ]);
    expect(department.calls.map((call) => [call.caller.sub, call.caller.requestId]).sort()).toEqual([
      ["clerk-1", "request-1"],
      ["clerk-1", "request-3"],
      ["clerk-2", "request-2"],
    ]);
  });

  it("sends reads with different variables separately, and every mutation, however identical", async () => {
    const who = caller("clerk-1", "request-1");
    const mutation = "mutation($input: String!) { record(input: $input) }";
    await Promise.all([
      source.process(fetchOf(READ, representations, who)),
      source.process(fetchOf(READ, { representations: [{ __typename: "Person", id: "p2" }] }, who)),
      source.process(fetchOf(mutation, { input: "x" }, who)),
      source.process(fetchOf(mutation, { input: "x" }, who)),
    ]);
    expect(department.calls).toHaveLength(4);
    expect(department.calls.filter((call) => (call.body as { query: string }).query === mutation)).toHaveLength(2);
  });
});
