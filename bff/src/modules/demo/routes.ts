import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { CodeResponse, DemoPhoneCodeBody, DemoWechatCodeBody } from '@linli/shared/schemas'
import { errorResponses } from '../../http'
import { mintStandinCode } from '../../adapters/wechat/standin'
import { AppError } from '../../errors'

/**
 * Demo mode only (registered when DEMO_MODE=true, which config refuses in production): the H5 build has no
 * wx.login, so it asks the local WeChat stand-in for the codes WeChat would have produced, then logs in
 * through the normal route.
 */
const routes: FastifyPluginAsyncTypebox = async (app) => {
  const base = app.config.wechat.apiBase
  const mint = async (kind: 'code' | 'phone-code', body: Record<string, string>) => {
    try {
      return { code: await mintStandinCode(base, kind, body) }
    } catch {
      throw new AppError('WECHAT_UNAVAILABLE', 'the WeChat stand-in is not running')
    }
  }
  app.post(
    '/demo/wechat-code',
    {
      schema: {
        tags: ['auth'],
        summary: 'Demo only: a login code for an openid',
        body: DemoWechatCodeBody,
        response: { 200: CodeResponse, ...errorResponses(400, 503) },
      },
    },
    async (req) => mint('code', { openid: req.body.openid }),
  )
  app.post(
    '/demo/phone-code',
    {
      schema: {
        tags: ['auth'],
        summary: 'Demo only: a getPhoneNumber code for a phone',
        body: DemoPhoneCodeBody,
        response: { 200: CodeResponse, ...errorResponses(400, 503) },
      },
    },
    async (req) => mint('phone-code', { phone: req.body.phone }),
  )
}

export default routes
