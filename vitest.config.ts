import { defineConfig } from "vitest/config";

/**
 * Three groups, all run by `npm test`:
 * - unit: pure code and msw-backed handler tests, no sockets but loopback (`npm run test:unit`, seconds);
 * - protocol: the real MCP server through an SDK Client over the sandbox (`npm run test:protocol`);
 * - sandbox: the sandbox itself, client-vs-sandbox contracts, the e2e tests that spawn the built
 *   server and the fault/fuzz/load campaigns (`npm run test:sandbox`; builds first).
 * The patterns cover every test file by construction: anything under test/ that is not a protocol
 * test is in the sandbox group.
 */
const PROTOCOL_TESTS = ["test/**/*.protocol.test.ts", "test/tools-list.test.ts", "test/plugin.test.ts"];

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
        test: { name: "protocol", include: PROTOCOL_TESTS },
      },
      {
        extends: true,
        test: { name: "sandbox", include: ["src/sandbox/**/*.test.ts", "test/**/*.test.ts"], exclude: PROTOCOL_TESTS },
      },
    ],
  },
});
