// Refuses a build that cannot be served: a development build carries React hot-reload calls
// ($RefreshReg$) that exist only beside a dev server, and the served page is blank (README, quick start).
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

const dir = process.argv[2]
if (!dir) {
  console.error('usage: node scripts/check-served-build.mjs <dist dir>')
  process.exit(2)
}
const walk = (d) =>
  readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]))
const bad = walk(dir).filter(
  (f) => f.endsWith('.js') && /\$RefreshReg\$|\$RefreshSig\$|react-refresh/.test(readFileSync(f, 'utf8')),
)
if (bad.length > 0) {
  console.error(
    `${dir} is a development build (React hot reload in ${bad.length} scripts, e.g. ${relative(dir, bad[0])}); build it with NODE_ENV=production`,
  )
  process.exit(1)
}
console.log(`${dir}: production build, no hot-reload code`)
