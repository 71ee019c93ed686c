import "reflect-metadata";
import { numberSetting, portFor, secret } from "../../shared/src/config";
import { accessTokenPublicKeysFromEnv } from "../../shared/src/auth/tokens";
import { stopOnSignals } from "../../shared/src/http";
import { logError } from "../../shared/src/log";
import { gatewayLimitsFromEnv } from "./limits";
import { GATEWAY_NODE_FLAGS, gatewayHeapLimit } from "./node-flags";
import { startGateway } from "./server";
import { readCommittedSupergraph } from "./supergraph";

async function main() {
  const heap = gatewayHeapLimit();
  if (!heap.configured) {
    console.warn(`[gateway] heap limit ${heap.limitMB} MB: started without ${GATEWAY_NODE_FLAGS.join(" ")} (gateway/src/node-flags.ts), so memory under load may grow well beyond what it needs`);
  }
  const jwtPublicKeys = await accessTokenPublicKeysFromEnv();
  if (jwtPublicKeys) console.log(`[gateway] access tokens verified with ${jwtPublicKeys.source}`);
  const service = await startGateway({
    supergraphSdl: readCommittedSupergraph(),
    subgraphTimeoutMs: numberSetting("SUBGRAPH_TIMEOUT_MS", 5000),
    // With the identity provider's public keys configured, no shared token secret is needed (nor accepted).
    jwtSecret: jwtPublicKeys ? "" : secret("JWT_SECRET"),
    jwtPublicKeys,
    identitySigningSecret: secret("IDENTITY_SIGNING_SECRET"),
    port: portFor("gateway"),
    host: process.env.HOST ?? "127.0.0.1",
    limits: gatewayLimitsFromEnv(),
    partnerLimits: { burst: numberSetting("PARTNER_RATE_BURST", 20), perSecond: numberSetting("PARTNER_RATE_PER_SECOND", 5) },
    playground: { demoToken: process.env.PLAYGROUND_TOKEN, exampleVariables: process.env.PLAYGROUND_VARIABLES ? JSON.parse(process.env.PLAYGROUND_VARIABLES) : undefined },
  });
  // Before the ready line: whoever waits for it may send SIGTERM at once, and must get a graceful stop.
  stopOnSignals(service);
  console.log(`[gateway] ready at ${service.url} (playground at ${service.url.replace(/graphql$/, "")})`);
}

main().catch((error) => {
  logError("gateway", "failed to start", error);
  process.exit(1);
});
