import { buildSubgraphSchema } from "@apollo/subgraph";
import { printSchemaWithDirectives } from "@graphql-tools/utils";
import { parse, type GraphQLSchema } from "graphql";
import { buildSchema, createResolversMap, type BuildSchemaOptions } from "type-graphql";
import { authChecker } from "./auth/authorize";

/** Federation 2 directives the subgraphs may use (imported into every subgraph's SDL). */
const FEDERATION_LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@tag"])`;

// Reference resolvers are plain functions per type (`{ Person: { __resolveReference } }`), merged into the
// resolvers type-graphql generates, as in type-graphql's apollo-federation-2 example.
type ReferenceResolvers = Record<string, Record<string, unknown>>;

function mergeResolvers(generated: Record<string, any>, extra: ReferenceResolvers): Record<string, any> {
  const merged: Record<string, any> = { ...generated };
  for (const [typeName, fields] of Object.entries(extra)) {
    merged[typeName] = { ...(merged[typeName] ?? {}), ...fields };
  }
  return merged;
}

/**
 * Builds a subgraph schema from type-graphql classes. `skipCheck` lets a subgraph that only extends
 * entities have no own query; the schema is printed with its directives (@key, @shareable ...) and handed
 * to @apollo/subgraph, which adds `_entities` and `_service`.
 */
export async function buildFederatedSchema(
  options: Omit<BuildSchemaOptions, "skipCheck" | "authChecker" | "authMode">,
  referenceResolvers: ReferenceResolvers = {},
): Promise<GraphQLSchema> {
  // authMode "error": a denied field resolves to null with a FORBIDDEN error (fields are nullable by contract).
  const schema = await buildSchema({ ...options, skipCheck: true, validate: false, authChecker, authMode: "error" });
  const typeDefs = parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(schema)}`);
  return buildSubgraphSchema({ typeDefs, resolvers: mergeResolvers(createResolversMap(schema) as Record<string, any>, referenceResolvers) as any });
}

/** The SDL a subgraph contributes to composition (what `_service { sdl }` would answer). */
export function subgraphSdl(schema: GraphQLSchema): string {
  return printSchemaWithDirectives(schema);
}
