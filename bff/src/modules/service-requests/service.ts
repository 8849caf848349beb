import { createHash } from 'node:crypto'
import { and, asc, desc, eq, inArray, isNotNull, isNull, lt, sql, type SQL } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { rolesAllow, type Role } from '@linli/shared/households/roles'
import { maskName, maskPhone } from '@linli/shared/privacy/mask'
import { summaryOf } from '@linli/shared/text'
import { messagePages } from '@linli/shared/notifications'
import {
  describeAnswers,
  validateAnswers,
  validateAttributeDefs,
  type AttributeAnswers,
  type AttributeDef,
} from '@linli/shared/service-requests/attributes'
import { srActionLabels, srEscalationLabels, srStatusLabels } from '@linli/shared/service-requests/labels'
import {
  AUTO_CLOSE_DAYS,
  SR_OPEN_STATUSES,
  SR_STATUSES,
  URGE_COOLDOWN_MINUTES,
  availableActions,
  checkTransition,
  followRefusal,
  handlerActionTo,
  isOpenStatus,
  isPublicLocation,
  partyOf,
  srTransitions,
  type SrAction,
  type SrEscalation,
  type SrHandlerAction,
  type SrStatus,
} from '@linli/shared/service-requests/rules'
import { samePlace } from '@linli/shared/service-requests/places'
import {
  acceptDueAt,
  addMinutes,
  isOverdue,
  metDeadline,
  resolveDueAt,
  urgeWaitSeconds,
} from '@linli/shared/service-requests/sla'
import type {
  ConfirmRequestBody,
  FileRequestBody,
  FiguresReport,
  MyServiceRequest,
  ServiceCategory,
  ServiceCategoryBody,
  ServiceRequestDetail,
  ServiceRequestSummary,
  SrEvent,
} from '@linli/shared/schemas'
import type { ServiceRequestStatusChangedData } from '@linli/shared/schemas/webhooks'
import {
  buildings,
  memberships,
  persons,
  propertyCompanies,
  serviceRequests,
  srCategories,
  srEvents,
  srFollowers,
  units,
} from '../../db/schema'
import { isDuplicateKey, type DbOrTx, type Tx } from '../../db/client'
import { AppError, forbidden, notFound } from '../../errors'
import { canonicalJson } from '../../lib/canonical-json'
import { appendAudit, communityStream } from '../audit'
import { messageTime as chinaTime, notificationService } from '../notifications'
import type { InboundContext, InboundResult, OutboundEventType } from '../webhooks/contract'
import { emitPropertyEvent, registerInboundHandler } from '../webhooks/service'
import { serviceFigures } from './figures'
import { photoService } from '../photos'
import {
  committeeAndWorkers,
  currentPropertyCompany,
  ensureDefaultCategories,
  eventsOf,
  followerIds,
  getCategory,
  isFollower,
  listCategories,
  lockRequest,
  parseJson,
  requestRows,
  type CategoryRow,
  type EventRow,
  type RequestRow,
  type SrRow,
} from './repository'

type Deps = Pick<FastifyInstance, 'db' | 'protector' | 'scheduler' | 'outbox' | 'wechat' | 'config' | 'storage' | 'log'>
type Notifier = ReturnType<typeof notificationService>

/** Who acts on a request. Committee covers committee members and community workers acting as the handler side. */
export type SrActor =
  | { kind: 'resident'; personId: number }
  | { kind: 'committee'; personId: number }
  | { kind: 'property'; propertyCompanyId: number; label: string }
  | { kind: 'system' }

/** Who reads: the person and the roles they hold in the community of the route (admin added for platform admins). */
export interface Viewer {
  personId: number
  roles: ReadonlySet<Role>
}

interface ActionInput {
  note?: string
  assignee?: { name: string; phone?: string }
  duplicateOf?: number
  rating?: ConfirmRequestBody
}

export const JOB = {
  acceptDue: 'sr.accept_due',
  resolveDue: 'sr.resolve_due',
  autoClose: 'sr.auto_close',
} as const
const jobKey = (kind: string, id: number) => `${kind}:${id}`
export const requestStream = (requestId: number) => `sr:${requestId}`

const OPEN = SR_OPEN_STATUSES as readonly SrStatus[]
/** at most this many suggestions before filing: a short list a resident reads, not a board */
const SIMILAR_MAX = 5

const iso = (d: Date | null) => (d ? d.toISOString() : null)
const detailPage = (r: Pick<SrRow, 'communityId' | 'id'>) => messagePages.serviceRequest(r.communityId, r.id)

function invalidTransition(row: Pick<SrRow, 'status'>, action: string): AppError {
  return new AppError('INVALID_TRANSITION', `cannot ${action} a request that is ${row.status}`, {
    status: row.status,
    action,
  })
}

function validation(field: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', `${field}: ${message}`, [{ field, message }])
}

/** The outbound event type for what happened (the property company's catalogue). */
function outboundTypeOf(action: SrAction | 'file' | 'urge' | 'escalate'): OutboundEventType {
  switch (action) {
    case 'file':
      return 'service_request.created'
    case 'urge':
      return 'service_request.urged'
    case 'escalate':
      return 'service_request.escalated'
    case 'confirm':
      return 'service_request.rated'
    case 'reopen':
      return 'service_request.reopened'
    default:
      return 'service_request.updated'
  }
}

export function serviceRequestService(app: Deps) {
  const { db, protector, scheduler } = app
  const notifier: Notifier = notificationService(app)
  const photos = photoService(app)

  // ------------------------------------------------------------------------------------------------------------
  // Writing events, notifying, telling the property company

  /** The data a handler needs, as sent with every outbound event (phone masked unless the resident consented). */
  async function propertyData(tx: DbOrTx, r: SrRow): Promise<Record<string, unknown>> {
    const [[ctx], attached, [reporter], followers] = await Promise.all([
      requestRows(tx, 0, eq(serviceRequests.id, r.id)),
      photos.of(tx, { requestId: r.id }),
      tx.select({ displayName: persons.displayName }).from(persons).where(eq(persons.id, r.reporterPersonId)),
      tx
        .select({ n: sql<number>`COUNT(*)`.mapWith(Number) })
        .from(srFollowers)
        .where(eq(srFollowers.requestId, r.id)),
    ])
    const phone = r.phoneEnc ? protector.decrypt(r.phoneEnc) : null
    const attributes = parseJson<AttributeDef[]>(ctx!.categoryAttributes)
    return {
      status: r.status,
      category: { id: r.categoryId, name: ctx!.categoryName, urgency: ctx!.categoryUrgency },
      description: r.description,
      location: { kind: r.locationKind, building: ctx!.buildingName, unit: ctx!.unitNumber, detail: r.locationDetail },
      answers: describeAnswers(attributes, parseJson<AttributeAnswers>(r.answers)),
      photos: attached.map((p) => ({ url: photos.webhookUrl(p.id), contentType: p.contentType, bytes: p.bytes })),
      contactTime: r.contactTime,
      reporter: {
        name: reporter ? (r.sharePhone ? reporter.displayName : maskName(reporter.displayName)) : null,
        phone: phone ? (r.sharePhone ? phone : maskPhone(phone)) : null,
        phoneShared: r.sharePhone,
      },
      filedAt: r.createdAt.toISOString(),
      acceptDueAt: r.acceptDueAt.toISOString(),
      resolveDueAt: iso(r.resolveDueAt),
      acceptedAt: iso(r.acceptedAt),
      resolvedAt: iso(r.resolvedAt),
      escalation: r.escalation,
      followerCount: followers[0]?.n ?? 0,
      urgeCount: r.urgeCount,
      reopenCount: r.reopenCount,
      duplicateOf: r.duplicateOf,
      rating: r.ratedAt
        ? { overall: r.ratingOverall, speed: r.ratingSpeed, attitude: r.ratingAttitude, text: r.ratingText }
        : null,
    }
  }

  /**
   * Appends one event to the request (the next sequence number, under the row lock the caller holds), the audit
   * log, and — for property-handled requests — the outbound webhook carrying the same sequence number.
   */
  async function record(
    tx: Tx,
    r: SrRow,
    e: {
      action: SrAction | 'file' | 'urge' | 'escalate'
      from: SrStatus | null
      actor: SrActor
      at: Date
      note?: string | null
      extra?: Record<string, unknown>
    },
  ): Promise<number> {
    const seq = r.eventSeq + 1
    const actorPersonId = 'personId' in e.actor ? e.actor.personId : null
    await tx.insert(srEvents).values({
      requestId: r.id,
      seq,
      action: e.action,
      fromStatus: e.from,
      toStatus: r.status,
      actorKind: e.actor.kind,
      actorPersonId,
      actorLabel: e.actor.kind === 'property' ? e.actor.label.slice(0, 64) : null,
      note: e.note ?? null,
      createdAt: e.at,
    })
    await tx.update(serviceRequests).set({ eventSeq: seq }).where(eq(serviceRequests.id, r.id))
    r.eventSeq = seq
    await appendAudit(tx, {
      stream: requestStream(r.id),
      action: `service_request.${e.action}`,
      actorPersonId,
      subjectType: 'service_request',
      subjectId: r.id,
      data: {
        seq,
        from: e.from,
        to: r.status,
        actorKind: e.actor.kind,
        ...(e.actor.kind === 'property' ? { propertyCompanyId: e.actor.propertyCompanyId } : {}),
        note: e.note ?? null,
      },
    })
    if (r.handler === 'property') {
      const data = await propertyData(tx, r)
      await emitPropertyEvent(app, tx, {
        communityId: r.communityId,
        type: outboundTypeOf(e.action),
        subject: { kind: 'service_request', id: r.id, seq },
        data: {
          ...data,
          event: {
            action: e.action,
            from: e.from,
            to: r.status,
            actorKind: e.actor.kind,
            note: e.note ?? null,
            at: e.at.toISOString(),
          },
          ...(e.extra ?? {}),
        },
      })
    }
    return seq
  }

  async function categoryName(tx: DbOrTx, r: SrRow): Promise<string> {
    const [c] = await tx.select({ name: srCategories.name }).from(srCategories).where(eq(srCategories.id, r.categoryId))
    return c?.name ?? '报事报修'
  }

  async function notifyReporterSide(
    tx: DbOrTx,
    r: SrRow,
    seq: number,
    what: string,
    note: string | null,
    alsoFollowers: boolean,
  ) {
    const name = await categoryName(tx, r)
    const people = new Set([r.reporterPersonId, ...(alsoFollowers ? await followerIds(tx, r.id) : [])])
    for (const personId of people) {
      await notifier.notify(tx, {
        personId,
        template: 'sr_progress',
        page: detailPage(r),
        data: { thing1: name, thing2: what, time3: chinaTime(new Date()), thing4: note || srStatusLabels[r.status] },
        dedupeKey: `sr:${r.id}:${seq}:progress`,
      })
    }
  }

  async function notifyCommittee(tx: DbOrTx, r: SrRow, seq: number, template: 'sr_todo' | 'sr_overdue', what: string) {
    const name = await categoryName(tx, r)
    for (const personId of await committeeAndWorkers(tx, r.communityId)) {
      await notifier.notify(tx, {
        personId,
        template,
        page: detailPage(r),
        data: { thing1: name, thing2: what, time3: chinaTime(new Date()), thing4: summaryOf(r.description, 20) },
        dedupeKey: `sr:${r.id}:${seq}:${template}`,
      })
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // The state machine applied: one function for every transition, whoever asks (routes, webhook, timers)

  async function act(tx: Tx, r: SrRow, action: SrAction, actor: SrActor, input: ActionInput = {}): Promise<SrRow> {
    const party = partyOf(
      { kind: actor.kind, isReporter: actor.kind === 'resident' && actor.personId === r.reporterPersonId },
      r.handler,
    )
    if (!party)
      throw forbidden(actor.kind === 'resident' ? 'only the reporter may do this' : 'not the handler of this request')
    const check = checkTransition(r.status, action, party)
    if (!check.ok) {
      if (check.reason === 'not_allowed') throw forbidden(`${party} may not ${action}`)
      throw invalidTransition(r, action)
    }
    const note = input.note?.trim() || null
    if (srTransitions[action].noteRequired && !note) throw validation('body.note', `${action} needs a reason`)

    const now = new Date()
    const from = r.status
    const set: Partial<SrRow> = { status: check.to }
    const cancelJobs: string[] = []
    const schedule: { kind: string; runAt: Date }[] = []

    switch (action) {
      case 'accept': {
        set.acceptedAt = r.acceptedAt ?? now
        set.resolveDueAt = resolveDueAt(now, { resolveMinutes: r.resolveMinutes })
        if (r.onTime === null && !metDeadline(now, r.acceptDueAt)) set.onTime = false
        if (r.escalation === 'accept_overdue') set.escalation = null
        cancelJobs.push(JOB.acceptDue)
        schedule.push({ kind: JOB.resolveDue, runAt: set.resolveDueAt })
        break
      }
      case 'resolve': {
        set.resolvedAt = now
        if (!r.firstResolvedAt) {
          set.firstResolvedAt = now
          if (r.onTime === null)
            set.onTime = Boolean(
              r.acceptedAt &&
                metDeadline(r.acceptedAt, r.acceptDueAt) &&
                r.resolveDueAt &&
                metDeadline(now, r.resolveDueAt),
            )
        }
        set.escalation = null
        cancelJobs.push(JOB.resolveDue)
        schedule.push({ kind: JOB.autoClose, runAt: addMinutes(now, AUTO_CLOSE_DAYS * 24 * 60) })
        break
      }
      case 'duplicate': {
        if (!input.duplicateOf) throw validation('duplicateOf', 'the original request is required')
        let [original] = await tx
          .select()
          .from(serviceRequests)
          .where(and(eq(serviceRequests.id, input.duplicateOf), eq(serviceRequests.communityId, r.communityId)))
        if (original?.duplicateOf)
          [original] = await tx.select().from(serviceRequests).where(eq(serviceRequests.id, original.duplicateOf))
        if (!original || original.id === r.id)
          throw validation('duplicateOf', 'no such other request in this community')
        set.duplicateOf = original.id
        set.closedAt = now
        set.escalation = null
        cancelJobs.push(JOB.acceptDue, JOB.resolveDue)
        // the reporter now follows the original instead ("me too"), where the original is visible to them
        if (isPublicLocation(original.locationKind) && original.reporterPersonId !== r.reporterPersonId) {
          await tx
            .insert(srFollowers)
            .values({ requestId: original.id, personId: r.reporterPersonId })
            .onDuplicateKeyUpdate({ set: { personId: sql`${srFollowers.personId}` } })
        }
        break
      }
      case 'reject':
      case 'cancel': {
        set.closedAt = now
        set.escalation = null
        cancelJobs.push(JOB.acceptDue, JOB.resolveDue)
        break
      }
      case 'confirm': {
        const rating = input.rating
        if (!rating) throw validation('overall', 'a rating is required to confirm')
        Object.assign(set, {
          ratingOverall: rating.overall,
          ratingSpeed: rating.speed,
          ratingAttitude: rating.attitude,
          ratingText: rating.text?.trim() || null,
          ratedAt: now,
          closedAt: now,
        })
        cancelJobs.push(JOB.autoClose)
        break
      }
      case 'auto_close': {
        set.closedAt = now
        break
      }
      case 'reopen': {
        set.reopenCount = r.reopenCount + 1
        set.resolveDueAt = resolveDueAt(now, { resolveMinutes: r.resolveMinutes })
        set.resolvedAt = null
        set.escalation = null
        cancelJobs.push(JOB.autoClose)
        schedule.push({ kind: JOB.resolveDue, runAt: set.resolveDueAt })
        break
      }
      case 'assign':
      case 'start':
        break
    }
    if (input.assignee) {
      set.assigneeName = input.assignee.name.trim()
      set.assigneePhoneEnc = input.assignee.phone ? protector.encrypt(input.assignee.phone) : null
    }

    await tx.update(serviceRequests).set(set).where(eq(serviceRequests.id, r.id))
    Object.assign(r, set)
    for (const kind of cancelJobs) await scheduler.cancel(tx, jobKey(kind, r.id))
    for (const j of schedule)
      await scheduler.schedule(tx, {
        kind: j.kind,
        key: jobKey(j.kind, r.id),
        runAt: j.runAt,
        payload: { requestId: r.id },
      })

    const extra = action === 'reopen' ? { reopenReason: note } : {}
    const seq = await record(tx, r, { action, from, actor, at: now, note, extra })

    // who hears about it
    if (party === 'handler' || party === 'system') {
      await notifyReporterSide(tx, r, seq, srActionLabels[action], note, action === 'resolve')
    }
    if (r.handler === 'committee' && action === 'reopen')
      await notifyCommittee(tx, r, seq, 'sr_todo', srActionLabels.reopen)
    return r
  }

  /** Overdue: flag it, record it, tell the committee and worker, the resident and the handler. Once per round. */
  async function escalate(tx: Tx, r: SrRow, reason: SrEscalation): Promise<void> {
    if (r.escalation === reason) return
    const now = new Date()
    const set: Partial<SrRow> = { escalation: reason, escalatedAt: now }
    if (r.onTime === null) set.onTime = false
    await tx.update(serviceRequests).set(set).where(eq(serviceRequests.id, r.id))
    Object.assign(r, set)
    const label = srEscalationLabels[reason]
    const seq = await record(tx, r, {
      action: 'escalate',
      from: r.status,
      actor: { kind: 'system' },
      at: now,
      note: label,
      extra: { escalation: reason },
    })
    await notifyCommittee(tx, r, seq, 'sr_overdue', label)
    await notifyReporterSide(tx, r, seq, '已升级至业委会/社区督办', label, false)
  }

  // ------------------------------------------------------------------------------------------------------------
  // Views

  function visibility(r: SrRow, viewer: Viewer): 'full' | 'public' | null {
    if (r.reporterPersonId === viewer.personId) return 'full'
    if (rolesAllow('service_request.supervise', viewer.roles)) return 'full'
    if (viewer.roles.has('resident') && isPublicLocation(r.locationKind)) return 'public'
    return null
  }

  function toSummary(row: RequestRow, viewerId: number): ServiceRequestSummary {
    const r = row.r
    return {
      id: r.id,
      communityId: r.communityId,
      category: { id: r.categoryId, name: row.categoryName, urgency: row.categoryUrgency },
      handler: r.handler,
      status: r.status,
      location: {
        kind: r.locationKind,
        buildingId: r.buildingId,
        buildingName: row.buildingName,
        unitId: r.unitId,
        unitNumber: row.unitNumber,
        detail: r.locationDetail,
      },
      description: r.description,
      photoCount: row.photoCount,
      followerCount: row.followerCount,
      escalation: r.escalation,
      mine: r.reporterPersonId === viewerId,
      following: row.following === 1,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    }
  }

  function toEvent(e: EventRow & { actorName: string | null }, viewer: Viewer, view: 'full' | 'public'): SrEvent {
    const resident = e.actorKind === 'resident'
    // a resident's name is shown only to that resident and to supervisors; followers stay anonymous to the reporter too
    const showResident = e.actorPersonId === viewer.personId || rolesAllow('service_request.supervise', viewer.roles)
    return {
      seq: e.seq,
      action: e.action as SrEvent['action'],
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      actorKind: e.actorKind,
      actorName: resident ? (showResident ? e.actorName : null) : (e.actorLabel ?? e.actorName ?? null),
      note: view === 'public' && resident ? null : e.note,
      at: e.createdAt.toISOString(),
    }
  }

  async function detailOf(row: RequestRow, viewer: Viewer, view: 'full' | 'public'): Promise<ServiceRequestDetail> {
    const r = row.r
    const [attached, events, reporter] = await Promise.all([
      photos.of(db, { requestId: r.id }),
      eventsOf(db, [r.id]),
      view === 'full'
        ? db.select({ displayName: persons.displayName }).from(persons).where(eq(persons.id, r.reporterPersonId))
        : Promise.resolve([]),
    ])
    const full = view === 'full'
    const isReporter = r.reporterPersonId === viewer.personId
    const supervisor = rolesAllow('service_request.supervise', viewer.roles)
    const phone = full && r.phoneEnc ? protector.decrypt(r.phoneEnc) : null
    const following = row.following === 1
    const actions: ServiceRequestDetail['actions'] = []
    if (isReporter) actions.push(...availableActions(r.status, 'reporter'))
    if (rolesAllow('service_request.handle', viewer.roles)) actions.push(...availableActions(r.status, 'handler'))
    if (isOpenStatus(r.status) && (isReporter || following)) actions.push('urge')
    if (following) actions.push('unfollow')
    else if (followRefusal(r, { isReporter, roles: viewer.roles }) === null) actions.push('follow')
    const summary = toSummary(row, viewer.personId)
    return {
      ...summary,
      location: full ? summary.location : { ...summary.location, unitId: null, unitNumber: null },
      view,
      photos: attached.map(photos.toPhoto),
      answers: full
        ? describeAnswers(parseJson<AttributeDef[]>(row.categoryAttributes), parseJson<AttributeAnswers>(r.answers))
        : null,
      contactTime: full ? r.contactTime : null,
      sharePhone: full ? r.sharePhone : null,
      // the reporter sees their own number masked; supervisors (who may act as handler) see it only with consent
      reporter: full
        ? {
            displayName: reporter[0]?.displayName ?? '',
            phone: phone ? (supervisor && !isReporter && r.sharePhone ? phone : maskPhone(phone)) : null,
          }
        : null,
      assignee:
        full && r.assigneeName
          ? { name: r.assigneeName, phone: r.assigneePhoneEnc ? protector.decrypt(r.assigneePhoneEnc) : null }
          : null,
      acceptDueAt: r.acceptDueAt.toISOString(),
      resolveDueAt: iso(r.resolveDueAt),
      acceptedAt: iso(r.acceptedAt),
      resolvedAt: iso(r.resolvedAt),
      closedAt: iso(r.closedAt),
      escalatedAt: iso(r.escalatedAt),
      duplicateOf: r.duplicateOf,
      reopenCount: r.reopenCount,
      urges: {
        count: r.urgeCount,
        lastAt: iso(r.lastUrgedAt),
        nextAllowedAt: r.lastUrgedAt ? addMinutes(r.lastUrgedAt, URGE_COOLDOWN_MINUTES).toISOString() : null,
      },
      rating: r.ratedAt
        ? {
            overall: r.ratingOverall!,
            speed: r.ratingSpeed!,
            attitude: r.ratingAttitude!,
            text: full ? r.ratingText : null,
            at: r.ratedAt.toISOString(),
          }
        : null,
      actions,
      timeline: events.map((e) => toEvent(e, viewer, view)),
    }
  }

  /** The request as this viewer may see it, or 404 (never revealing that it exists to someone who may not). */
  async function visibleRow(
    communityId: number,
    requestId: number,
    viewer: Viewer,
  ): Promise<{ row: RequestRow; view: 'full' | 'public' }> {
    const [row] = await requestRows(
      db,
      viewer.personId,
      and(eq(serviceRequests.id, requestId), eq(serviceRequests.communityId, communityId)),
    )
    const view = row ? visibility(row.r, viewer) : null
    if (!row || !view) throw notFound('service request')
    return { row, view }
  }

  async function summaries(
    viewerId: number,
    where: SQL | undefined,
    order: SQL[],
    limit: number,
  ): Promise<ServiceRequestSummary[]> {
    const rows = await requestRows(db, viewerId, where)
      .orderBy(...order)
      .limit(limit)
    return rows.map((r) => toSummary(r, viewerId))
  }

  function toCategory(c: CategoryRow): ServiceCategory {
    return {
      id: c.id,
      communityId: c.communityId,
      name: c.name,
      handler: c.handler,
      urgency: c.urgency,
      acceptMinutes: c.acceptMinutes,
      resolveMinutes: c.resolveMinutes,
      attributes: c.attributes,
      active: c.active,
      position: c.position,
    }
  }

  /** Runs a use case on one request under its row lock, in a transaction. */
  async function withRequest<T>(
    communityId: number,
    requestId: number,
    run: (tx: Tx, r: SrRow) => Promise<T>,
  ): Promise<T> {
    return db.transaction(async (tx) => {
      const r = await lockRequest(tx, requestId, communityId)
      if (!r) throw notFound('service request')
      return run(tx, r)
    })
  }

  /** Someone who may not act: 403 if they can see the request, 404 if they cannot even know it exists. */
  function refuse(r: SrRow, viewer: Viewer, message: string): never {
    if (visibility(r, viewer)) throw forbidden(message)
    throw notFound('service request')
  }

  // ------------------------------------------------------------------------------------------------------------
  // Use cases

  return {
    async categories(communityId: number, includeInactive: boolean): Promise<ServiceCategory[]> {
      await ensureDefaultCategories(db, communityId)
      return (await listCategories(db, communityId, includeInactive)).map(toCategory)
    },

    async saveCategory(
      actorId: number,
      communityId: number,
      categoryId: number | null,
      body: ServiceCategoryBody,
    ): Promise<ServiceCategory> {
      const errors = validateAttributeDefs(body.attributes)
      if (errors.length)
        throw new AppError(
          'VALIDATION_FAILED',
          `body.${errors[0]!.field}: ${errors[0]!.message}`,
          errors.map((e) => ({ ...e, field: `body.${e.field}` })),
        )
      const values = {
        name: body.name.trim(),
        handler: body.handler,
        urgency: body.urgency,
        acceptMinutes: body.acceptMinutes,
        resolveMinutes: body.resolveMinutes,
        attributes: body.attributes,
        active: body.active,
        position: body.position,
      }
      const id = await db
        .transaction(async (tx) => {
          let id = categoryId
          if (id === null) {
            await ensureDefaultCategories(tx, communityId)
            const [res] = await tx
              .insert(srCategories)
              .values({ communityId, ...values })
              .$returningId()
            id = res!.id
          } else {
            const [existing] = await tx
              .select()
              .from(srCategories)
              .where(and(eq(srCategories.id, id), eq(srCategories.communityId, communityId)))
              .for('update')
            if (!existing) throw notFound('category')
            await tx.update(srCategories).set(values).where(eq(srCategories.id, id))
          }
          await appendAudit(tx, {
            stream: communityStream(communityId),
            action: categoryId === null ? 'service_category.created' : 'service_category.updated',
            actorPersonId: actorId,
            subjectType: 'service_category',
            subjectId: id,
            data: { ...values },
          })
          return id
        })
        .catch((err) => {
          if (isDuplicateKey(err)) throw new AppError('CONFLICT', `a category named ${values.name} already exists`)
          throw err
        })
      return toCategory((await getCategory(db, communityId, id))!)
    },

    async file(
      personId: number,
      communityId: number,
      body: FileRequestBody,
      idempotencyKey: string | undefined,
    ): Promise<{ detail: ServiceRequestDetail; replay: boolean }> {
      const hash = createHash('sha256').update(canonicalJson(body)).digest('hex')
      const findReplay = async (tx: DbOrTx) => {
        if (!idempotencyKey) return null
        const [prior] = await tx
          .select({
            id: serviceRequests.id,
            hash: serviceRequests.idempotencyHash,
            communityId: serviceRequests.communityId,
          })
          .from(serviceRequests)
          .where(
            and(eq(serviceRequests.reporterPersonId, personId), eq(serviceRequests.idempotencyKey, idempotencyKey)),
          )
        if (!prior) return null
        if (prior.hash !== hash || prior.communityId !== communityId)
          throw new AppError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for a different request')
        return prior.id
      }
      const attempt = () =>
        db.transaction(async (tx) => {
          const replayed = await findReplay(tx)
          if (replayed) return { id: replayed, replay: true }

          const category = await getCategory(tx, communityId, body.categoryId)
          if (!category?.active) throw validation('body.categoryId', 'no such category in this community')

          // where: the reporter's own verified unit, a building of this community, or a public area
          const loc = body.location
          let buildingId: number | null = null
          let unitId: number | null = null
          const detail = loc.detail?.trim() || null
          if (loc.kind === 'unit') {
            if (!loc.unitId) throw validation('body.location.unitId', 'required for a request about your own unit')
            const [home] = await tx
              .select({ unitId: units.id, buildingId: units.buildingId })
              .from(memberships)
              .innerJoin(units, eq(units.id, memberships.unitId))
              .where(
                and(
                  eq(memberships.personId, personId),
                  eq(memberships.unitId, loc.unitId),
                  eq(memberships.communityId, communityId),
                  eq(memberships.state, 'verified'),
                ),
              )
            if (!home) throw validation('body.location.unitId', 'not one of your verified units in this community')
            unitId = home.unitId
            buildingId = home.buildingId
          } else if (loc.kind === 'building') {
            if (!loc.buildingId) throw validation('body.location.buildingId', 'required for a request about a building')
            const [b] = await tx
              .select({ id: buildings.id })
              .from(buildings)
              .where(and(eq(buildings.id, loc.buildingId), eq(buildings.communityId, communityId)))
            if (!b) throw validation('body.location.buildingId', 'no such building in this community')
            buildingId = b.id
          } else {
            if (loc.buildingId || loc.unitId)
              throw validation('body.location', 'a public area names no building or unit; use kind building')
            if (!detail || detail.length < 2)
              throw validation('body.location.detail', 'say where in the community (e.g. 北门岗亭)')
          }

          const answers = validateAnswers(category.attributes, body.answers)
          if (!answers.ok)
            throw new AppError(
              'VALIDATION_FAILED',
              `body.${answers.errors[0]!.field}: ${answers.errors[0]!.message}`,
              answers.errors.map((e) => ({ ...e, field: `body.${e.field}` })),
            )

          const company = category.handler === 'property' ? await currentPropertyCompany(tx, communityId) : null
          const [person] = await tx.select({ phoneEnc: persons.phoneEnc }).from(persons).where(eq(persons.id, personId))
          const now = new Date()
          const sla = { acceptMinutes: category.acceptMinutes, resolveMinutes: category.resolveMinutes }
          const [res] = await tx
            .insert(serviceRequests)
            .values({
              communityId,
              categoryId: category.id,
              reporterPersonId: personId,
              // a property-handled category goes to the committee while the community has no property company
              handler: company ? 'property' : 'committee',
              propertyCompanyId: company?.id ?? null,
              locationKind: loc.kind,
              buildingId,
              unitId,
              locationDetail: detail,
              description: body.description.trim(),
              answers: answers.answers,
              contactTime: body.contactTime?.trim() || null,
              sharePhone: body.sharePhone,
              phoneEnc: person?.phoneEnc ?? null,
              resolveMinutes: sla.resolveMinutes,
              acceptDueAt: acceptDueAt(now, sla),
              idempotencyKey: idempotencyKey ?? null,
              idempotencyHash: idempotencyKey ? hash : null,
              createdAt: now,
            })
            .$returningId()
          const id = res!.id
          await photos.attach(tx, { personId, communityId, field: 'body.photoIds' }, body.photoIds, { requestId: id })
          const [r] = await tx.select().from(serviceRequests).where(eq(serviceRequests.id, id)).for('update')
          await scheduler.schedule(tx, {
            kind: JOB.acceptDue,
            key: jobKey(JOB.acceptDue, id),
            runAt: r!.acceptDueAt,
            payload: { requestId: id },
          })
          const seq = await record(tx, r!, {
            action: 'file',
            from: null,
            actor: { kind: 'resident', personId },
            at: now,
          })
          if (r!.handler === 'committee') await notifyCommittee(tx, r!, seq, 'sr_todo', '新报事')
          return { id, replay: false }
        })
      let outcome: { id: number; replay: boolean }
      try {
        outcome = await attempt()
      } catch (err) {
        // the same Idempotency-Key raced itself: the twin committed first, so answer with its request
        if (idempotencyKey && isDuplicateKey(err) && String((err as Error).message).includes('sr_idempotency'))
          outcome = await attempt()
        else throw err
      }
      const viewer: Viewer = { personId, roles: new Set<Role>(['resident']) }
      const { row } = await visibleRow(communityId, outcome.id, viewer)
      return { detail: await detailOf(row, viewer, 'full'), replay: outcome.replay }
    },

    async detail(communityId: number, requestId: number, viewer: Viewer): Promise<ServiceRequestDetail> {
      const { row, view } = await visibleRow(communityId, requestId, viewer)
      return detailOf(row, viewer, view)
    },

    /** My requests in this community, newest first, each with its timeline. */
    async mine(personId: number, communityId: number): Promise<MyServiceRequest[]> {
      const viewer: Viewer = { personId, roles: new Set<Role>(['resident']) }
      const list = await summaries(
        personId,
        and(eq(serviceRequests.communityId, communityId), eq(serviceRequests.reporterPersonId, personId)),
        [desc(serviceRequests.id)],
        100,
      )
      const events = await eventsOf(
        db,
        list.map((s) => s.id),
      )
      return list.map((s) => ({
        ...s,
        timeline: events.filter((e) => e.requestId === s.id).map((e) => toEvent(e, viewer, 'full')),
      }))
    },

    /**
     * Before filing about shared parts (domain.md §3, duplicate suggestions): open requests of the same category at
     * the same place — the same building, or the same public area by samePlace() — newest first.
     */
    async similar(
      viewerId: number,
      communityId: number,
      q: { categoryId: number; buildingId?: number; place?: string },
    ): Promise<ServiceRequestSummary[]> {
      if (!q.buildingId && !q.place?.trim())
        throw validation('querystring', 'give buildingId (a building) or place (a public area)')
      const scope = and(
        eq(serviceRequests.communityId, communityId),
        eq(serviceRequests.categoryId, q.categoryId),
        inArray(serviceRequests.status, [...OPEN]),
      )
      if (q.buildingId) {
        return summaries(
          viewerId,
          and(scope, eq(serviceRequests.locationKind, 'building'), eq(serviceRequests.buildingId, q.buildingId)),
          [desc(serviceRequests.id)],
          SIMILAR_MAX,
        )
      }
      // a public area is words, not an id: compare the open ones of this category (a bounded number) by their place
      const open = await summaries(
        viewerId,
        and(scope, eq(serviceRequests.locationKind, 'public')),
        [desc(serviceRequests.id)],
        200,
      )
      return open.filter((s) => samePlace(s.location.detail, q.place)).slice(0, SIMILAR_MAX)
    },

    /** The board of a building's shared parts (or of the community's public areas): never who filed them. */
    async board(
      viewerId: number,
      communityId: number,
      buildingId: number | undefined,
      state: 'open' | 'done' | 'all',
    ): Promise<ServiceRequestSummary[]> {
      const statuses =
        state === 'open'
          ? [...OPEN]
          : state === 'done'
            ? SR_STATUSES.filter((s) => !OPEN.includes(s))
            : [...SR_STATUSES]
      return summaries(
        viewerId,
        and(
          eq(serviceRequests.communityId, communityId),
          buildingId
            ? and(eq(serviceRequests.locationKind, 'building'), eq(serviceRequests.buildingId, buildingId))
            : eq(serviceRequests.locationKind, 'public'),
          inArray(serviceRequests.status, statuses),
        ),
        [desc(serviceRequests.id)],
        100,
      )
    },

    /** Every request of the community (supervisors), newest first, paged by id. */
    async list(
      viewerId: number,
      communityId: number,
      q: {
        status?: SrStatus
        handler?: 'property' | 'committee'
        escalated?: boolean
        limit: number
        beforeId?: number
      },
    ): Promise<ServiceRequestSummary[]> {
      return summaries(
        viewerId,
        and(
          eq(serviceRequests.communityId, communityId),
          q.status ? eq(serviceRequests.status, q.status) : undefined,
          q.handler ? eq(serviceRequests.handler, q.handler) : undefined,
          q.escalated === true
            ? isNotNull(serviceRequests.escalation)
            : q.escalated === false
              ? isNull(serviceRequests.escalation)
              : undefined,
          q.beforeId ? lt(serviceRequests.id, q.beforeId) : undefined,
        ),
        [desc(serviceRequests.id)],
        q.limit,
      )
    },

    /** The committee / worker inbox: open requests that are overdue, the longest overdue first. */
    async escalations(viewerId: number, communityId: number) {
      const rows = await requestRows(
        db,
        viewerId,
        and(
          eq(serviceRequests.communityId, communityId),
          isNotNull(serviceRequests.escalation),
          inArray(serviceRequests.status, [...OPEN]),
        ),
      )
        .orderBy(asc(serviceRequests.escalatedAt))
        .limit(200)
      return rows.map((row) => ({
        ...toSummary(row, viewerId),
        escalatedAt: row.r.escalatedAt!.toISOString(),
        acceptDueAt: row.r.acceptDueAt.toISOString(),
        resolveDueAt: iso(row.r.resolveDueAt),
        urgeCount: row.r.urgeCount,
      }))
    },

    async figures(communityId: number, days: 30 | 90): Promise<FiguresReport> {
      const since = new Date(Date.now() - days * 86_400_000)
      const company = await currentPropertyCompany(db, communityId)
      const [community, companyFigures] = await Promise.all([
        serviceFigures(db, { communityId }, since),
        company ? serviceFigures(db, { propertyCompanyId: company.id }, since) : Promise.resolve(null),
      ])
      return {
        days,
        since: since.toISOString(),
        community,
        propertyCompany: company && companyFigures ? { ...company, figures: companyFigures } : null,
      }
    },

    /** The reporter's own actions: cancel (before acceptance), confirm with a rating, reopen with a reason. */
    async reporterAction(
      viewer: Viewer,
      communityId: number,
      requestId: number,
      action: 'cancel' | 'confirm' | 'reopen',
      input: ActionInput,
    ): Promise<ServiceRequestDetail> {
      await withRequest(communityId, requestId, async (tx, r) => {
        if (r.reporterPersonId !== viewer.personId) refuse(r, viewer, 'only the reporter may do this')
        await act(tx, r, action, { kind: 'resident', personId: viewer.personId }, input)
      })
      return this.detail(communityId, requestId, viewer)
    },

    /** The committee / community worker acting as the handler side (for committee categories, or in place of the company). */
    async handlerAction(
      viewer: Viewer,
      communityId: number,
      requestId: number,
      action: SrHandlerAction,
      input: ActionInput,
    ): Promise<ServiceRequestDetail> {
      await withRequest(communityId, requestId, async (tx, r) => {
        await act(tx, r, action, { kind: 'committee', personId: viewer.personId }, input)
      })
      return this.detail(communityId, requestId, viewer)
    },

    /** 催办: the reporter or a follower, on an open request, at most once per cooldown (kept in MySQL). */
    async urge(
      viewer: Viewer,
      communityId: number,
      requestId: number,
    ): Promise<{ count: number; lastAt: string; nextAllowedAt: string }> {
      return withRequest(communityId, requestId, async (tx, r) => {
        const allowed = r.reporterPersonId === viewer.personId || (await isFollower(tx, r.id, viewer.personId))
        if (!allowed) refuse(r, viewer, 'only the reporter or someone who said "me too" may urge')
        if (!isOpenStatus(r.status)) throw invalidTransition(r, 'urge')
        const now = new Date()
        const wait = urgeWaitSeconds(r.lastUrgedAt, now, URGE_COOLDOWN_MINUTES)
        if (wait > 0)
          throw new AppError(
            'URGE_TOO_SOON',
            `urged less than ${URGE_COOLDOWN_MINUTES} minutes ago; retry in ${wait} s`,
            { retryAfter: wait, nextAllowedAt: addMinutes(r.lastUrgedAt!, URGE_COOLDOWN_MINUTES).toISOString() },
          )
        const set = { urgeCount: r.urgeCount + 1, lastUrgedAt: now }
        await tx.update(serviceRequests).set(set).where(eq(serviceRequests.id, r.id))
        Object.assign(r, set)
        const seq = await record(tx, r, {
          action: 'urge',
          from: r.status,
          actor: { kind: 'resident', personId: viewer.personId },
          at: now,
          extra: { urgeCount: r.urgeCount },
        })
        if (r.handler === 'committee') await notifyCommittee(tx, r, seq, 'sr_todo', '居民催办')
        return {
          count: r.urgeCount,
          lastAt: now.toISOString(),
          nextAllowedAt: addMinutes(now, URGE_COOLDOWN_MINUTES).toISOString(),
        }
      })
    },

    /** "Me too" on a shared-area request instead of filing a duplicate; once per person. */
    async follow(
      viewer: Viewer,
      communityId: number,
      requestId: number,
      on: boolean,
    ): Promise<{ following: boolean; followerCount: number }> {
      return withRequest(communityId, requestId, async (tx, r) => {
        if (!isPublicLocation(r.locationKind)) refuse(r, viewer, 'only requests about shared parts can be followed')
        if (on) {
          const refusal = followRefusal(r, { isReporter: r.reporterPersonId === viewer.personId, roles: viewer.roles })
          if (refusal === 'reporter') throw new AppError('CONFLICT', 'you filed this request yourself')
          if (refusal === 'handler')
            throw forbidden('the committee or community worker handles this request; "me too" is for other residents')
          if (refusal === 'not_open') throw invalidTransition(r, 'follow')
          if (refusal) refuse(r, viewer, 'only residents may say "me too"')
          await tx
            .insert(srFollowers)
            .values({ requestId: r.id, personId: viewer.personId })
            .onDuplicateKeyUpdate({ set: { personId: sql`${srFollowers.personId}` } })
        } else {
          await tx
            .delete(srFollowers)
            .where(and(eq(srFollowers.requestId, r.id), eq(srFollowers.personId, viewer.personId)))
        }
        const [n] = await tx
          .select({ n: sql<number>`COUNT(*)`.mapWith(Number) })
          .from(srFollowers)
          .where(eq(srFollowers.requestId, r.id))
        return { following: on, followerCount: n?.n ?? 0 }
      })
    },

    /**
     * The property company's `service_request.status_changed` webhook, inside the webhooks module's transaction:
     * only requests of the integration's communities that this company handles; an impossible step is 409.
     */
    async statusChanged(tx: Tx, raw: unknown, ctx: InboundContext): Promise<InboundResult> {
      const data = raw as ServiceRequestStatusChangedData & { duplicateOf?: unknown }
      if (!(SR_STATUSES as readonly string[]).includes(data.status)) {
        return {
          ok: false,
          status: 400,
          code: 'VALIDATION_FAILED',
          message: `data.status: must be one of ${SR_STATUSES.join(', ')}`,
        }
      }
      const r = await lockRequest(tx, data.requestId, ctx.communityIds)
      if (r?.handler !== 'property' || r.propertyCompanyId !== ctx.propertyCompanyId) {
        return {
          ok: false,
          status: 404,
          code: 'NOT_FOUND',
          message: `service request ${data.requestId} is not one this integration handles`,
        }
      }
      const action = handlerActionTo(r.status, data.status as SrStatus)
      if (!action)
        return {
          ok: false,
          status: 409,
          code: 'INVALID_TRANSITION',
          message: `a property company cannot move a request to ${data.status}`,
        }
      const [company] = await tx
        .select({ name: propertyCompanies.name })
        .from(propertyCompanies)
        .where(eq(propertyCompanies.id, ctx.propertyCompanyId))
      const label = [company?.name ?? '物业', data.handler?.name].filter(Boolean).join(' ')
      try {
        await act(
          tx,
          r,
          action,
          { kind: 'property', propertyCompanyId: ctx.propertyCompanyId, label },
          {
            note: data.note,
            assignee: data.handler,
            duplicateOf: typeof data.duplicateOf === 'number' ? data.duplicateOf : undefined,
          },
        )
      } catch (err) {
        if (err instanceof AppError && (err.status === 400 || err.status === 404 || err.status === 409))
          return { ok: false, status: err.status, code: err.code, message: err.message }
        throw err
      }
      return { ok: true, result: { requestId: r.id, status: r.status, sequence: r.eventSeq } }
    },

    act,
    escalate,
  }
}

export type ServiceRequestService = ReturnType<typeof serviceRequestService>

/**
 * The scheduler's timers for service requests (fire once across instances, survive restarts) and the inbound
 * webhook handler. Each timer re-reads the request under its row lock and does nothing if it has moved on.
 */
export function registerServiceRequests(app: Deps) {
  const service = serviceRequestService(app)
  const locked = async (tx: Tx, payload: Record<string, unknown>) => {
    const [r] = await tx
      .select()
      .from(serviceRequests)
      .where(eq(serviceRequests.id, Number(payload.requestId)))
      .for('update')
    return r
  }
  app.scheduler.handle(JOB.acceptDue, async (payload, tx) => {
    const r = await locked(tx, payload)
    if (r?.status !== 'submitted' || !isOverdue(r.acceptDueAt, new Date())) return
    await service.escalate(tx, r, 'accept_overdue')
  })
  app.scheduler.handle(JOB.resolveDue, async (payload, tx) => {
    const r = await locked(tx, payload)
    if (
      !r ||
      !OPEN.includes(r.status) ||
      r.status === 'submitted' ||
      !r.resolveDueAt ||
      !isOverdue(r.resolveDueAt, new Date())
    )
      return
    await service.escalate(tx, r, 'resolve_overdue')
  })
  app.scheduler.handle(JOB.autoClose, async (payload, tx) => {
    const r = await locked(tx, payload)
    if (
      r?.status !== 'resolved' ||
      !r.resolvedAt ||
      !isOverdue(addMinutes(r.resolvedAt, AUTO_CLOSE_DAYS * 24 * 60), new Date())
    )
      return
    await service.act(tx, r, 'auto_close', { kind: 'system' })
  })
  registerInboundHandler(app, 'service_request.status_changed', (tx, data, ctx) => service.statusChanged(tx, data, ctx))
}
