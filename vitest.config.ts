import { defineConfig } from 'vitest/config';

/** CI asks for JSON reports, one per npm script, to sum the totals of every run. */
const reportDir = process.env.TIDE_TEST_REPORT_DIR;
const reportName = process.env.npm_lifecycle_event ?? 'vitest';

export default defineConfig({
  test: {
    reporters: reportDir
      ? ['default', ['json', { outputFile: `${reportDir}/${reportName}.json` }]]
      : ['default'],
    projects: [
      {
        test: {
          name: 'server',
          include: ['packages/server/src/**/*.test.ts'],
          globalSetup: ['packages/server/test/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
