import type { DepartmentName } from "../src/config";
import type { SubgraphDefinition } from "../src/service";
import { civilAffairsSubgraph } from "../../subgraphs/civil-affairs/src/subgraph";
import { healthSubgraph } from "../../subgraphs/health/src/subgraph";
import { populationSubgraph } from "../../subgraphs/population/src/subgraph";
import { publicSecuritySubgraph } from "../../subgraphs/public-security/src/subgraph";

/** The four departmental subgraphs, for tools that work on all of them (composition, migrations, start, seed). */
export const SUBGRAPHS: Record<DepartmentName, SubgraphDefinition<any>> = {
  population: populationSubgraph,
  "public-security": publicSecuritySubgraph,
  "civil-affairs": civilAffairsSubgraph,
  health: healthSubgraph,
};
