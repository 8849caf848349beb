/**
 * The bare baseline of the voting benchmark (bench/voting.ts): a plain Fastify route that writes one row in one
 * transaction through a mysql2 pool of the BFF's size, on the same database — nothing else (no auth, no checks).
 *
 * POST /baseline   BEGIN; INSERT INTO bench_ballots (payload); COMMIT
 */
import Fastify from 'fastify'
import { createPool } from 'mysql2/promise'

const pool = createPool({
  uri: process.env.DATABASE_URL!,
  connectionLimit: Number(process.env.DATABASE_POOL_SIZE ?? 10),
  timezone: 'Z',
  charset: 'utf8mb4',
  supportBigNumbers: true,
  // as the BFF's pool: no stack capture per query
  trace: false,
})
const app = Fastify()

app.get('/ready', async () => ({ ok: true }))

app.post('/baseline', async (req, reply) => {
  const conn = await pool.getConnection()
  try {
    await conn.query('BEGIN')
    await conn.query('INSERT INTO bench_ballots (payload) VALUES (?)', [JSON.stringify(req.body)])
    await conn.query('COMMIT')
  } catch (err) {
    await conn.query('ROLLBACK').catch(() => undefined)
    throw err
  } finally {
    conn.release()
  }
  return reply.status(201).send({ ok: true })
})

await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) })
console.log('ready')
