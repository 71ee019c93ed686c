/**
 * Where a federated profile's time goes, one request at a time. The benchmark's profile document is planned
 * here by @apollo/query-planner over the committed supergraph (the plan our gateway runs), and its fetches are
 * then sent straight to the departments with the identity the gateway would sign, stage by stage: the root
 * fetch, each entity fetch of the next stage alone, and the stage's fetches together as the gateway sends
 * them. Beside it, the same profile through our gateway. What the departments take on the critical path
 * (root + stages together) against the whole request shows how much of the gap to direct SQL is the
 * gateway's and how much the departments'.
 */
import { randomUUID } from "node:crypto";
import { operationFromDocument, Supergraph } from "@apollo/federation-internals";
import { QueryPlanner, type FetchNode, type PlanNode, type QueryPlanSelectionNode } from "@apollo/query-planner";
import { parse } from "graphql";
import type { Caller } from "../shared/src/auth/caller";
import { IDENTITY_HEADER, signIdentity } from "../shared/src/auth/identity-header";
import { SubgraphHttpClient } from "../gateway/src/subgraph-http";
import { median, round } from "./lib";

/** One stage of a plan: fetches the gateway sends together, each at a path of the answer so far. */
type Stage = { path: string[]; fetch: FetchNode }[];

export interface ProfileStages {
  samples: number;
  /** Medians, ms. */
  throughGatewayMs: number;
  rootFetch: { department: string; ms: number };
  /** Each later stage: its fetches alone (one after another) and together (in parallel, as the gateway sends them). */
  stages: { aloneMs: Record<string, number>; togetherMs: number }[];
  /** Root plus every stage's fetches together: the departments' part of a request's latency. */
  departmentsCriticalPathMs: number;
  /** The rest of a request through the gateway: planning, the caller's token, merging, both hops of HTTP. */
  gatewayShareMs: number;
}

/** The plan as stages: a Sequence of a root fetch and then entity fetches (Flatten), alone or in a Parallel. */
function stagesOf(node: PlanNode, path: string[] = []): Stage[] {
  switch (node.kind) {
    case "Fetch":
      return [[{ path, fetch: node }]];
    case "Flatten":
      return stagesOf(node.node, node.path.map(String));
    case "Sequence":
      return node.nodes.flatMap((child) => stagesOf(child, path));
    case "Parallel": {
      const children = node.nodes.map((child) => stagesOf(child, path));
      if (children.some((stages) => stages.length !== 1)) throw new Error("profile stages: a Parallel holding a Sequence is not measured");
      return [children.flatMap((stages) => stages[0])];
    }
    default:
      throw new Error(`profile stages: plan node ${node.kind} is not measured`);
  }
}

/** The objects at a plan path ("@" is every element of a list). */
function objectsAt(value: unknown, path: string[]): Record<string, unknown>[] {
  if (value == null) return [];
  if (!path.length) return Array.isArray(value) ? value.flatMap((v) => objectsAt(v, path)) : [value as Record<string, unknown>];
  const [head, ...rest] = path;
  if (head === "@") return (value as unknown[]).flatMap((item) => objectsAt(item, rest));
  return objectsAt((value as Record<string, unknown>)[head], rest);
}

/** An entity's representation: the fields the fetch requires (its key), taken from the object. */
function represent(object: Record<string, unknown>, selections: readonly QueryPlanSelectionNode[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const selection of selections) {
    if (selection.kind === "InlineFragment") {
      if (!selection.typeCondition || selection.typeCondition === object.__typename) Object.assign(out, represent(object, selection.selections));
    } else {
      const value = object[selection.alias ?? selection.name];
      out[selection.alias ?? selection.name] = selection.selections && value && typeof value === "object" ? represent(value as Record<string, unknown>, selection.selections) : value;
    }
  }
  return out;
}

const medianMs = (values: number[]) => round(median(values), 1);

export async function measureProfileStages(options: {
  supergraphSdl: string;
  /** The profile request of each sample (a page cursor each; a clerk's token and purpose in its headers). */
  next: () => { body: string; headers: Record<string, string> };
  gatewayUrl: string;
  /** The caller the gateway makes of those headers, signed for the direct fetches. */
  caller: Omit<Caller, "requestId">;
  subgraphUrls: Record<string, string>;
  signingSecret: string;
  samples?: number;
}): Promise<ProfileStages> {
  const supergraph = Supergraph.build(options.supergraphSdl);
  const sampleRequest = () => {
    const request = options.next();
    const { query, variables } = JSON.parse(request.body) as { query: string; variables?: Record<string, unknown> };
    return { ...request, query, variables: variables ?? {} };
  };
  const { query } = sampleRequest();
  const operation = operationFromDocument(supergraph.apiSchema(), parse(query));
  const plan = new QueryPlanner(supergraph).buildQueryPlan(operation);
  if (!plan.node || plan.node.kind === "Subscription") throw new Error("profile stages: the document has no plan to measure");
  const [root, ...later] = stagesOf(plan.node);
  if (root.length !== 1) throw new Error("profile stages: the plan has no single root fetch");

  const clients = new Map<string, SubgraphHttpClient>();
  const client = (department: string) => {
    const url = options.subgraphUrls[department];
    if (!url) throw new Error(`profile stages: no URL for ${department}`);
    if (!clients.has(department)) clients.set(department, new SubgraphHttpClient(url, 60_000));
    return clients.get(department)!;
  };
  const send = async (fetch: FetchNode, variables: Record<string, unknown>): Promise<{ ms: number; data: Record<string, unknown> }> => {
    const headers = { "content-type": "application/json", [IDENTITY_HEADER]: signIdentity({ ...options.caller, requestId: randomUUID() }, options.signingSecret) };
    const started = performance.now();
    const response = await client(fetch.serviceName).post(JSON.stringify({ query: fetch.operation, variables }), headers);
    const ms = performance.now() - started;
    const body = JSON.parse(response.body) as { data?: Record<string, unknown>; errors?: { message: string }[] };
    if (response.status !== 200 || body.errors?.length || !body.data) throw new Error(`profile stages: ${fetch.serviceName} answered ${response.status}: ${JSON.stringify(body.errors ?? body).slice(0, 300)}`);
    return { ms, data: body.data };
  };
  const variablesOf = (fetch: FetchNode, all: Record<string, unknown>) => Object.fromEntries((fetch.variableUsages ?? []).filter((name) => name in all).map((name) => [name, all[name]]));

  type Sample = { gatewayMs: number; rootMs: number; stages: { aloneMs: Record<string, number>; togetherMs: number }[] };
  const measured: Sample[] = [];
  const samples = options.samples ?? 21;
  try {
    // One unmeasured sample first: the first direct call of each department opens its connection.
    for (let sample = -1; sample < samples; sample++) {
      const request = sampleRequest();
      if (request.query !== query) throw new Error("profile stages: every sample must send the same document");
      const variables = request.variables;
      const started = performance.now();
      const response = await fetch(options.gatewayUrl, { method: "POST", headers: { "content-type": "application/json", ...request.headers }, body: request.body });
      const answer = (await response.json()) as { errors?: unknown[] };
      if (response.status !== 200 || answer.errors?.length) throw new Error(`profile stages: the gateway answered ${response.status}: ${JSON.stringify(answer.errors).slice(0, 300)}`);
      const gatewayMs = performance.now() - started;

      const first = await send(root[0].fetch, variablesOf(root[0].fetch, variables));
      const data = first.data;
      const stages: Sample["stages"] = [];
      for (const stage of later) {
        const requests = stage.map(({ path, fetch }) => {
          const objects = objectsAt(data, path);
          return { fetch, objects, variables: { ...variablesOf(fetch, variables), representations: objects.map((object) => represent(object, fetch.requires ?? [])) } };
        });
        const aloneMs: Record<string, number> = {};
        for (const request of requests) aloneMs[request.fetch.serviceName] = (await send(request.fetch, request.variables)).ms;
        const togetherStarted = performance.now();
        const answers = await Promise.all(requests.map((request) => send(request.fetch, request.variables)));
        stages.push({ aloneMs, togetherMs: performance.now() - togetherStarted });
        // What the next stage reads comes from this one: merge the entities into the objects they belong to.
        answers.forEach((answer, i) => {
          const entities = (answer.data._entities ?? []) as Record<string, unknown>[];
          requests[i].objects.forEach((object, j) => Object.assign(object, entities[j]));
        });
      }
      if (sample >= 0) measured.push({ gatewayMs, rootMs: first.ms, stages });
    }
  } finally {
    for (const c of clients.values()) c.close();
  }

  const stages = later.map((stage, s) => ({
    aloneMs: Object.fromEntries(stage.map(({ fetch }) => [fetch.serviceName, medianMs(measured.map((m) => m.stages[s].aloneMs[fetch.serviceName]))])),
    togetherMs: medianMs(measured.map((m) => m.stages[s].togetherMs)),
  }));
  const rootMs = medianMs(measured.map((m) => m.rootMs));
  const departmentsCriticalPathMs = round(rootMs + stages.reduce((sum, stage) => sum + stage.togetherMs, 0), 1);
  const throughGatewayMs = medianMs(measured.map((m) => m.gatewayMs));
  return {
    samples,
    throughGatewayMs,
    rootFetch: { department: root[0].fetch.serviceName, ms: rootMs },
    stages,
    departmentsCriticalPathMs,
    gatewayShareMs: round(throughGatewayMs - departmentsCriticalPathMs, 1),
  };
}

export function describeProfileStages(stages: ProfileStages): string {
  const later = stages.stages
    .map((stage) => `${Object.entries(stage.aloneMs).map(([d, ms]) => `${d} ${ms}`).join(", ")} ms alone, ${stage.togetherMs} ms together`)
    .join("; then ");
  return `through our gateway ${stages.throughGatewayMs} ms = ${stages.rootFetch.department} ${stages.rootFetch.ms} ms, then ${later} (departments ${stages.departmentsCriticalPathMs} ms) + gateway ${stages.gatewayShareMs} ms (medians of ${stages.samples})`;
}
