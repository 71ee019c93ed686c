import "reflect-metadata";
import { runSubgraphMain } from "../../../shared/src/main";
import { populationSubgraph } from "./subgraph";

void runSubgraphMain(populationSubgraph);
