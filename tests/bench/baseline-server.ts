// The bare baseline: a plain Fastify route doing one primary-key SELECT through a mysql2 pool, nothing else.
import Fastify from 'fastify'
import { createPool } from 'mysql2/promise'

const pool = createPool({
  uri: process.env.DATABASE_URL!,
  connectionLimit: Number(process.env.DATABASE_POOL_SIZE ?? 10),
})
const app = Fastify()
app.get('/baseline', async () => {
  const [rows] = await pool.query('SELECT id, display_name FROM persons WHERE id = ?', [Number(process.env.PERSON_ID)])
  return rows
})
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) })
console.log('ready')
