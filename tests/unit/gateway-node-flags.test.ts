import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GATEWAY_NODE_FLAGS, isGatewayHeapLimit } from "../../gateway/src/node-flags";
import { ensureBuilt, exitWithin, killService, spawnService } from "../helpers/processes";

const ROOT = join(__dirname, "..", "..");

/** heap_size_limit of a fresh Node process started with `flags`. */
function heapLimitWith(flags: readonly string[]): number {
  return Number(execFileSync(process.execPath, [...flags, "-p", "require('v8').getHeapStatistics().heap_size_limit"], { encoding: "utf8" }).trim());
}

describe("the gateway's V8 flags", () => {
  it("are the ones the image and docker-compose start the gateway with", () => {
    const command = `"node", ${GATEWAY_NODE_FLAGS.map((f) => `"${f}"`).join(", ")}, "dist/gateway/src/index.js"`;
    expect(readFileSync(join(ROOT, "Dockerfile"), "utf8")).toContain(`CMD [${command}]`);
    expect(readFileSync(join(ROOT, "docker-compose.yml"), "utf8")).toContain(`command: [${command}]`);
  });

  it("are recognised in a process started with them, and their absence is noticed", () => {
    expect(isGatewayHeapLimit(heapLimitWith(GATEWAY_NODE_FLAGS))).toBe(true);
    // V8's own default on a 64-bit machine with a few GiB of memory is well above the gateway's limit.
    expect(isGatewayHeapLimit(heapLimitWith([]))).toBe(false);
    expect(isGatewayHeapLimit(heapLimitWith(["--max-old-space-size=1024"]))).toBe(false);
  });
});

describe("the gateway process", () => {
  // Also: a SIGTERM sent the moment the ready line appears gets the graceful stop (exit 0), since the signal
  // handlers are set before that line is printed (gateway/src/index.ts).
  it("stops gracefully on a SIGTERM sent as soon as it is ready, and never loaded typeorm, the drivers or type-graphql (about 40 MB it has no use for)", async () => {
    ensureBuilt();
    const folder = mkdtempSync(join(tmpdir(), "gateway-modules-"));
    // Printed as the process exits: every package it loaded from node_modules.
    const preload = join(folder, "print-packages.js");
    writeFileSync(
      preload,
      `process.on("exit", () => { const names = new Set(); for (const f of Object.keys(require.cache)) { const m = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(f); if (m) names.add(m[1]); } process.stdout.write("packages: " + [...names].sort().join(",") + "\\n"); });`,
    );
    const gateway = await spawnService("gateway/src/index.js", { GATEWAY_PORT: "0", NODE_OPTIONS: `${GATEWAY_NODE_FLAGS.join(" ")} --require ${preload}` });
    try {
      gateway.child.kill("SIGTERM");
      expect({ exit: await exitWithin(gateway, 15_000), output: gateway.output() }).toMatchObject({ exit: 0 });
      const packages = /packages: (.*)/.exec(gateway.output())?.[1].split(",") ?? [];
      expect(packages).toEqual(expect.arrayContaining(["@apollo/gateway", "@apollo/server", "graphql"]));
      expect(packages.filter((name) => ["typeorm", "mysql2", "better-sqlite3", "type-graphql"].includes(name))).toEqual([]);
    } finally {
      await killService(gateway);
      rmSync(folder, { recursive: true, force: true });
    }
  }, 120_000);
});
