import "reflect-metadata";
import { runSubgraphMain } from "../../../shared/src/main";
import { civilAffairsSubgraph } from "./subgraph";

void runSubgraphMain(civilAffairsSubgraph);
