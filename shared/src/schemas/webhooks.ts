import { Type, type Static } from '@sinclair/typebox'
import { PHONE_PATTERN } from '../privacy/mask'
import { Id, StringEnum } from './common'

/**
 * Property-company webhooks (Standard Webhooks, docs/property-integration.md). Inbound bodies are checked with
 * TypeBox `Value.Check` / `Value.Errors` against these schemas after the signature has been verified, so the
 * endpoint can name the failing field. No `format` keywords: Value has no format registry by default.
 */

/** RFC 3339 / ISO-8601 timestamp with a time zone, e.g. 2026-05-01T08:00:00Z or 2026-05-01T16:00:00+08:00 */
export const IsoTimestamp = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$',
  maxLength: 40,
})

export const INBOUND_EVENT_TYPES = [
  'service_request.status_changed',
  'roster.units_upserted',
  'notice.published',
] as const
export const OUTBOUND_EVENT_TYPES = [
  'service_request.created',
  'service_request.updated',
  'service_request.urged',
  'service_request.rated',
  'service_request.escalated',
  'service_request.reopened',
] as const

/** The envelope every message has, both directions: `{ type, timestamp, data }`. */
export const WebhookEnvelope = Type.Object({
  type: Type.String({ minLength: 1, maxLength: 64 }),
  timestamp: IsoTimestamp,
  data: Type.Object({}, { additionalProperties: true }),
})
export type WebhookEnvelope = Static<typeof WebhookEnvelope>

const Phone = Type.String({ pattern: PHONE_PATTERN })

/** service_request.status_changed: the property company moved a request on (handled by the service-requests module). */
export const ServiceRequestStatusChangedData = Type.Object(
  {
    requestId: Id,
    status: Type.String({ minLength: 1, maxLength: 32 }),
    note: Type.Optional(Type.String({ maxLength: 500 })),
    handler: Type.Optional(
      Type.Object(
        { name: Type.String({ minLength: 1, maxLength: 32 }), phone: Phone },
        { additionalProperties: false },
      ),
    ),
    /** with status `duplicate`: the request this one duplicates */
    duplicateOf: Type.Optional(Id),
  },
  { additionalProperties: false },
)
export type ServiceRequestStatusChangedData = Static<typeof ServiceRequestStatusChangedData>

/** roster.units_upserted: the same fields as a roster CSV line (kinds and area sources accept the Chinese aliases too). */
export const RosterWebhookUnit = Type.Object(
  {
    building: Type.String({ minLength: 1, maxLength: 32 }),
    unit: Type.String({ minLength: 1, maxLength: 32 }),
    kind: Type.String({ minLength: 1, maxLength: 16 }),
    /** m², at most two decimals; a string keeps it exact ("89.45") */
    area: Type.Union([Type.String({ minLength: 1, maxLength: 12 }), Type.Number({ exclusiveMinimum: 0 })]),
    areaSource: Type.String({ minLength: 1, maxLength: 16 }),
    owners: Type.Array(
      Type.Object(
        { name: Type.String({ minLength: 1, maxLength: 64 }), phone: Type.Optional(Type.Union([Phone, Type.Null()])) },
        { additionalProperties: false },
      ),
      {
        minItems: 1,
        maxItems: 20,
      },
    ),
    developerHeld: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export const RosterUnitsUpsertedData = Type.Object(
  {
    /** required when the integration serves several communities */
    communityId: Type.Optional(Id),
    units: Type.Array(RosterWebhookUnit, { minItems: 1, maxItems: 5000 }),
  },
  { additionalProperties: false },
)
export type RosterUnitsUpsertedData = Static<typeof RosterUnitsUpsertedData>

/** notice.published: a notice (公告) from the property company, shown to the community's residents. */
export const NoticePublishedData = Type.Object(
  {
    communityId: Type.Optional(Id),
    title: Type.String({ minLength: 1, maxLength: 100 }),
    body: Type.String({ minLength: 1, maxLength: 20000 }),
    /** building names the notice concerns; absent = the whole community */
    buildings: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 32 }), { maxItems: 500 })),
    publishedAt: Type.Optional(IsoTimestamp),
  },
  { additionalProperties: false },
)
export type NoticePublishedData = Static<typeof NoticePublishedData>

export const InboundDataSchemas = {
  'service_request.status_changed': ServiceRequestStatusChangedData,
  'roster.units_upserted': RosterUnitsUpsertedData,
  'notice.published': NoticePublishedData,
} as const

/** What the inbound endpoint answers on success (a replay of an applied webhook-id answers duplicate: true). */
export const WebhookAccepted = Type.Object({
  received: Type.Literal(true),
  duplicate: Type.Boolean(),
  result: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
})
export type WebhookAccepted = Static<typeof WebhookAccepted>

/** Notices as residents read them. */
export const Notice = Type.Object({
  id: Id,
  source: StringEnum(['property', 'committee'] as const),
  propertyCompanyName: Type.Union([Type.String(), Type.Null()]),
  title: Type.String(),
  body: Type.String(),
  buildings: Type.Union([Type.Array(Type.String()), Type.Null()]),
  publishedAt: Type.String({ format: 'date-time' }),
})
export type Notice = Static<typeof Notice>

export const NoticeListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    /** id of the last notice of the previous page */
    before: Type.Optional(Id),
  },
  { additionalProperties: false },
)

/** Platform admin: put dead (or given) messages of an integration back into the outbox. */
export const RedeliverBody = Type.Object(
  {
    messageId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    dead: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export const RedeliverResult = Type.Object({ requeued: Type.Integer({ minimum: 0 }) })
