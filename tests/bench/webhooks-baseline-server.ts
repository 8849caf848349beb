/**
 * The bare baseline of the inbound webhook benchmark (bench/webhooks.ts): a plain Fastify route that checks the
 * timestamp, verifies the same Standard Webhooks HMAC signature with the same module the BFF uses, and does one
 * INSERT in one transaction through a mysql2 pool of the BFF's size on the same database — nothing else (no
 * integration lookup, no dedupe check, no schema validation, no handler).
 *
 * POST /baseline/:id   verify; BEGIN; INSERT INTO bench_inbound (webhook_id, payload); COMMIT → 200
 */
import Fastify from 'fastify'
import { createPool } from 'mysql2/promise'
import { checkTimestamp, verifySignature } from '@linli/bff/modules/webhooks/signing'

const SECRET = process.env.BENCH_SECRET!
const pool = createPool({
  uri: process.env.DATABASE_URL!,
  connectionLimit: Number(process.env.DATABASE_POOL_SIZE ?? 10),
  timezone: 'Z',
  charset: 'utf8mb4',
  supportBigNumbers: true,
})
const app = Fastify({ bodyLimit: 1024 * 1024 })
app.removeAllContentTypeParsers()
app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body))

app.get('/ready', async () => ({ ok: true }))

app.post('/baseline/:id', async (req, reply) => {
  const h = (n: string) => String(req.headers[n] ?? '')
  const body = req.body as Buffer
  if (!checkTimestamp(h('webhook-timestamp'))) return reply.status(401).send({ error: 'timestamp' })
  if (!verifySignature([SECRET], h('webhook-id'), h('webhook-timestamp'), body, h('webhook-signature')))
    return reply.status(401).send({ error: 'signature' })
  const conn = await pool.getConnection()
  try {
    await conn.query('BEGIN')
    await conn.query('INSERT INTO bench_inbound (webhook_id, payload) VALUES (?, ?)', [
      h('webhook-id'),
      body.toString('utf8'),
    ])
    await conn.query('COMMIT')
  } catch (err) {
    await conn.query('ROLLBACK').catch(() => undefined)
    throw err
  } finally {
    conn.release()
  }
  return reply.status(200).send({ received: true })
})

await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) })
console.log('ready')
