import type { Tx } from '../../db/client'

/**
 * The seam between the webhooks module (Standard Webhooks to and from property companies) and the features
 * that produce or consume property events. Features never talk HTTP: they call `emitPropertyEvent` inside
 * their own transaction (the message goes through the one outbox), and register handlers for inbound events.
 */

/** Outbound event types (domain.md §7; issue: service requests with property companies). */
export type OutboundEventType =
  | 'service_request.created'
  | 'service_request.updated'
  | 'service_request.urged'
  | 'service_request.rated'
  | 'service_request.escalated'
  | 'service_request.reopened'

export interface OutboundEvent {
  communityId: number
  type: OutboundEventType
  /** the request the event is about; events of one request carry an increasing sequence number */
  subject: { kind: 'service_request'; id: number; seq: number }
  /** what a handler needs; phones masked unless the resident consented to share */
  data: Record<string, unknown>
}

/** Inbound event types a property company may send to POST /webhooks/property/{integrationId}. */
export type InboundEventType = 'service_request.status_changed' | 'roster.units_upserted' | 'notice.published'

export interface InboundContext {
  integrationId: string
  propertyCompanyId: number
  /** the communities this integration serves: handlers must refuse anything outside them */
  communityIds: number[]
  webhookId: string
}

/** Outcome of an inbound handler: applied, or a stable error (4xx) that the endpoint answers with. */
export type InboundResult =
  | { ok: true; result?: Record<string, unknown> }
  | { ok: false; status: 400 | 404 | 409; code: string; message: string }

export type InboundHandler = (tx: Tx, data: unknown, ctx: InboundContext) => Promise<InboundResult>
