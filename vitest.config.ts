import { existsSync } from 'node:fs'
import { defineConfig } from 'vitest/config'

/**
 * One test command for the workspace. Projects:
 *  unit         pure logic (shared, bff)               — no services
 *  integration  every route through real MariaDB/MySQL + Redis, each file on its own database
 *  miniprogram  components and the request wrapper under happy-dom
 *  e2e          weapp build check and the H5 build driven in Chromium
 */
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['shared/test/**/*.test.ts', 'bff/test/**/*.test.ts'], environment: 'node' } },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      ...(existsSync('./miniprogram/vitest.config.ts') ? ['./miniprogram/vitest.config.ts'] : []),
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts', 'tests/build/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/helpers/e2e-global.ts'],
          setupFiles: ['tests/helpers/e2e-setup.ts'],
          testTimeout: 240_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
