/** Where the tests find their services; scripts/test.sh exports these, the defaults suit this repo's setup. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'mysql://linli:linli@127.0.0.1:3306/linli_test'
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/15'
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
