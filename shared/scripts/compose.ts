/**
 * `npm run compose`: composes gateway/supergraph.graphql from the four subgraphs' printed SDL and fails on
 * composition errors. Static composition means the gateway never introspects subgraphs at run time, so one
 * that is down cannot stop it starting.
 */
import "reflect-metadata";
import { writeFileSync } from "node:fs";
import { composeServices } from "@apollo/composition";
import { parse } from "graphql";
import { SUPERGRAPH_PATH } from "../../gateway/src/supergraph";
import { DEPARTMENTS, subgraphUrlFor } from "../src/config";
import { subgraphSdl } from "../src/federation";
import { SUBGRAPHS } from "./departments";

export async function composeSupergraph(): Promise<string> {
  const services = [];
  for (const name of DEPARTMENTS) {
    const schema = await SUBGRAPHS[name].buildSchema();
    // The URL written into the supergraph is only a default: the gateway takes each one from the environment.
    services.push({ name, url: subgraphUrlFor(name, {}), typeDefs: parse(subgraphSdl(schema)) });
  }
  const result = composeServices(services);
  if (result.errors) {
    throw new Error(`supergraph composition failed:\n${result.errors.map((e) => `- ${e.message}`).join("\n")}`);
  }
  return result.supergraphSdl;
}

if (require.main === module) {
  composeSupergraph()
    .then((sdl) => {
      writeFileSync(SUPERGRAPH_PATH, sdl);
      console.log(`wrote ${SUPERGRAPH_PATH}`);
    })
    .catch((error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
