import "reflect-metadata";
import { runSubgraphMain } from "../../../shared/src/main";
import { publicSecuritySubgraph } from "./subgraph";

void runSubgraphMain(publicSecuritySubgraph);
