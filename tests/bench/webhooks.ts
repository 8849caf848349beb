/**
 * Webhook benchmark (a command, not a test): `pnpm --filter @linli/tests bench:webhooks`.
 *
 * The BFF runs in its own process (real server.ts, its outbox dispatcher polling every 100 ms) on a private
 * migrated database; the receiver and the inbound baseline run in their own processes too; the load comes from
 * this process. Each figure is beside a bare baseline measured in the same run.
 *
 * Outbound: BENCH_OUTBOUND (2,000) service_request.created events are written to the outbox for one integration
 * by emitPropertyEvent in ONE transaction (so all become due at the same instant, its commit = t0); the BFF's
 * dispatcher signs and POSTs them to a local receiver (bench/webhook-receiver.ts: node:http on 127.0.0.1,
 * answers 204, verifies NOTHING on the hot path — a sample is verified afterwards with the reference
 * `standardwebhooks` library). events/s = N / (last arrival − t0); latency = arrival − t0 per event.
 * Baseline: this process POSTs the same body N times to the same receiver from a bare loop, 20 at a time (the
 * dispatcher's batch), through a node:http Agent with keep-alive and 20 sockets; measured the same way (t0 = the
 * loop's start). A second bare loop with a new connection per POST (agent: false, which is what the BFF's sender
 * does) is printed for information.
 *
 * Inbound: autocannon, BENCH_CONNECTIONS (64) connections, against POST /webhooks/property/:id with
 * BENCH_INBOUND (3,000) distinct signed notice.published messages (distinct webhook-ids; each must be applied
 * once → 200 duplicate:false, and the notices are counted afterwards). Baseline: a bare Fastify route
 * (bench/webhooks-baseline-server.ts) that verifies the same HMAC signature with the same signing module and does
 * one INSERT in one transaction on the same database, given the same number of distinct signed messages.
 *
 * Env: BENCH_OUTBOUND (2000), BENCH_INBOUND (3000), BENCH_WARMUP (500), BENCH_CONNECTIONS (64), BENCH_POOL (20).
 */
import type { ChildProcess } from 'node:child_process'
import { Agent, request } from 'node:http'
import { cpus } from 'node:os'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { and, eq, sql } from 'drizzle-orm'
import { createPool, type RowDataPacket } from 'mysql2/promise'
import { Webhook } from 'standardwebhooks'
import { communities, notices, webhookAttempts } from '@linli/bff/db/schema'
import { emitPropertyEvent, integrationService } from '@linli/bff/modules/webhooks/service'
import { sign } from '@linli/bff/modules/webhooks/signing'
import { startTestEnv } from '../helpers/app'
import { contractCompany } from '../integration/service-requests-fixtures'
import { startServer } from './process'

const OUTBOUND = Number(process.env.BENCH_OUTBOUND ?? 2000)
const INBOUND = Number(process.env.BENCH_INBOUND ?? 3000)
const WARMUP = Number(process.env.BENCH_WARMUP ?? 500)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64)
const POOL = process.env.BENCH_POOL ?? '20'
const SENDERS = 20 // the outbox leases 20 rows at a time and delivers them concurrently
const PORT_BASE = 20_000 + Math.floor(Math.random() * 20_000)
const [BFF_PORT, RECEIVER_PORT, BASELINE_PORT] = [PORT_BASE, PORT_BASE + 1, PORT_BASE + 2]

const quantile = (xs: number[], q: number) => {
  if (xs.length === 0) return NaN
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!
}
const f0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '—')
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '—')
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

// ---------------------------------------------------------------------------------------------------------------
// outbound helpers

const receiverUrl = `http://127.0.0.1:${RECEIVER_PORT}`
interface Stats {
  count: number
  distinct: number
  arrivals: [string, number][]
  samples: { headers: Record<string, string>; body: string }[]
}
const stats = async (): Promise<Stats> => (await fetch(`${receiverUrl}/stats`)).json() as Promise<Stats>
const reset = () => fetch(`${receiverUrl}/reset`, { method: 'POST' })

async function waitForArrivals(n: number, timeoutMs = 180_000): Promise<Stats> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const s = await stats()
    if (s.count >= n) return s
    if (Date.now() > deadline) throw new Error(`only ${s.count} of ${n} webhooks arrived within ${timeoutMs / 1000} s`)
    await sleep(50)
  }
}

function post(agent: Agent | false, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${receiverUrl}/hook`,
      {
        method: 'POST',
        agent,
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'bench',
        },
      },
      (res) => {
        res.resume()
        res.on('end', () =>
          res.statusCode === 204 ? resolve(res.statusCode) : reject(new Error(`receiver answered ${res.statusCode}`)),
        )
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

interface OutboundRow {
  name: string
  n: number
  eps: number
  p50: number
  p99: number
  postP50: number
  postP99: number
}

function outboundFigures(name: string, s: Stats, t0: number, n: number, posts: number[]): OutboundRow {
  const lat = s.arrivals.map(([, at]) => at - t0)
  const last = Math.max(...s.arrivals.map(([, at]) => at))
  return {
    name,
    n,
    eps: n / ((last - t0) / 1000),
    p50: quantile(lat, 0.5),
    p99: quantile(lat, 0.99),
    postP50: quantile(posts, 0.5),
    postP99: quantile(posts, 0.99),
  }
}

async function bareLoop(
  name: string,
  agent: Agent | false,
  n: number,
  body: string,
  headers: Record<string, string>,
): Promise<OutboundRow> {
  await reset()
  const posts: number[] = []
  let next = 0
  const t0 = Date.now()
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      for (let i = next++; i < n; i = next++) {
        const s = performance.now()
        await post(agent, body, { ...headers, 'webhook-id': `msg_bare_${i}` })
        posts.push(performance.now() - s)
      }
    }),
  )
  const s = await waitForArrivals(n)
  if (s.distinct !== n) throw new Error(`${name}: ${s.distinct} distinct of ${n}`)
  return outboundFigures(name, s, t0, n, posts)
}

// ---------------------------------------------------------------------------------------------------------------
// inbound helpers

interface Msg {
  path: string
  headers: Record<string, string>
  body: string
}

function messages(path: string, secret: string, prefix: string, n: number): Msg[] {
  const ts = Math.floor(Date.now() / 1000)
  return Array.from({ length: n }, (_, i) => {
    const id = `msg_${prefix}_${i}`
    const body = JSON.stringify({
      type: 'notice.published',
      timestamp: new Date().toISOString(),
      data: {
        title: `停水通知 ${prefix}-${i}`,
        body: `因管道检修，${(i % 6) + 1}栋 明日 9:00–12:00 停水，请提前储水。给您带来不便，敬请谅解。`,
        buildings: [`${(i % 6) + 1}栋`],
      },
    })
    return {
      path,
      body,
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(ts),
        'webhook-signature': sign(secret, id, ts, body),
      },
    }
  })
}

interface InboundRow {
  name: string
  n: number
  ok: number
  eps: number
  p50: number
  p99: number
  statuses: Record<string, number>
  failures: string[]
}

async function inboundRun(
  name: string,
  origin: string,
  list: Msg[],
  okBody: (b: string) => boolean,
): Promise<InboundRow> {
  let next = 0
  let ok = 0
  const statuses: Record<string, number> = {}
  const failures: string[] = []
  const t0 = performance.now()
  let lastAnswer = t0
  const r = await autocannon({
    url: `${origin}${list[0]!.path}`,
    connections: CONNECTIONS,
    amount: list.length,
    timeout: 30,
    sampleInt: 20,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const m = list[Math.min(next++, list.length - 1)]!
          return { ...req, path: m.path, headers: m.headers, body: m.body }
        },
        onResponse: (status, body) => {
          lastAnswer = performance.now()
          statuses[status] = (statuses[status] ?? 0) + 1
          if (status === 200 && okBody(String(body))) ok++
          else if (failures.length < 5) failures.push(`${status} ${String(body).slice(0, 200)}`)
        },
      },
    ],
  })
  const wallS = (lastAnswer - t0) / 1000
  return { name, n: list.length, ok, eps: ok / wallS, p50: r.latency.p50, p99: r.latency.p99, statuses, failures }
}

// ---------------------------------------------------------------------------------------------------------------
// the benchmark

const env = await startTestEnv({
  RATE_LIMIT_MAX: '100000000',
  WEBHOOK_RATE_LIMIT_MAX: '100000000',
  WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  SCHEDULER_ENABLED: 'false', // the in-process app only enqueues; the BFF process dispatches
  DATABASE_POOL_SIZE: POOL,
})
const raw = createPool({ uri: env.config.databaseUrl, connectionLimit: 2, timezone: 'Z', charset: 'utf8mb4' })
const children: ChildProcess[] = []
let failed = false
try {
  await raw.query(
    'CREATE TABLE bench_inbound (id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, webhook_id VARCHAR(100) NOT NULL, payload JSON NOT NULL, created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)) ENGINE=InnoDB',
  )
  const [c] = await env.db.insert(communities).values({ name: '基准小区', district: '基准区' }).$returningId()
  const communityId = c!.id
  const companyId = await contractCompany(env, communityId, '基准物业')
  const integrations = integrationService({ db: env.db, protector: env.protector, config: env.config })
  const { id: integrationId, secret } = await integrations.create({
    propertyCompanyId: companyId,
    communityIds: [communityId],
    url: `${receiverUrl}/hook`,
    eventTypes: ['service_request.created', 'service_request.updated'],
  })

  children.push(
    (await startServer(fileURLToPath(new URL('./webhook-receiver.ts', import.meta.url)), {}, RECEIVER_PORT, '/ready'))
      .child,
  )
  children.push(
    (
      await startServer(
        fileURLToPath(new URL('../../bff/src/server.ts', import.meta.url)),
        { ...env.vars, SCHEDULER_ENABLED: 'true', SCHEDULER_POLL_MS: '100', HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
        BFF_PORT,
        '/healthz',
      )
    ).child,
  )
  children.push(
    (
      await startServer(
        fileURLToPath(new URL('./webhooks-baseline-server.ts', import.meta.url)),
        { DATABASE_URL: env.config.databaseUrl, DATABASE_POOL_SIZE: POOL, BENCH_SECRET: secret },
        BASELINE_PORT,
        '/ready',
      )
    ).child,
  )

  // ---- outbound ----------------------------------------------------------------------------------------------
  let requestId = 1
  async function enqueue(n: number): Promise<number> {
    const first = requestId
    requestId += n
    await env.db.transaction(async (tx) => {
      for (let i = 0; i < n; i++) {
        const written = await emitPropertyEvent(env.app, tx, {
          communityId,
          type: 'service_request.created',
          subject: { kind: 'service_request', id: first + i, seq: 1 },
          data: {
            status: 'submitted',
            category: { id: 1, name: '公共维修', urgency: 'normal' },
            description: '3栋2单元楼道灯不亮了，晚上很黑，老人上下楼不方便，麻烦尽快修一下。',
            location: { kind: 'building', building: '3栋', unit: null, detail: '2单元3楼' },
            answers: [{ code: 'facility', label: '设施', value: '照明' }],
            photos: [],
            contactTime: '工作日晚上',
            reporter: { name: '王*英', phone: '138****0001', phoneShared: false },
          },
        })
        if (written !== 1) throw new Error(`emitPropertyEvent wrote ${written} rows`)
      }
    })
    return Date.now() // commit: every row becomes due at once
  }

  // warm-up: the dispatcher, the receiver, the connection paths
  await reset()
  await enqueue(WARMUP)
  await waitForArrivals(WARMUP)
  const warm = await stats()
  const sample = warm.samples[0]!
  // interop check on a sample: the reference library verifies what the BFF sent
  new Webhook(secret).verify(sample.body, sample.headers)
  await bareLoop('warm-up', new Agent({ keepAlive: true, maxSockets: SENDERS }), WARMUP, sample.body, sample.headers)

  const outRows: OutboundRow[] = []
  const keepAlive = new Agent({ keepAlive: true, maxSockets: SENDERS })
  outRows.push(
    await bareLoop(
      `baseline: bare loop, node:http keep-alive Agent, ${SENDERS} sockets`,
      keepAlive,
      OUTBOUND,
      sample.body,
      sample.headers,
    ),
  )
  outRows.push(
    await bareLoop(
      `bare loop, new connection per POST (agent: false, as the BFF's sender)`,
      false,
      OUTBOUND,
      sample.body,
      sample.headers,
    ),
  )
  keepAlive.destroy()

  await reset()
  const attempts0 = Number((await env.db.select({ n: sql<number>`MAX(id)` }).from(webhookAttempts))[0]!.n ?? 0)
  const enqStart = Date.now()
  const t0 = await enqueue(OUTBOUND)
  const enqueueMs = t0 - enqStart
  const got = await waitForArrivals(OUTBOUND)
  if (got.distinct !== OUTBOUND) throw new Error(`outbound: ${got.distinct} distinct webhook-ids of ${OUTBOUND}`)
  const durations = (
    await env.db
      .select({ d: webhookAttempts.durationMs })
      .from(webhookAttempts)
      .where(
        and(
          eq(webhookAttempts.integrationId, integrationId),
          sql`${webhookAttempts.id} > ${attempts0}`,
          eq(webhookAttempts.outcome, 'delivered'),
        ),
      )
  ).map((r) => r.d)
  if (durations.length !== OUTBOUND)
    throw new Error(`outbound: ${durations.length} delivered attempts recorded of ${OUTBOUND}`)
  outRows.push(
    outboundFigures(`BFF outbox → receiver (sign, POST, attempt row, mark delivered)`, got, t0, OUTBOUND, durations),
  )
  const [[pending]] = (await raw.query<RowDataPacket[]>(
    "SELECT COUNT(*) AS n FROM outbox WHERE status <> 'delivered'",
  )) as unknown as [[{ n: number }]]

  // ---- inbound -----------------------------------------------------------------------------------------------
  const bffOrigin = `http://127.0.0.1:${BFF_PORT}`
  const baseOrigin = `http://127.0.0.1:${BASELINE_PORT}`
  const bffPath = `/webhooks/property/${integrationId}`
  const applied = (b: string) => b.includes('"duplicate":false')
  await inboundRun(
    'warm-up',
    baseOrigin,
    messages(`/baseline/${integrationId}`, secret, 'warm_base', WARMUP),
    () => true,
  )
  await inboundRun('warm-up', bffOrigin, messages(bffPath, secret, 'warm_bff', WARMUP), applied)
  const inRows: InboundRow[] = []
  inRows.push(
    await inboundRun(
      'baseline: Fastify + HMAC verify + BEGIN; INSERT; COMMIT',
      baseOrigin,
      messages(`/baseline/${integrationId}`, secret, 'base', INBOUND),
      () => true,
    ),
  )
  const notices0 = Number((await env.db.select({ n: sql<number>`COUNT(*)` }).from(notices))[0]!.n)
  inRows.push(
    await inboundRun(
      'POST /webhooks/property/:id (notice.published, applied once)',
      bffOrigin,
      messages(bffPath, secret, 'bff', INBOUND),
      applied,
    ),
  )
  const noticesAdded = Number((await env.db.select({ n: sql<number>`COUNT(*)` }).from(notices))[0]!.n) - notices0
  const [[baseRows]] = (await raw.query<RowDataPacket[]>(
    "SELECT COUNT(*) AS n FROM bench_inbound WHERE webhook_id LIKE 'msg\\_base\\_%'",
  )) as unknown as [[{ n: number }]]

  // ---- report ------------------------------------------------------------------------------------------------
  console.log(
    `\nLinli webhook benchmark — Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), DB pool ${POOL}, MariaDB/Redis local`,
  )
  console.log(
    `\nOutbound: ${OUTBOUND.toLocaleString('en')} service_request.created events for one integration, to a local node:http receiver (204, verifies nothing; a sample verified with the standardwebhooks library)`,
  )
  console.log(
    `enqueue: ${OUTBOUND.toLocaleString('en')} × emitPropertyEvent in one transaction took ${enqueueMs} ms; latency is from its commit (baseline: from the loop's start) to arrival at the receiver`,
  )
  console.log(
    '| sender | events | events/s | p50 ms to arrival | p99 ms to arrival | per-POST p50 ms | per-POST p99 ms | vs baseline |',
  )
  console.log('|---|---|---|---|---|---|---|---|')
  for (const r of outRows)
    console.log(
      `| ${r.name} | ${r.n} | ${f0(r.eps)} | ${f0(r.p50)} | ${f0(r.p99)} | ${f1(r.postP50)} | ${f1(r.postP99)} | ${f0((r.eps / outRows[0]!.eps) * 100)}% |`,
    )
  console.log(
    `(BFF per-POST = the attempt's duration as recorded in wh_attempts; outbox rows not delivered afterwards: ${pending.n})`,
  )

  console.log(
    `\nInbound: ${INBOUND.toLocaleString('en')} distinct signed messages each, autocannon ${CONNECTIONS} connections`,
  )
  console.log('| endpoint | messages | applied (200) | events/s | p50 ms | p99 ms | vs baseline |')
  console.log('|---|---|---|---|---|---|---|')
  for (const r of inRows)
    console.log(
      `| ${r.name} | ${r.n} | ${r.ok} | ${f0(r.eps)} | ${r.p50} | ${r.p99} | ${f0((r.eps / inRows[0]!.eps) * 100)}% |`,
    )
  console.log(`(notices created by the BFF run: ${noticesAdded}; rows inserted by the baseline run: ${baseRows.n})`)
  for (const r of inRows)
    if (r.failures.length) console.log(`${r.name} failures: ${JSON.stringify(r.statuses)} ${r.failures.join(' | ')}`)
  if (noticesAdded !== INBOUND || inRows.some((r) => r.ok !== r.n)) {
    failed = true
    console.error('FAILED: not every inbound message was applied exactly once')
  }
} catch (err) {
  failed = true
  console.error(err)
} finally {
  for (const c of children) {
    c.removeAllListeners('exit')
    c.kill('SIGTERM')
  }
  await raw.end()
  await env.close()
}
process.exit(failed ? 1 : 0)
