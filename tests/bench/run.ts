/**
 * Benchmark (a command, not a test): `pnpm bench`.
 * The BFF and a bare baseline each run in their own process on the same database; the load comes from this
 * process (autocannon). Measured: the process's floor (/healthz), an authenticated read with one query
 * (/api/v1/communities) and the profile (/api/v1/me: JWT, session check in Redis, three queries), each beside
 * the baseline (a plain Fastify route doing one primary-key SELECT through mysql2) measured in the same run.
 */
import type { ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { login, startTestEnv } from '../helpers/app'
import { buildWorld } from '../helpers/world'
import { startServer } from './process'

const DURATION = Number(process.env.BENCH_SECONDS ?? 10)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50)
const POOL = process.env.BENCH_POOL ?? '20'

async function measure(name: string, url: string, headers: Record<string, string> = {}) {
  await autocannon({ url, connections: 10, duration: 2, headers }) // warm-up
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers })
  if (r.non2xx || r.errors) throw new Error(`${name}: ${r.non2xx} non-2xx, ${r.errors} errors`)
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 }
}

const env = await startTestEnv({ RATE_LIMIT_MAX: '100000000', DATABASE_POOL_SIZE: POOL })
const children: ChildProcess[] = []
try {
  await buildWorld(env)
  const session = await login(env, 'openid-residentA')
  const { child: bff } = await startServer(
    fileURLToPath(new URL('../../bff/src/server.ts', import.meta.url)),
    { ...env.vars, HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    3901,
    '/healthz',
  )
  children.push(bff)
  const { child: base } = await startServer(
    fileURLToPath(new URL('./baseline-server.ts', import.meta.url)),
    { DATABASE_URL: env.config.databaseUrl, DATABASE_POOL_SIZE: POOL, PERSON_ID: String(session.personId) },
    3902,
    '/baseline',
  )
  children.push(base)

  const auth = { authorization: `Bearer ${session.accessToken}` }
  const rows = []
  const baseline = await measure('baseline: Fastify + one SELECT', 'http://127.0.0.1:3902/baseline')
  rows.push(baseline)
  rows.push(await measure('GET /healthz (no I/O)', 'http://127.0.0.1:3901/healthz'))
  rows.push(await measure('GET /api/v1/communities (auth + 1 query)', 'http://127.0.0.1:3901/api/v1/communities', auth))
  rows.push(await measure('GET /api/v1/me (auth + 3 queries)', 'http://127.0.0.1:3901/api/v1/me', auth))

  console.log(
    `\nLinli BFF benchmark — ${CONNECTIONS} connections, ${DURATION} s each, DB pool ${POOL}, Node ${process.version}`,
  )
  console.log('| endpoint | req/s | p50 ms | p99 ms | vs baseline |')
  console.log('|---|---|---|---|---|')
  for (const r of rows)
    console.log(
      `| ${r.name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${((r.rps / baseline.rps) * 100).toFixed(0)}% |`,
    )
} finally {
  for (const c of children) {
    c.removeAllListeners('exit')
    c.kill('SIGTERM')
  }
  await env.close()
}
