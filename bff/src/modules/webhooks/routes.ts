import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { and, desc, eq, lt } from 'drizzle-orm'
import { Id, ListOf } from '@linli/shared/schemas'
import { Notice, NoticeListQuery, RedeliverBody, RedeliverResult } from '@linli/shared/schemas/webhooks'
import { notices, propertyCompanies } from '../../db/schema'
import { bearer, errorResponses } from '../../http'
import { AppError } from '../../errors'
import { integrationService } from './service'

const CommunityParams = Type.Object({ communityId: Id }, { additionalProperties: false })
const IntegrationParams = Type.Object(
  { integrationId: Type.String({ minLength: 1, maxLength: 40 }) },
  { additionalProperties: false },
)
const Attempt = Type.Object({
  id: Type.Integer(),
  messageId: Type.String(),
  eventType: Type.String(),
  attempt: Type.Integer(),
  statusCode: Type.Union([Type.Integer(), Type.Null()]),
  durationMs: Type.Integer(),
  outcome: Type.String(),
  error: Type.Union([Type.String(), Type.Null()]),
  nextAttemptAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
})

/** Under /api/v1: residents read notices; platform admins redeliver and inspect property webhooks. */
const routes: FastifyPluginAsyncTypebox = async (app) => {
  const integrations = integrationService(app)
  app.addHook('onRequest', app.authenticate)

  app.get(
    '/communities/:communityId/notices',
    {
      preHandler: app.authorize('notice.read'),
      schema: {
        tags: ['notices'],
        summary: "The community's notices (公告), newest first",
        security: bearer,
        params: CommunityParams,
        querystring: NoticeListQuery,
        response: { 200: ListOf(Notice), ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const { communityId } = req.params
      const rows = await app.db
        .select({ n: notices, companyName: propertyCompanies.name })
        .from(notices)
        .leftJoin(propertyCompanies, eq(propertyCompanies.id, notices.propertyCompanyId))
        .where(
          and(eq(notices.communityId, communityId), req.query.before ? lt(notices.id, req.query.before) : undefined),
        )
        .orderBy(desc(notices.publishedAt), desc(notices.id))
        .limit(req.query.limit ?? 20)
      return {
        items: rows.map(({ n, companyName }) => ({
          id: n.id,
          source: n.source,
          propertyCompanyName: companyName ?? null,
          title: n.title,
          body: n.body,
          buildings: (typeof n.buildings === 'string' ? JSON.parse(n.buildings) : n.buildings) ?? null,
          publishedAt: n.publishedAt.toISOString(),
        })),
      }
    },
  )

  const platformAdmin = async (req: Parameters<typeof app.authenticate>[0]) => {
    const actor = await req.loadActor()
    if (!actor.isPlatformAdmin) throw new AppError('FORBIDDEN', 'platform administrators only')
  }

  app.post(
    '/admin/webhooks/integrations/:integrationId/redeliver',
    {
      preHandler: platformAdmin,
      schema: {
        tags: ['webhooks'],
        summary: 'Put a message (or every dead message) of an integration back into the outbox',
        security: bearer,
        params: IntegrationParams,
        body: RedeliverBody,
        response: { 200: RedeliverResult, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => ({ requeued: await integrations.redeliver(req.params.integrationId, req.body, req.user.personId) }),
  )

  app.get(
    '/admin/webhooks/integrations/:integrationId/attempts',
    {
      preHandler: platformAdmin,
      schema: {
        tags: ['webhooks'],
        summary: 'Delivery attempts of an integration, newest first (for support)',
        security: bearer,
        params: IntegrationParams,
        querystring: Type.Object(
          {
            messageId: Type.Optional(Type.String({ maxLength: 100 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: ListOf(Attempt), ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => ({
      items: (await integrations.attempts(req.params.integrationId, req.query)).map((a) => ({
        id: a.id,
        messageId: a.messageId,
        eventType: a.eventType,
        attempt: a.attempt,
        statusCode: a.statusCode,
        durationMs: a.durationMs,
        outcome: a.outcome,
        error: a.error,
        nextAttemptAt: a.nextAttemptAt ? a.nextAttemptAt.toISOString() : null,
        createdAt: a.createdAt.toISOString(),
      })),
    }),
  )
}

export default routes
