import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { COMMUNITY_ROLES } from '@linli/shared/households/roles'
import {
  BuildingSummary,
  CommunitySearchQuery,
  CommunitySummary,
  GrantRoleBody,
  Id,
  ListOf,
  RoleAssignment,
  RoleCandidate,
  RoleCandidateQuery,
  RosterImportReport,
  RosterUnit,
  StringEnum,
  UnitOption,
} from '@linli/shared/schemas'
import { bearer, errorResponses } from '../../http'
import { AppError } from '../../errors'
import { parseRosterCsv } from '../roster'
import { importRoster, listRoster } from '../roster'
import { communityService } from './service'

const CommunityParams = Type.Object({ communityId: Id }, { additionalProperties: false })
const BuildingParams = Type.Object({ communityId: Id, buildingId: Id }, { additionalProperties: false })
const RoleParams = Type.Object(
  { communityId: Id, personId: Id, role: StringEnum(COMMUNITY_ROLES) },
  { additionalProperties: false },
)

const mediaType = (header: string | undefined) => (header ?? '').split(';')[0]!.trim().toLowerCase()

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const communities = communityService(app)
  app.addHook('onRequest', app.authenticate)
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: 5 * 1024 * 1024 }, (_req, body, done) =>
    done(null, body),
  )

  // Browsing to pick one's own unit: any signed-in person, and only numbers and kinds, nothing about owners.
  app.get(
    '/communities',
    {
      schema: {
        tags: ['communities'],
        summary: 'Find a community by name or district',
        security: bearer,
        querystring: CommunitySearchQuery,
        response: { 200: ListOf(CommunitySummary), ...errorResponses(400, 401) },
      },
    },
    async (req) => ({ items: await communities.search(req.query.q) }),
  )

  app.get(
    '/communities/:communityId/buildings',
    {
      schema: {
        tags: ['communities'],
        summary: 'Buildings of a community',
        security: bearer,
        params: CommunityParams,
        response: { 200: ListOf(BuildingSummary), ...errorResponses(401, 404) },
      },
    },
    async (req) => ({ items: await communities.buildings(req.params.communityId) }),
  )

  app.get(
    '/communities/:communityId/buildings/:buildingId/units',
    {
      schema: {
        tags: ['communities'],
        summary: 'Units of a building',
        security: bearer,
        params: BuildingParams,
        response: { 200: ListOf(UnitOption), ...errorResponses(401, 404) },
      },
    },
    async (req) => ({ items: await communities.units(req.params.communityId, req.params.buildingId) }),
  )

  app.get(
    '/communities/:communityId/roster',
    {
      preHandler: app.authorize('roster.read'),
      schema: {
        tags: ['communities'],
        summary: 'The owner roster: areas, area sources, owners (masked)',
        security: bearer,
        params: CommunityParams,
        response: { 200: ListOf(RosterUnit), ...errorResponses(401, 403) },
      },
    },
    async (req) => ({ items: await listRoster(app.db, app.protector, req.params.communityId) }),
  )

  app.post(
    '/communities/:communityId/roster',
    {
      // Only text/csv: otherwise Fastify's built-in parsers would take a JSON string or text/plain body as the roster.
      onRequest: async (req) => {
        if (mediaType(req.headers['content-type']) !== 'text/csv')
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'the roster must be sent as text/csv')
      },
      preHandler: app.authorize('roster.import'),
      schema: {
        tags: ['communities'],
        summary: 'Import or update the owner roster (text/csv)',
        description:
          'Columns: building, unit, kind, area (m², ≤2 decimals), area source, owner names (; or 、), owner phones (same order). Header row optional (English or Chinese). Idempotent.',
        security: bearer,
        params: CommunityParams,
        consumes: ['text/csv'],
        body: Type.String({ minLength: 1 }),
        response: { 200: RosterImportReport, ...errorResponses(400, 401, 403, 413, 415) },
      },
    },
    async (req) => {
      const parsed = parseRosterCsv(req.body)
      return importRoster(app.db, app.protector, {
        communityId: req.params.communityId,
        actorPersonId: req.user.personId,
        source: 'upload',
        ...parsed,
      })
    },
  )

  app.get(
    '/communities/:communityId/roles',
    {
      preHandler: app.authorize('role.manage'),
      schema: {
        tags: ['communities'],
        summary: 'Committee members and community workers',
        security: bearer,
        params: CommunityParams,
        response: { 200: ListOf(RoleAssignment), ...errorResponses(401, 403) },
      },
    },
    async (req) => ({ items: await communities.roles(req.params.communityId) }),
  )

  app.get(
    '/communities/:communityId/role-candidates',
    {
      preHandler: app.authorize('role.manage'),
      schema: {
        tags: ['communities'],
        summary:
          'Find someone to appoint: verified residents by name or room, or the person who bound a whole mobile number',
        security: bearer,
        params: CommunityParams,
        querystring: RoleCandidateQuery,
        response: { 200: ListOf(RoleCandidate), ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => ({ items: await communities.candidates(req.params.communityId, req.query.q) }),
  )

  app.post(
    '/communities/:communityId/roles',
    {
      preHandler: app.authorize('role.manage'),
      schema: {
        tags: ['communities'],
        summary: 'Grant a role',
        description:
          'Community workers appoint committee members, platform admins community workers; a committee member must be a verified owner or co-owner here (ROLE_NOT_ELIGIBLE).',
        security: bearer,
        params: CommunityParams,
        body: GrantRoleBody,
        response: { 204: { type: 'null' }, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      await communities.grantRole(await req.loadActor(), req.params.communityId, req.body.personId, req.body.role)
      return reply.status(204).send()
    },
  )

  app.delete(
    '/communities/:communityId/roles/:personId/:role',
    {
      preHandler: app.authorize('role.manage'),
      schema: {
        tags: ['communities'],
        summary: 'Revoke a role',
        security: bearer,
        params: RoleParams,
        response: { 204: { type: 'null' }, ...errorResponses(401, 403, 404) },
      },
    },
    async (req, reply) => {
      await communities.revokeRole(await req.loadActor(), req.params.communityId, req.params.personId, req.params.role)
      return reply.status(204).send()
    },
  )
}

export default routes
