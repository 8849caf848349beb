import fp from 'fastify-plugin'
import { HttpWechatClient, type WechatClient } from '../adapters/wechat/client'
import { DataProtector } from '../lib/crypto'

declare module 'fastify' {
  interface FastifyInstance {
    wechat: WechatClient
    protector: DataProtector
  }
}

/** Adapters to the outside and shared helpers, built once from config. */
export default fp(
  async (app) => {
    app.decorate('protector', new DataProtector(app.config.dataKey))
    app.decorate('wechat', new HttpWechatClient({ ...app.config.wechat, redis: app.redis, log: app.log }))
  },
  { name: 'services', dependencies: ['config', 'redis'] },
)
