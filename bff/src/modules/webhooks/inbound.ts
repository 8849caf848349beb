import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Value } from '@sinclair/typebox/value'
import type { TSchema } from '@sinclair/typebox'
import { and, eq, gte, isNull, lte, or } from 'drizzle-orm'
import { INBOUND_EVENT_TYPES, InboundDataSchemas, WebhookEnvelope } from '@linli/shared/schemas/webhooks'
import { communityPropertyContracts, webhookCommunities, webhookInbox, webhookIntegrations } from '../../db/schema'
import { isDuplicateKey } from '../../db/client'
import { AppError } from '../../errors'
import type { InboundContext, InboundEventType, InboundHandler, InboundResult } from './contract'
import { checkTimestamp, generateSecret, verifySignature } from './signing'
import { chinaToday, secretsOf } from './service'

/**
 * POST /webhooks/property/:integrationId — what property companies send us, signed like our outbound messages.
 * Encapsulated: its own JSON parser hands the RAW body (≤ 1 MB) to the route, because the signature covers the
 * exact bytes. Order: headers → timestamp → integration + signature (unknown and revoked integrations answer the
 * same 401 as a bad signature) → JSON and schema → dedupe → handler, in ONE transaction with the dedupe row.
 */
export const INBOUND_BODY_LIMIT = 1024 * 1024
const MAX_WEBHOOK_ID = 128

/** compared against when the integration does not exist, so unknown ids cost the same as known ones */
const DECOY_SECRET = generateSecret()

class Refused extends Error {
  constructor(readonly outcome: Extract<InboundResult, { ok: false }>) {
    super(outcome.message)
  }
}
class AlreadyApplied extends Error {}

const header = (req: FastifyRequest, name: string) => {
  const v = req.headers[name]
  return typeof v === 'string' ? v : undefined
}

/** First schema error as `field: message` (field dotted from the body root), plus all of them as details. */
function schemaErrors(schema: TSchema, value: unknown, prefix: string): AppError | null {
  if (Value.Check(schema, value)) return null
  const details = [...Value.Errors(schema, value)].slice(0, 20).map((e) => ({
    field: [prefix, ...e.path.split('/').filter(Boolean)].filter(Boolean).join('.') || 'body',
    message: e.message,
  }))
  const first = details[0]!
  return new AppError('VALIDATION_FAILED', `${first.field}: ${first.message}`, details)
}

export function webhookInboundRoutes(opts: { handlerFor: (type: InboundEventType) => InboundHandler | undefined }) {
  return async function inbound(app: FastifyInstance) {
    app.removeAllContentTypeParsers()
    app.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer', bodyLimit: INBOUND_BODY_LIMIT },
      (_req, body, done) => done(null, body),
    )

    app.post<{ Params: { integrationId: string } }>(
      '/webhooks/property/:integrationId',
      {
        bodyLimit: INBOUND_BODY_LIMIT,
        config: {
          rateLimit: {
            max: app.config.webhooks.rateLimitMax,
            timeWindow: '1 minute',
            keyGenerator: (req: FastifyRequest) =>
              `wh:${String((req.params as { integrationId?: string }).integrationId ?? '').slice(0, 48)}`,
          },
        },
        schema: {
          tags: ['webhooks'],
          summary: 'Inbound Standard Webhooks from a property company (signed; see docs/property-integration.md)',
        },
      },
      async (req, reply) => {
        const { integrationId } = req.params
        const msgId = header(req, 'webhook-id')
        const timestamp = header(req, 'webhook-timestamp')
        const signature = header(req, 'webhook-signature')
        if (!msgId || !timestamp || !signature)
          throw new AppError(
            'WEBHOOK_SIGNATURE_INVALID',
            'webhook-id, webhook-timestamp and webhook-signature are required',
          )
        if (!checkTimestamp(timestamp))
          throw new AppError(
            'WEBHOOK_TIMESTAMP_OUT_OF_RANGE',
            'webhook-timestamp must be Unix seconds within 5 minutes of now',
          )
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)

        const [integration] =
          integrationId.length <= 40
            ? await app.db.select().from(webhookIntegrations).where(eq(webhookIntegrations.id, integrationId))
            : []
        const usable = integration && integration.status !== 'revoked'
        const verified = verifySignature(
          usable ? secretsOf(app.protector, integration) : [DECOY_SECRET],
          msgId,
          timestamp,
          body,
          signature,
        )
        if (!usable || !verified)
          throw new AppError('WEBHOOK_SIGNATURE_INVALID', 'no valid signature for this endpoint')

        // Authentic from here on.
        if (msgId.length > MAX_WEBHOOK_ID)
          throw new AppError('VALIDATION_FAILED', `headers.webhook-id: at most ${MAX_WEBHOOK_ID} characters`)
        let envelope: unknown
        try {
          envelope = JSON.parse(body.toString('utf8'))
        } catch {
          throw new AppError('VALIDATION_FAILED', 'body: not valid JSON', [
            { field: 'body', message: 'not valid JSON' },
          ])
        }
        const bad = schemaErrors(WebhookEnvelope, envelope, '')
        if (bad) throw bad
        const { type, data } = envelope as { type: string; data: unknown }
        if (!(INBOUND_EVENT_TYPES as readonly string[]).includes(type))
          throw new AppError(
            'WEBHOOK_EVENT_UNSUPPORTED',
            `type: "${type}" is not one of ${INBOUND_EVENT_TYPES.join(', ')}`,
          )
        const eventType = type as InboundEventType
        const badData = schemaErrors(InboundDataSchemas[eventType], data, 'data')
        if (badData) throw badData
        const handler = opts.handlerFor(eventType)
        if (!handler) throw new AppError('WEBHOOK_EVENT_UNSUPPORTED', `${eventType} is not handled yet`)

        const applied = async () => {
          const [seen] = await app.db
            .select()
            .from(webhookInbox)
            .where(and(eq(webhookInbox.integrationId, integration.id), eq(webhookInbox.webhookId, msgId)))
          return seen
        }
        const before = await applied()
        if (before)
          return { received: true, duplicate: true, ...(before.result ? { result: parseResult(before.result) } : {}) }

        const today = chinaToday()
        const served = await app.db
          .selectDistinct({ communityId: webhookCommunities.communityId })
          .from(webhookCommunities)
          .innerJoin(
            communityPropertyContracts,
            and(
              eq(communityPropertyContracts.communityId, webhookCommunities.communityId),
              eq(communityPropertyContracts.propertyCompanyId, integration.propertyCompanyId),
              lte(communityPropertyContracts.startsOn, today),
              or(isNull(communityPropertyContracts.endsOn), gte(communityPropertyContracts.endsOn, today)),
            ),
          )
          .where(eq(webhookCommunities.integrationId, integration.id))
        const ctx: InboundContext = {
          integrationId: integration.id,
          propertyCompanyId: integration.propertyCompanyId,
          communityIds: served.map((s) => s.communityId).sort((a, b) => a - b),
          webhookId: msgId,
        }

        try {
          const result = await app.db.transaction(async (tx) => {
            try {
              // The dedupe row first: a concurrent delivery of the same id waits on this key, then finds it taken.
              await tx
                .insert(webhookInbox)
                .values({ integrationId: integration.id, webhookId: msgId, eventType, receivedAt: new Date() })
            } catch (err) {
              if (isDuplicateKey(err)) throw new AlreadyApplied()
              throw err
            }
            const outcome = await handler(tx, data, ctx)
            if (!outcome.ok) throw new Refused(outcome)
            if (outcome.result)
              await tx
                .update(webhookInbox)
                .set({ result: outcome.result })
                .where(and(eq(webhookInbox.integrationId, integration.id), eq(webhookInbox.webhookId, msgId)))
            return outcome.result
          })
          req.log.info({ integrationId: integration.id, webhookId: msgId, type: eventType }, 'inbound webhook applied')
          return { received: true, duplicate: false, ...(result ? { result } : {}) }
        } catch (err) {
          if (err instanceof AlreadyApplied) {
            const seen = await applied()
            return { received: true, duplicate: true, ...(seen?.result ? { result: parseResult(seen.result) } : {}) }
          }
          if (err instanceof Refused) {
            const { status, code, message } = err.outcome
            return reply.status(status).send({ error: { code, message } })
          }
          throw err
        }
      },
    )
  }
}

const parseResult = (v: unknown) =>
  typeof v === 'string' ? (JSON.parse(v) as Record<string, unknown>) : (v as Record<string, unknown>)
