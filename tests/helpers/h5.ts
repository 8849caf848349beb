import { join } from 'node:path'
import { REPO_ROOT, run } from './run'

export const H5_DIST = join(REPO_ROOT, 'miniprogram/dist/h5')

/** The demo H5 build by the same script `scripts/start.sh` runs (production mode, demo login, same-origin API). */
export function buildDemoH5() {
  return run('pnpm', ['--filter', '@linli/miniprogram', 'build:h5:demo'])
}
