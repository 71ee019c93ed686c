import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GATEWAY_NODE_FLAGS, isGatewayHeapLimit } from "../../gateway/src/node-flags";

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
