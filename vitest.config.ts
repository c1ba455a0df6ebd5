import { defineConfig } from 'vitest/config';

/**
 * One runner for every kind of test. Unit tests are pure; integration tests run each file against
 * a fresh database (PGlite always, PostgreSQL too when DATABASE_URL is set); browser tests drive
 * Debian's Chromium against the real server.
 */
export default defineConfig({
  test: {
    reporters: ['default', './server/test/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['server/test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['server/test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['server/test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Each file holds a PGlite instance (~100–700 MB); two at a time fit the 2-core machines.
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'e2e',
          sequence: { groupOrder: 2 },
          include: ['e2e/tests/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          maxWorkers: 1,
          fileParallelism: false,
        },
      },
    ],
  },
});
