/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  // Types are checked once by `npm run build` (tsc, in .ci/run); ts-jest only transpiles, which is faster.
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json", diagnostics: false }] },
  setupFiles: ["<rootDir>/tests/helpers/setup.ts"],
  testTimeout: 60000,
};
