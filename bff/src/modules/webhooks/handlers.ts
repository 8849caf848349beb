import type { NoticePublishedData, RosterUnitsUpsertedData } from '@linli/shared/schemas/webhooks'
import { notices } from '../../db/schema'
import type { Db } from '../../db/client'
import type { DataProtector } from '../../lib/crypto'
import { appendAudit, communityStream } from '../audit'
import { collectRosterUnits } from '../roster'
import { importRoster } from '../roster'
import type { InboundContext, InboundEventType, InboundHandler, InboundResult } from './contract'

/**
 * The inbound events this module handles itself. (service_request.status_changed belongs to the
 * service-requests module, which registers it with registerInboundHandler.) They are built per app because they
 * need its DataProtector.
 */

/** The community an event is about: `communityId` in data, required when the integration serves several. */
export function targetCommunity(
  communityId: number | undefined,
  ctx: InboundContext,
): number | Extract<InboundResult, { ok: false }> {
  if (communityId !== undefined) {
    if (!ctx.communityIds.includes(communityId))
      return {
        ok: false,
        status: 404,
        code: 'NOT_FOUND',
        message: `community ${communityId} is not served by this integration`,
      }
    return communityId
  }
  if (ctx.communityIds.length === 1) return ctx.communityIds[0]!
  if (ctx.communityIds.length === 0)
    return {
      ok: false,
      status: 404,
      code: 'NOT_FOUND',
      message: 'this integration serves no community under a contract in force',
    }
  return {
    ok: false,
    status: 400,
    code: 'VALIDATION_FAILED',
    message: 'data.communityId: required, this integration serves several communities',
  }
}

export function builtinInboundHandlers(deps: { protector: DataProtector }): Map<InboundEventType, InboundHandler> {
  const handlers = new Map<InboundEventType, InboundHandler>()

  // The same idempotent path as the CSV import: validateRosterUnit per unit, then importRoster (which also
  // verifies pending household applications whose phone now matches). "line" in the report = position in units, from 1.
  handlers.set('roster.units_upserted', async (tx, raw, ctx) => {
    const data = raw as RosterUnitsUpsertedData
    const communityId = targetCommunity(data.communityId, ctx)
    if (typeof communityId !== 'number') return communityId
    const { units, rejected } = collectRosterUnits(
      data.units.map((u, i) => ({
        line: i + 1,
        raw: {
          building: u.building,
          unit: u.unit,
          kind: u.kind,
          area: String(u.area),
          areaSource: u.areaSource,
          ownerNames: u.owners.map((o) => o.name.trim()),
          ownerPhones: u.owners.map((o) => o.phone ?? ''),
          developerHeld: u.developerHeld === undefined ? '' : u.developerHeld ? 'yes' : 'no',
        },
      })),
    )
    // importRoster opens its own transaction; on a transaction drizzle makes that a savepoint, so the roster
    // changes commit (or roll back) together with the webhook's dedupe row.
    const report = await importRoster(tx as unknown as Db, deps.protector, {
      communityId,
      actorPersonId: null,
      source: `webhook:${ctx.integrationId}:${ctx.webhookId}`.slice(0, 100),
      units,
      rejected,
    })
    return { ok: true, result: { communityId, ...report } }
  })

  handlers.set('notice.published', async (tx, raw, ctx) => {
    const data = raw as NoticePublishedData
    const communityId = targetCommunity(data.communityId, ctx)
    if (typeof communityId !== 'number') return communityId
    const buildings = data.buildings?.length ? [...new Set(data.buildings.map((b) => b.trim()))] : null
    const [row] = await tx
      .insert(notices)
      .values({
        communityId,
        source: 'property',
        propertyCompanyId: ctx.propertyCompanyId,
        title: data.title.trim(),
        body: data.body,
        buildings,
        publishedAt: data.publishedAt ? new Date(data.publishedAt) : new Date(),
      })
      .$returningId()
    await appendAudit(tx, {
      stream: communityStream(communityId),
      action: 'notice.published',
      actorPersonId: null,
      subjectType: 'notice',
      subjectId: row!.id,
      data: {
        source: 'property',
        propertyCompanyId: ctx.propertyCompanyId,
        integrationId: ctx.integrationId,
        webhookId: ctx.webhookId,
        title: data.title,
      },
    })
    return { ok: true, result: { communityId, noticeId: row!.id } }
  })

  return handlers
}
