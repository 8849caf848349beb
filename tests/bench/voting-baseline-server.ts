/**
 * The bare baseline of the voting benchmark (bench/voting.ts): a plain Fastify route that writes one row in one
 * transaction through a mysql2 pool of the BFF's size, on the same database — nothing else (no auth, no checks).
 *
 * POST /baseline          BEGIN; INSERT INTO bench_ballots (payload); COMMIT
 * POST /baseline-chained  the same, plus the audit log's pattern: one shared head row locked until COMMIT
 *                         (INSERT … ON DUPLICATE KEY UPDATE, SELECT … FOR UPDATE, INSERT event, UPDATE head) —
 *                         an experiment, to see what a single serialising row lock costs in this stack alone.
 */
import { createHash } from 'node:crypto'
import Fastify from 'fastify'
import { createPool, type RowDataPacket } from 'mysql2/promise'

const pool = createPool({
  uri: process.env.DATABASE_URL!,
  connectionLimit: Number(process.env.DATABASE_POOL_SIZE ?? 10),
  timezone: 'Z',
  charset: 'utf8mb4',
  supportBigNumbers: true,
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

app.post('/baseline-chained', async (req, reply) => {
  const conn = await pool.getConnection()
  try {
    await conn.query('BEGIN')
    await conn.query('INSERT INTO bench_ballots (payload) VALUES (?)', [JSON.stringify(req.body)])
    await conn.query("INSERT INTO bench_chain (stream, head_seq, head_hash) VALUES ('bench', 0, ?) ON DUPLICATE KEY UPDATE stream = stream", ['0'.repeat(64)])
    const [rows] = await conn.query<RowDataPacket[]>("SELECT head_seq, head_hash FROM bench_chain WHERE stream = 'bench' FOR UPDATE")
    const seq = Number(rows[0]!.head_seq) + 1
    const hash = createHash('sha256').update(`${rows[0]!.head_hash}|${seq}|${JSON.stringify(req.body)}`).digest('hex')
    await conn.query('INSERT INTO bench_chain_events (seq, prev_hash, hash) VALUES (?, ?, ?)', [seq, rows[0]!.head_hash, hash])
    await conn.query("UPDATE bench_chain SET head_seq = ?, head_hash = ? WHERE stream = 'bench'", [seq, hash])
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
