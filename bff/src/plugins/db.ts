import fp from 'fastify-plugin'
import type { Pool } from 'mysql2/promise'
import { createDb, type Db } from '../db/client'

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
    pool: Pool
  }
}

export default fp(
  async (app) => {
    const { db, pool } = createDb(app.config.databaseUrl, app.config.databasePoolSize)
    app.decorate('db', db)
    app.decorate('pool', pool)
    app.addHook('onClose', async () => {
      await pool.end()
    })
  },
  { name: 'db', dependencies: ['config'] },
)
