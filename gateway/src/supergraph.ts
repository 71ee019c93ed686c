import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repositoryRoot } from "../../shared/src/paths";

/** The static supergraph, composed at build time by `npm run compose` (shared/scripts/compose.ts) and committed. */
export const SUPERGRAPH_PATH = join(repositoryRoot(), "gateway", "supergraph.graphql");

export function readCommittedSupergraph(): string {
  return readFileSync(SUPERGRAPH_PATH, "utf8");
}
