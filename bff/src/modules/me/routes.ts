import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { BindPhoneBody, Me, UpdateMeBody } from '@linli/shared/schemas'
import { bearer, errorResponses } from '../../http'
import { meService } from './service'

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const me = meService(app)
  app.addHook('onRequest', app.authenticate)

  app.get(
    '/me',
    {
      schema: {
        tags: ['me'],
        summary: 'My profile, roles and households',
        security: bearer,
        response: { 200: Me, ...errorResponses(401) },
      },
    },
    async (req) => me.get(req.user.personId),
  )

  app.patch(
    '/me',
    {
      schema: {
        tags: ['me'],
        summary: 'Change my display name',
        security: bearer,
        body: UpdateMeBody,
        response: { 200: Me, ...errorResponses(400, 401) },
      },
    },
    async (req) => me.rename(req.user.personId, req.body.displayName),
  )

  app.post(
    '/me/phone',
    {
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['me'],
        summary: 'Bind my phone with a getPhoneNumber code',
        description:
          'The number is stored encrypted and only ever returned masked. Pending owner applications whose unit lists this phone on the roster are verified.',
        security: bearer,
        body: BindPhoneBody,
        response: { 200: Me, ...errorResponses(400, 401, 429, 503) },
      },
    },
    async (req) => me.bindPhone(req.user.personId, req.body.code),
  )
}

export default routes
