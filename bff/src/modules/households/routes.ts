import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import {
  CreateMembershipBody,
  Id,
  ListOf,
  Membership,
  MembershipApplication,
  MembershipListQuery,
  RejectMembershipBody,
} from '@linli/shared/schemas'
import { bearer, errorResponses } from '../../http'
import { householdService } from './service'

const MembershipParams = Type.Object({ membershipId: Id }, { additionalProperties: false })
const ReviewParams = Type.Object({ communityId: Id, membershipId: Id }, { additionalProperties: false })
const CommunityParams = Type.Object({ communityId: Id }, { additionalProperties: false })

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const households = householdService(app)
  app.addHook('onRequest', app.authenticate)

  // A person's own bindings: scoped by the caller, never by an id they pass.
  app.get(
    '/memberships',
    {
      schema: {
        tags: ['households'],
        summary: 'My household bindings',
        security: bearer,
        response: { 200: ListOf(Membership), ...errorResponses(401) },
      },
    },
    async (req) => ({ items: await households.listMine(req.user.personId) }),
  )

  app.post(
    '/memberships',
    {
      schema: {
        tags: ['households'],
        summary: 'Ask to join a unit as owner / co-owner / family / tenant',
        description:
          'Verified at once when an owner or co-owner has bound a phone that the roster lists for the unit; otherwise pending review by the committee, who see the stated name and the proof photos (uploaded first with ?purpose=membership). The proof is deleted once the application is decided or withdrawn.',
        security: bearer,
        body: CreateMembershipBody,
        response: { 201: Membership, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await households.request(req.user.personId, req.body)),
  )

  app.delete(
    '/memberships/:membershipId',
    {
      schema: {
        tags: ['households'],
        summary: 'Withdraw an application or leave a household',
        security: bearer,
        params: MembershipParams,
        response: { 204: { type: 'null' }, ...errorResponses(401, 404) },
      },
    },
    async (req, reply) => {
      await households.withdraw(req.user.personId, req.params.membershipId)
      return reply.status(204).send()
    },
  )

  app.get(
    '/communities/:communityId/memberships',
    {
      preHandler: app.authorize('membership.review'),
      schema: {
        tags: ['households'],
        summary: 'Applications to review (committee, community worker)',
        security: bearer,
        params: CommunityParams,
        querystring: MembershipListQuery,
        response: { 200: ListOf(MembershipApplication), ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => ({ items: await households.listApplications(req.params.communityId, req.query.state) }),
  )

  app.post(
    '/communities/:communityId/memberships/:membershipId/approve',
    {
      preHandler: app.authorize('membership.review'),
      schema: {
        tags: ['households'],
        summary: 'Approve an application',
        security: bearer,
        params: ReviewParams,
        response: { 200: MembershipApplication, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req) => households.approve(req.user.personId, req.params.communityId, req.params.membershipId),
  )

  app.post(
    '/communities/:communityId/memberships/:membershipId/reject',
    {
      preHandler: app.authorize('membership.review'),
      schema: {
        tags: ['households'],
        summary: 'Reject an application with a reason the applicant will read',
        security: bearer,
        params: ReviewParams,
        body: RejectMembershipBody,
        response: { 200: MembershipApplication, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) =>
      households.reject(req.user.personId, req.params.communityId, req.params.membershipId, req.body.reason.trim()),
  )
}

export default routes
