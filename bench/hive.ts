/**
 * Hive Gateway for the benchmark's optional comparison (`--gateways ours,plain,hive,hive-nodedup`): installs
 * pinned versions from the npm registry into a cache folder outside the project, once, and says where. It is
 * never a dependency of the project (package.json and package-lock.json do not name it).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** Exact versions, so that every run measures the same peer. */
export const HIVE_PACKAGES = {
  "@graphql-hive/gateway-runtime": "2.12.1",
  // The runtime loads its HTTP transport by name; it is a separate package.
  "@graphql-mesh/transport-http": "1.2.1",
  graphql: "16.15.0",
};

export function hiveCacheFolder(): string {
  const base = process.env.BENCH_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "population-platform-bench");
  return join(base, `hive-gateway-runtime-${HIVE_PACKAGES["@graphql-hive/gateway-runtime"]}`);
}

/** The cache folder with Hive Gateway installed in it, installing it first when it is not there (about 10 s). */
export function ensureHiveInstalled(): string {
  const folder = hiveCacheFolder();
  const installed = Object.keys(HIVE_PACKAGES).every((name) => existsSync(join(folder, "node_modules", name, "package.json")));
  if (installed) return folder;
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, "package.json"), JSON.stringify({ name: "bench-hive-gateway", private: true, dependencies: HIVE_PACKAGES }, null, 2) + "\n");
  console.log(`[bench] installing Hive Gateway ${HIVE_PACKAGES["@graphql-hive/gateway-runtime"]} into ${folder} ...`);
  // No install scripts: the runtime needs none, and the bench runs nothing it did not ask for.
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock"], { cwd: folder, stdio: ["ignore", "inherit", "inherit"] });
  return folder;
}
