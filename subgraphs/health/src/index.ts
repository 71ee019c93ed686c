import "reflect-metadata";
import { runSubgraphMain } from "../../../shared/src/main";
import { healthSubgraph } from "./subgraph";

void runSubgraphMain(healthSubgraph);
