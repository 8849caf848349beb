import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import {
  BallotReceipt,
  CastBallotBody,
  CreateVoteBody,
  ExtendVoteBody,
  GrantProxyBody,
  Id,
  ListOf,
  MyEntry,
  VoteProxy,
  PublicBallot,
  PublishVoteBody,
  ReceiptCheck,
  RevokeProxyBody,
  RollSummary,
  VoteDetail,
  VoteSummary,
} from '@linli/shared/schemas'
import type { FastifyRequest } from 'fastify'
import { bearer, errorResponses } from '../../http'
import { votingService } from './service'

const CommunityParams = Type.Object({ communityId: Id }, { additionalProperties: false })
const VoteParams = Type.Object({ communityId: Id, voteId: Id }, { additionalProperties: false })
const ProxyParams = Type.Object({ communityId: Id, voteId: Id, proxyId: Id }, { additionalProperties: false })
// the receipt's shape is checked by the shared rule (shared/src/voting/receipts.ts), which says what is wrong
const ReceiptParams = Type.Object(
  { communityId: Id, voteId: Id, receipt: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
)
const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.String({ minLength: 8, maxLength: 80, pattern: '^[A-Za-z0-9_.:-]+$' }),
})
const CancelBody = Type.Object(
  { reason: Type.String({ minLength: 2, maxLength: 200 }) },
  { additionalProperties: false },
)

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const voting = votingService(app)
  app.addHook('onRequest', app.authenticate)
  const tags = ['voting']
  const residentView = app.authorize('vote.view')
  // residents of the community, or whoever holds a live proxy for this very vote
  const view = async (req: FastifyRequest) => {
    const { communityId, voteId } = req.params as { communityId: number; voteId?: number }
    try {
      await residentView(req)
    } catch (err) {
      if (voteId === undefined || !(await voting.isProxyFor(req.user.personId, communityId, voteId))) throw err
    }
  }
  const manage = app.authorize('vote.manage')
  const supervise = app.authorize('vote.supervise')

  const holds = (req: FastifyRequest, permission: 'vote.manage' | 'vote.supervise') => req.may(permission)

  app.get(
    '/communities/:communityId/votes',
    {
      preHandler: view,
      schema: {
        tags,
        summary: "The community's owners' votes",
        security: bearer,
        params: CommunityParams,
        response: { 200: ListOf(VoteSummary), ...errorResponses(401, 403) },
      },
    },
    async (req) => ({ items: await voting.list(req.params.communityId, await holds(req, 'vote.manage')) }),
  )

  app.get(
    '/communities/:communityId/votes/:voteId',
    {
      preHandler: view,
      schema: {
        tags,
        summary: 'A vote: items with their legal rule, window, fingerprints, live participation, results when visible',
        security: bearer,
        params: VoteParams,
        response: { 200: VoteDetail, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => voting.get(req.params.communityId, req.params.voteId, await holds(req, 'vote.manage')),
  )

  app.get(
    '/communities/:communityId/votes/:voteId/my-entries',
    {
      preHandler: view,
      schema: {
        tags,
        summary: 'The owner entries I may vote for (own or as proxy), with my ballot and receipt',
        security: bearer,
        params: VoteParams,
        response: { 200: ListOf(MyEntry), ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => ({ items: await voting.myEntries(req.user.personId, req.params.communityId, req.params.voteId) }),
  )

  app.post(
    '/communities/:communityId/votes/:voteId/ballots',
    {
      // no role lookup here: casting checks, inside its transaction, that the caller is a verified owner of
      // that very roll entry of this community's vote, or its proxy, which is stricter than being a resident

      // per person, counted after authentication: many neighbours may share one carrier-NAT address
      config: {
        rateLimit: {
          max: 30,
          timeWindow: '1 minute',
          hook: 'preHandler',
          keyGenerator: (req: FastifyRequest) => `ballot:${req.user.personId}`,
        },
      },
      schema: {
        tags,
        summary: 'Cast the ballot of an owner entry (one choice per matter)',
        description:
          'Retries with the same Idempotency-Key return the first answer (200). Concurrent or repeated submissions never produce two ballots.',
        security: bearer,
        params: VoteParams,
        headers: IdempotencyHeaders,
        body: CastBallotBody,
        response: { 200: BallotReceipt, 201: BallotReceipt, ...errorResponses(400, 401, 403, 404, 409, 422, 429) },
      },
    },
    async (req, reply) => {
      const { receipt, replay } = await voting.cast(
        req.user.personId,
        req.params.communityId,
        req.params.voteId,
        req.body,
        req.headers['idempotency-key'],
      )
      return reply.status(replay ? 200 : 201).send(receipt)
    },
  )

  app.get(
    '/communities/:communityId/votes/:voteId/ballots',
    {
      preHandler: view,
      schema: {
        tags,
        summary:
          "After close: every counted ballot with rooms, receipt and masked names; choices as the vote's rules show them to the caller",
        security: bearer,
        params: VoteParams,
        response: { 200: ListOf(PublicBallot), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req) => ({
      items: await voting.publicBallots(req.user.personId, req.params.communityId, req.params.voteId),
    }),
  )

  app.get(
    '/communities/:communityId/votes/:voteId/receipts/:receipt',
    {
      preHandler: view,
      schema: {
        tags,
        summary: 'Did my ballot count? Look a receipt up (RECEIPT_MALFORMED says what is wrong with a mistyped one)',
        security: bearer,
        params: ReceiptParams,
        response: { 200: ReceiptCheck, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) =>
      voting.checkReceipt(req.user.personId, req.params.communityId, req.params.voteId, req.params.receipt),
  )

  app.post(
    '/communities/:communityId/votes/:voteId/proxies',
    {
      preHandler: view,
      schema: {
        tags,
        summary: 'Appoint a proxy (委托) with a written authorisation',
        security: bearer,
        params: VoteParams,
        body: GrantProxyBody,
        response: { 201: VoteProxy, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await voting.grantProxy(req.user.personId, req.params.communityId, req.params.voteId, req.body)),
  )

  app.delete(
    '/communities/:communityId/votes/:voteId/proxies/:proxyId',
    {
      preHandler: view,
      schema: {
        tags,
        summary: 'Withdraw my proxy before it votes',
        security: bearer,
        params: ProxyParams,
        response: { 204: { type: 'null' }, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      await voting.revokeProxy(
        { personId: req.user.personId, asCommittee: false },
        req.params.communityId,
        req.params.voteId,
        req.params.proxyId,
        'withdrawn by the owner',
      )
      return reply.status(204).send()
    },
  )

  // committee
  app.post(
    '/communities/:communityId/votes',
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Draft a vote',
        security: bearer,
        params: CommunityParams,
        body: CreateVoteBody,
        response: { 201: VoteDetail, ...errorResponses(400, 401, 403) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await voting.createDraft(req.user.personId, req.params.communityId, req.body)),
  )

  app.put(
    '/communities/:communityId/votes/:voteId',
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Edit a draft',
        security: bearer,
        params: VoteParams,
        body: CreateVoteBody,
        response: { 200: VoteDetail, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => voting.updateDraft(req.user.personId, req.params.communityId, req.params.voteId, req.body),
  )

  app.post(
    '/communities/:communityId/votes/:voteId/publish',
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Publish: freeze items, roll and community rules, show their fingerprints',
        description:
          "A notice shorter than 15 days before voting opens (物业管理条例 第十四条; 指导规则 第二十二条) is refused with SHORT_NOTICE_UNCONFIRMED unless the body confirms it, with the notice days shown and a reason; both go into the vote's log and the reason is shown to voters.",
        security: bearer,
        params: VoteParams,
        body: Type.Union([PublishVoteBody, Type.Null()]),
        response: { 200: VoteDetail, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req) => voting.publish(req.user.personId, req.params.communityId, req.params.voteId, req.body),
  )

  const transitions = {
    close: ['Close early (only where the community rules allow)', voting.closeEarly],
    announce: ['Announce (公示) the results', voting.announce],
  } as const
  for (const [path, [summary, run]] of Object.entries(transitions)) {
    app.post(
      `/communities/:communityId/votes/:voteId/${path}`,
      {
        preHandler: manage,
        schema: {
          tags,
          summary,
          security: bearer,
          params: VoteParams,
          response: { 200: VoteDetail, ...errorResponses(401, 403, 404, 409) },
        },
      },
      async (req) => run.call(voting, req.user.personId, req.params.communityId, req.params.voteId),
    )
  }

  app.post(
    '/communities/:communityId/votes/:voteId/remind',
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Remind owners who have not voted (subscribe messages; one round a day)',
        security: bearer,
        params: VoteParams,
        response: { 200: Type.Object({ reminded: Type.Integer() }), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req) => voting.remind(req.user.personId, req.params.communityId, req.params.voteId),
  )

  app.post(
    '/communities/:communityId/votes/:voteId/cancel',
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Cancel a draft or published vote',
        security: bearer,
        params: VoteParams,
        body: CancelBody,
        response: { 200: VoteDetail, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => voting.cancel(req.user.personId, req.params.communityId, req.params.voteId, req.body.reason),
  )

  app.post(
    '/communities/:communityId/votes/:voteId/extend',
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Extend the voting window, with a reason that is announced',
        security: bearer,
        params: VoteParams,
        body: ExtendVoteBody,
        response: { 200: VoteDetail, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => voting.extend(req.user.personId, req.params.communityId, req.params.voteId, req.body),
  )

  app.get(
    '/communities/:communityId/votes/:voteId/roll',
    {
      preHandler: supervise,
      schema: {
        tags,
        summary: 'The frozen roll, names masked',
        security: bearer,
        params: VoteParams,
        response: { 200: RollSummary, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req) => voting.roll(req.params.communityId, req.params.voteId),
  )

  app.get(
    '/communities/:communityId/votes/:voteId/proxies',
    {
      preHandler: supervise,
      schema: {
        tags,
        summary: 'Proxies of this vote',
        security: bearer,
        params: VoteParams,
        response: { 200: ListOf(VoteProxy), ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => {
      await voting.getVote(req.params.communityId, req.params.voteId, { includeDrafts: true })
      return { items: await voting.listProxies(req.params.voteId) }
    },
  )

  app.post(
    '/communities/:communityId/votes/:voteId/proxies/:proxyId/revoke',
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Revoke a proxy before it votes',
        security: bearer,
        params: ProxyParams,
        body: RevokeProxyBody,
        response: { 200: VoteProxy, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) =>
      voting.revokeProxy(
        { personId: req.user.personId, asCommittee: true },
        req.params.communityId,
        req.params.voteId,
        req.params.proxyId,
        req.body.reason,
      ),
  )
}

export default routes
