import { defineConfig } from "vitest/config";

/**
 * Three groups, all run by `npm test`:
 * - unit: pure code and msw-backed handler tests, no sockets but loopback (`npm run test:unit`, seconds);
 * - protocol: the real MCP server through an SDK Client over the sandbox (`npm run test:protocol`);
 * - sandbox: the sandbox itself, client-vs-sandbox contracts and the e2e test that spawns the built
 *   server (`npm run test:sandbox`; builds first).
 */
export default defineConfig({
  test: {
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // End-to-end tests spawn the built server; build first (`npm run build`) or they explain why they fail.
    pool: "forks",
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["src/**/*.test.ts"], exclude: ["src/sandbox/**"] },
      },
      {
        extends: true,
        test: { name: "protocol", include: ["test/tools.protocol.test.ts", "test/tools-list.test.ts"] },
      },
      {
        extends: true,
        test: { name: "sandbox", include: ["src/sandbox/**/*.test.ts", "test/client-sandbox.test.ts", "test/e2e.stdio.test.ts"] },
      },
    ],
  },
});
