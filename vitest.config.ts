import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "web/**/*.test.ts"],
    testTimeout: 30_000,
    // Most files wait on child processes, PostgreSQL, slapd, Dovecot or Chromium rather than on a CPU: four
    // at once keep two cores busy (one per core ran the suite serially in 18 minutes).
    maxWorkers: 4,
    globalSetup: ["./test/support/postgres-global-setup.ts"],
    reporters: ["default", "./test/support/summary-reporter.ts"],
  },
});
