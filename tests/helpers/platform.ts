import type { AccessClaims } from "../../shared/src/auth/tokens";
import { issueAccessToken } from "../../shared/src/auth/tokens";
import { defaultScopes } from "../../shared/src/auth/grants";
import { DEPARTMENTS, type DepartmentName } from "../../shared/src/config";
import type { Dialect } from "../../shared/src/database";
import { startSubgraph, type RunningService } from "../../shared/src/service";
import { startGateway } from "../../gateway/src/server";
import { readCommittedSupergraph } from "../../gateway/src/supergraph";
import { SUBGRAPHS } from "../../shared/scripts/departments";
import { createTestDatabases, type TestDatabases } from "./databases";

export const TEST_SECRETS = {
  JWT_SECRET: process.env.JWT_SECRET ?? "test-jwt-secret-at-least-32-bytes-long!!",
  IDENTITY_SIGNING_SECRET: process.env.IDENTITY_SIGNING_SECRET ?? "test-identity-signing-secret",
};

export interface GraphQLResponse<T = any> {
  status: number;
  body: { data?: T; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[] };
}

export interface Platform {
  dialect: Dialect;
  gatewayUrl: string;
  subgraphs: Record<DepartmentName, RunningService>;
  databases: TestDatabases;
  /** Sends a document through the gateway with a token for `claims` (default: a county-wide population clerk). */
  query<T = any>(query: string, variables?: Record<string, unknown>, options?: QueryOptions): Promise<GraphQLResponse<T>>;
  stopSubgraph(name: DepartmentName): Promise<void>;
  restartSubgraph(name: DepartmentName): Promise<void>;
  statementCounts(): Record<DepartmentName, number>;
  stop(): Promise<void>;
}

export interface QueryOptions {
  claims?: Partial<AccessClaims>;
  token?: string | null;
  purpose?: string | null;
  headers?: Record<string, string>;
}

export const DEFAULT_CLAIMS: AccessClaims = { sub: "test-clerk", dept: "population", scope: "", region: "" };

/** A token for `claims`; without an explicit scope it carries the department's default scopes from the grant table. */
export async function tokenFor(claims: Partial<AccessClaims> = {}): Promise<string> {
  const dept = claims.dept ?? DEFAULT_CLAIMS.dept;
  const scope = claims.scope ?? defaultScopes(dept).join(" ");
  return issueAccessToken({ ...DEFAULT_CLAIMS, ...claims, dept, scope }, TEST_SECRETS.JWT_SECRET);
}

export async function postGraphQL(url: string, body: unknown, headers: Record<string, string> = {}): Promise<GraphQLResponse> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: GraphQLResponse["body"];
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`non-JSON answer (${response.status}): ${text.slice(0, 200)}`);
  }
  return { status: response.status, body: parsed };
}

export interface StartPlatformOptions {
  /** Fills the fresh databases before the services start (e.g. the synthetic county). */
  seed?: (urls: Record<DepartmentName, string>) => Promise<void>;
  subgraphTimeoutMs?: number;
}

/** The four subgraphs and the gateway on port 0, against fresh databases of the given dialect. */
export async function startPlatform(dialect: Dialect, options: StartPlatformOptions = {}): Promise<Platform> {
  Object.assign(process.env, TEST_SECRETS);
  const databases = await createTestDatabases(dialect);
  const subgraphs = {} as Record<DepartmentName, RunningService>;
  const ports = {} as Record<DepartmentName, number>;
  let gateway: RunningService | undefined;
  try {
    for (const name of DEPARTMENTS) {
      subgraphs[name] = await startSubgraph(SUBGRAPHS[name], { databaseUrl: databases.urls[name] });
      ports[name] = subgraphs[name].port;
    }
    if (options.seed) await options.seed(databases.urls);
    gateway = await startGateway({
      supergraphSdl: readCommittedSupergraph(),
      subgraphUrls: Object.fromEntries(DEPARTMENTS.map((d) => [d, subgraphs[d].url])),
      subgraphTimeoutMs: options.subgraphTimeoutMs ?? 5000,
      jwtSecret: TEST_SECRETS.JWT_SECRET,
      identitySigningSecret: TEST_SECRETS.IDENTITY_SIGNING_SECRET,
    });
    // Departments reach each other through the gateway (shared/src/platform-client.ts).
    process.env.GATEWAY_URL = gateway.url;
  } catch (error) {
    for (const service of Object.values(subgraphs)) await service.stop().catch(() => undefined);
    await databases.drop().catch(() => undefined);
    throw error;
  }
  const gatewayService = gateway;

  return {
    dialect,
    gatewayUrl: gatewayService.url,
    subgraphs,
    databases,
    async query(query, variables, queryOptions = {}) {
      const token = queryOptions.token === undefined ? await tokenFor(queryOptions.claims) : queryOptions.token;
      const headers: Record<string, string> = { ...queryOptions.headers };
      if (token) headers.authorization = `Bearer ${token}`;
      const purpose = queryOptions.purpose === undefined ? "automated test" : queryOptions.purpose;
      if (purpose) headers["x-purpose"] = purpose;
      return postGraphQL(gatewayService.url, { query, variables }, headers);
    },
    async stopSubgraph(name) {
      await subgraphs[name].stop();
    },
    async restartSubgraph(name) {
      subgraphs[name] = await startSubgraph(SUBGRAPHS[name], { databaseUrl: databases.urls[name], port: ports[name] });
    },
    statementCounts() {
      return Object.fromEntries(DEPARTMENTS.map((d) => [d, subgraphs[d].db?.statements.count ?? 0])) as Record<DepartmentName, number>;
    },
    async stop() {
      await gatewayService.stop();
      for (const service of Object.values(subgraphs)) await service.stop().catch(() => undefined);
      await databases.drop();
    },
  };
}

/** Fails with the document's errors printed, so a failing test shows what the server said. */
export function expectNoErrors<T>(response: GraphQLResponse<T>): T {
  if (response.body.errors?.length || response.status !== 200) {
    throw new Error(`expected no errors, got status ${response.status}: ${JSON.stringify(response.body.errors, null, 2)}`);
  }
  return response.body.data as T;
}
