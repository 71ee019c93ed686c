/**
 * `npm start`: the embedded platform on one machine. Creates and seeds the four SQLite databases under
 * data/ when they are missing (a small deterministic demo county), then runs the four subgraphs and the
 * gateway as separate processes and prints the playground URL with ready tokens. Ctrl-C stops them all;
 * the next start reuses the data.
 */
import "reflect-metadata";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { defaultScopes } from "../src/auth/grants";
import { issueAccessToken } from "../src/auth/tokens";
import { DEPARTMENTS, databaseUrlFor, portFor, secret } from "../src/config";
import { parseDatabaseUrl } from "../src/database";
import { repositoryRoot } from "../src/paths";
import { DEMO_COUNTY, seedCounty } from "../src/synthetic/seed";
import { GATEWAY_NODE_FLAGS } from "../../gateway/src/node-flags";

const ROOT = repositoryRoot();
const DIST = join(ROOT, "dist");

function needsSeeding(): boolean {
  return DEPARTMENTS.some((name) => {
    const location = parseDatabaseUrl(databaseUrlFor(name));
    return location.dialect === "sqlite" && !existsSync(join(ROOT, location.path));
  });
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url} exited with code ${child.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not become healthy within ${timeoutMs / 1000} s`);
}

async function main() {
  process.chdir(ROOT);
  // Resolve the secrets once here (warning once about development defaults) and hand them to every process.
  for (const name of ["PERSON_KEY_SECRET", "JWT_SECRET", "IDENTITY_SIGNING_SECRET"] as const) process.env[name] = secret(name);
  if (needsSeeding()) {
    console.log(`Seeding the demo county ${DEMO_COUNTY.countyCode} (${DEMO_COUNTY.people} people) into data/ ...`);
    const urls = Object.fromEntries(DEPARTMENTS.map((d) => [d, databaseUrlFor(d)])) as Record<(typeof DEPARTMENTS)[number], string>;
    await seedCounty(DEMO_COUNTY, urls);
  }

  const tokens = {
    population: await issueAccessToken({ sub: "demo-population-clerk", dept: "population", scope: defaultScopes("population").join(" "), region: DEMO_COUNTY.countyCode }, secret("JWT_SECRET"), "12h"),
    health: await issueAccessToken({ sub: "demo-health-clerk", dept: "health", scope: defaultScopes("health").join(" "), region: DEMO_COUNTY.countyCode }, secret("JWT_SECRET"), "12h"),
    analyst: await issueAccessToken({ sub: "demo-analyst", dept: "analyst", scope: defaultScopes("analyst").join(" "), region: DEMO_COUNTY.countyCode }, secret("JWT_SECRET"), "12h"),
  };

  const children: ChildProcess[] = [];
  let stopping = false;
  const stopAll = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log("\nStopping the platform ...");
    for (const child of children) if (child.exitCode === null) child.kill(signal === "SIGINT" ? "SIGTERM" : signal);
  };
  process.on("SIGINT", () => stopAll("SIGINT"));
  process.on("SIGTERM", () => stopAll("SIGTERM"));

  const launch = (label: string, script: string, env: NodeJS.ProcessEnv = {}, nodeFlags: readonly string[] = []) => {
    const child = spawn(process.execPath, [...nodeFlags, join(DIST, script)], { stdio: "inherit", env: { ...process.env, ...env } });
    children.push(child);
    child.on("exit", (code) => {
      if (!stopping) {
        console.error(`[start] ${label} exited (code ${code}); stopping the others`);
        stopAll("SIGTERM");
      }
      if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) process.exit(stopping ? 0 : 1);
    });
    return child;
  };

  for (const name of DEPARTMENTS) {
    const child = launch(name, `subgraphs/${name}/src/index.js`);
    await waitForHealth(`http://127.0.0.1:${portFor(name)}/health`, child);
  }
  const gateway = launch("gateway", "gateway/src/index.js", {
    PLAYGROUND_TOKEN: tokens.population,
    PLAYGROUND_VARIABLES: JSON.stringify(DEMO_COUNTY.exampleVariables),
  }, GATEWAY_NODE_FLAGS);
  await waitForHealth(`http://127.0.0.1:${portFor("gateway")}/health`, gateway);

  console.log(`
The platform is running.
  Playground:  http://127.0.0.1:${portFor("gateway")}/   (opens with a population clerk's token filled in)
  GraphQL:     http://127.0.0.1:${portFor("gateway")}/graphql
Ready tokens for ${DEMO_COUNTY.countyCode} (valid 12 h; send with Authorization: Bearer <token> and X-Purpose: <why>):
  population clerk: ${tokens.population}
  health clerk:     ${tokens.health}
  analyst:          ${tokens.analyst}
More with: npm run --silent token -- --dept health --region ${DEMO_COUNTY.countyCode}
Press Ctrl-C to stop.`);
}

main().catch((error) => {
  console.error("[start] failed:", error instanceof Error ? error.message : error);
  process.exit(1);
});
