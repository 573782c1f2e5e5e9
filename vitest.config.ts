import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // End-to-end tests spawn the built server; build first (`npm run build`) or they explain why they fail.
    pool: "forks",
  },
});
