// Two projects: the SDK, harness and CLI tests under test/ (their global setup compiles the test
// fixtures first), and the tests `envoy-as new` scaffolds beside each filter, which need only the
// filter's own build (`envoy-as build NAME`), so `npx vitest run filters/NAME` starts at once.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "test",
          include: ["test/**/*.test.ts"],
          globalSetup: ["test/global-setup.ts"],
          setupFiles: ["test/setup-host-calls.ts"],
        },
      },
      { extends: true, test: { name: "filters", include: ["filters/**/*.test.ts"] } },
    ],
  },
});
