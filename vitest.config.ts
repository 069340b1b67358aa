import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "web/**/*.test.ts"],
    testTimeout: 30_000,
    globalSetup: ["./test/support/postgres-global-setup.ts"],
    reporters: ["default", "./test/support/summary-reporter.ts"],
  },
});
