import { basename, dirname, resolve } from "node:path";

/** The repository root, whether this runs from the source tree (ts-jest) or from the compiled dist/ folder. */
export function repositoryRoot(): string {
  const twoUp = resolve(__dirname, "..", "..");
  return basename(twoUp) === "dist" ? dirname(twoUp) : twoUp;
}
