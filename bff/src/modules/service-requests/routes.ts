import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from '@sinclair/typebox'
import { rolesAllow } from '@linli/shared/households/roles'
import {
  BoardQuery,
  CancelRequestBody,
  CategoryListQuery,
  ConfirmRequestBody,
  EscalatedRequest,
  FiguresQuery,
  FiguresReport,
  FileRequestBody,
  FollowResult,
  HandlerTransitionBody,
  Id,
  ListOf,
  MyServiceRequest,
  ReopenRequestBody,
  RequestListQuery,
  ServiceCategory,
  ServiceCategoryBody,
  ServiceRequestDetail,
  ServiceRequestSummary,
  SimilarQuery,
  UrgeResult,
} from '@linli/shared/schemas'
import { bearer, errorResponses, perPerson } from '../../http'
import { serviceRequestService, type Viewer } from './service'

const CommunityParams = Type.Object({ communityId: Id }, { additionalProperties: false })
const CategoryParams = Type.Object({ communityId: Id, categoryId: Id }, { additionalProperties: false })
const RequestParams = Type.Object({ communityId: Id, requestId: Id }, { additionalProperties: false })
const OptionalIdempotency = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 80, pattern: '^[A-Za-z0-9_.:-]+$' })),
})

const tags = ['service-requests']
/** The person and the roles they hold in the community of the route. */
async function viewerOf(req: FastifyRequest): Promise<Viewer> {
  const [actor, roles] = await Promise.all([req.loadActor(), req.rolesHere()])
  return { personId: actor.personId, roles }
}

const requestRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const service = serviceRequestService(app)
  app.addHook('onRequest', app.authenticate)

  const view = app.authorize('service_request.view')
  const file = app.authorize('service_request.file')
  const supervise = app.authorize('service_request.supervise')
  const handle = app.authorize('service_request.handle')
  const manage = app.authorize('service_category.manage')

  // --- categories -------------------------------------------------------------------------------------------

  app.get(
    '/communities/:communityId/service-categories',
    {
      preHandler: view,
      schema: {
        tags,
        summary: 'Categories (defaults are created for a community that has none)',
        security: bearer,
        params: CommunityParams,
        querystring: CategoryListQuery,
        response: { 200: ListOf(ServiceCategory), ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const all = req.query.all === true && rolesAllow('service_category.manage', (await viewerOf(req)).roles)
      return { items: await service.categories(req.params.communityId, all) }
    },
  )

  app.post(
    '/communities/:communityId/service-categories',
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Add a category: handler, urgency, SLA, extra questions',
        security: bearer,
        params: CommunityParams,
        body: ServiceCategoryBody,
        response: { 201: ServiceCategory, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await service.saveCategory(req.user.personId, req.params.communityId, null, req.body)),
  )

  app.put(
    '/communities/:communityId/service-categories/:categoryId',
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Edit a category (SLA changes apply to requests filed afterwards; deactivate instead of deleting)',
        security: bearer,
        params: CategoryParams,
        body: ServiceCategoryBody,
        response: { 200: ServiceCategory, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => service.saveCategory(req.user.personId, req.params.communityId, req.params.categoryId, req.body),
  )

  // --- filing -----------------------------------------------------------------------------------------------

  app.post(
    '/communities/:communityId/service-requests',
    {
      preHandler: file,
      config: perPerson('sr-file', 20, app.config.rateLimitMax),
      schema: {
        tags,
        summary: 'File a request (报事报修)',
        description: 'With an Idempotency-Key, a retry returns the first answer (200) instead of filing twice.',
        security: bearer,
        params: CommunityParams,
        headers: OptionalIdempotency,
        body: FileRequestBody,
        response: { 200: ServiceRequestDetail, 201: ServiceRequestDetail, ...errorResponses(400, 401, 403, 422, 429) },
      },
    },
    async (req, reply) => {
      const { detail, replay } = await service.file(
        req.user.personId,
        req.params.communityId,
        req.body,
        req.headers['idempotency-key'],
      )
      return reply.status(replay ? 200 : 201).send(detail)
    },
  )

  // --- reading ----------------------------------------------------------------------------------------------

  app.get(
    '/communities/:communityId/service-requests',
    {
      preHandler: supervise,
      schema: {
        tags,
        summary: 'Every request of the community (committee, worker)',
        security: bearer,
        params: CommunityParams,
        querystring: RequestListQuery,
        response: { 200: ListOf(ServiceRequestSummary), ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => ({ items: await service.list(req.user.personId, req.params.communityId, req.query) }),
  )

  app.get(
    '/communities/:communityId/service-requests/mine',
    {
      preHandler: view,
      schema: {
        tags,
        summary: 'My requests with their timelines',
        security: bearer,
        params: CommunityParams,
        response: { 200: ListOf(MyServiceRequest), ...errorResponses(401, 403) },
      },
    },
    async (req) => ({ items: await service.mine(req.user.personId, req.params.communityId) }),
  )

  app.get(
    '/communities/:communityId/service-requests/similar',
    {
      preHandler: view,
      schema: {
        tags,
        summary:
          'Before filing about shared parts: open requests of the same category at the same building or public place ("me too" instead)',
        security: bearer,
        params: CommunityParams,
        querystring: SimilarQuery,
        response: { 200: ListOf(ServiceRequestSummary), ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => ({ items: await service.similar(req.user.personId, req.params.communityId, req.query) }),
  )

  app.get(
    '/communities/:communityId/service-requests/board',
    {
      preHandler: view,
      schema: {
        tags,
        summary: 'The board of a building’s shared parts (no buildingId: the public areas); never who filed',
        security: bearer,
        params: CommunityParams,
        querystring: BoardQuery,
        response: { 200: ListOf(ServiceRequestSummary), ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => ({
      items: await service.board(
        req.user.personId,
        req.params.communityId,
        req.query.buildingId,
        req.query.state ?? 'open',
      ),
    }),
  )

  app.get(
    '/communities/:communityId/service-requests/escalations',
    {
      preHandler: supervise,
      schema: {
        tags,
        summary: 'Escalations inbox: overdue open requests (committee, worker)',
        security: bearer,
        params: CommunityParams,
        response: { 200: ListOf(EscalatedRequest), ...errorResponses(401, 403) },
      },
    },
    async (req) => ({ items: await service.escalations(req.user.personId, req.params.communityId) }),
  )

  app.get(
    '/communities/:communityId/service-requests/figures',
    {
      preHandler: view,
      schema: {
        tags,
        summary: 'Public service figures (公众评价机制) of the community and its property company, 30 or 90 days',
        security: bearer,
        params: CommunityParams,
        querystring: FiguresQuery,
        response: { 200: FiguresReport, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => service.figures(req.params.communityId, req.query.days),
  )

  app.get(
    '/communities/:communityId/service-requests/:requestId',
    {
      schema: {
        tags,
        summary:
          'A request: everything for its reporter and supervisors; shared-area requests without the reporter for other residents',
        security: bearer,
        params: RequestParams,
        response: { 200: ServiceRequestDetail, ...errorResponses(401, 404) },
      },
    },
    async (req) => service.detail(req.params.communityId, req.params.requestId, await viewerOf(req)),
  )

  // --- the reporter -----------------------------------------------------------------------------------------

  app.post(
    '/communities/:communityId/service-requests/:requestId/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel my request before it is accepted',
        security: bearer,
        params: RequestParams,
        body: CancelRequestBody,
        response: { 200: ServiceRequestDetail, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) =>
      service.reporterAction(await viewerOf(req), req.params.communityId, req.params.requestId, 'cancel', {
        note: req.body.reason,
      }),
  )

  app.post(
    '/communities/:communityId/service-requests/:requestId/confirm',
    {
      schema: {
        tags,
        summary: 'Confirm it is resolved and rate it (overall, speed, attitude 1–5, text)',
        security: bearer,
        params: RequestParams,
        body: ConfirmRequestBody,
        response: { 200: ServiceRequestDetail, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) =>
      service.reporterAction(await viewerOf(req), req.params.communityId, req.params.requestId, 'confirm', {
        rating: req.body,
        note: req.body.text,
      }),
  )

  app.post(
    '/communities/:communityId/service-requests/:requestId/reopen',
    {
      schema: {
        tags,
        summary: 'Not resolved: reopen it with a reason',
        security: bearer,
        params: RequestParams,
        body: ReopenRequestBody,
        response: { 200: ServiceRequestDetail, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) =>
      service.reporterAction(await viewerOf(req), req.params.communityId, req.params.requestId, 'reopen', {
        note: req.body.reason,
      }),
  )

  app.post(
    '/communities/:communityId/service-requests/:requestId/urge',
    {
      schema: {
        tags,
        summary: '催办 (reporter or "me too" followers), once per cooldown',
        security: bearer,
        params: RequestParams,
        response: { 200: UrgeResult, ...errorResponses(401, 403, 404, 409, 429) },
      },
    },
    async (req) => service.urge(await viewerOf(req), req.params.communityId, req.params.requestId),
  )

  app.post(
    '/communities/:communityId/service-requests/:requestId/follow',
    {
      preHandler: file,
      schema: {
        tags,
        summary: '"Me too": follow a shared-area request instead of filing a duplicate',
        security: bearer,
        params: RequestParams,
        response: { 200: FollowResult, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req) => service.follow(await viewerOf(req), req.params.communityId, req.params.requestId, true),
  )

  app.delete(
    '/communities/:communityId/service-requests/:requestId/follow',
    {
      preHandler: file,
      schema: {
        tags,
        summary: 'Stop following',
        security: bearer,
        params: RequestParams,
        response: { 200: FollowResult, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => service.follow(await viewerOf(req), req.params.communityId, req.params.requestId, false),
  )

  // --- the handler side (committee / community worker) -------------------------------------------------------

  app.post(
    '/communities/:communityId/service-requests/:requestId/transitions',
    {
      preHandler: handle,
      schema: {
        tags,
        summary:
          'Act as the handler: accept, assign, start, resolve, reject (with a reason), duplicate (of the original)',
        description:
          'For committee-handled categories, and in place of the property company for the others. Impossible steps answer 409 INVALID_TRANSITION.',
        security: bearer,
        params: RequestParams,
        body: HandlerTransitionBody,
        response: { 200: ServiceRequestDetail, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      const { action, ...input } = req.body
      return service.handlerAction(await viewerOf(req), req.params.communityId, req.params.requestId, action, input)
    },
  )
}

const routes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(requestRoutes)
}

export default routes
