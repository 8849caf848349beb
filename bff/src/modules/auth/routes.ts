import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { LoginResponse, RefreshBody, TokenPair, WechatLoginBody } from '@linli/shared/schemas'
import { errorResponses } from '../../http'
import { meService } from '../me'
import { authService } from './service'

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const auth = authService(app)
  const me = meService(app)
  // Login mints sessions: keep it well below the global limit per client.
  const strict = { rateLimit: { max: 20, timeWindow: '1 minute' } }

  app.post(
    '/auth/wechat/login',
    {
      config: strict,
      schema: {
        tags: ['auth'],
        summary: 'Log in with a wx.login code (exchanged at jscode2session)',
        body: WechatLoginBody,
        response: { 200: LoginResponse, ...errorResponses(400, 403, 429, 503) },
      },
    },
    async (req) => {
      const { personId, tokens } = await auth.login(req.body.code, req.headers['user-agent'])
      return { tokens, me: await me.get(personId) }
    },
  )

  app.post(
    '/auth/refresh',
    {
      config: strict,
      schema: {
        tags: ['auth'],
        summary: 'Trade a refresh token for a new pair (rotation; reuse revokes the session)',
        body: RefreshBody,
        response: { 200: TokenPair, ...errorResponses(400, 401, 429) },
      },
    },
    async (req) => auth.refresh(req.body.refreshToken, req.headers['user-agent']),
  )

  app.post(
    '/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'End the session of this refresh token',
        body: RefreshBody,
        response: { 204: { type: 'null' }, ...errorResponses(400) },
      },
    },
    async (req, reply) => {
      await auth.logout(req.body.refreshToken)
      return reply.status(204).send()
    },
  )
}

export default routes
