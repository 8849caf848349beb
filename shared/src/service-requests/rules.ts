/**
 * 报事报修: the lifecycle as data (domain.md §3). One table says which action moves a request from which states to
 * which state, and which party may take it; the BFF reads it for every transition (routes and the property
 * company's inbound webhook alike), the mini-program reads it to show the buttons a person may press.
 */
import { rolesAllow, type Role } from '../households/roles'

export const SR_STATUSES = [
  'submitted',
  'accepted',
  'assigned',
  'in_progress',
  'resolved',
  'closed',
  'reopened',
  'rejected',
  'duplicate',
  'cancelled',
] as const
export type SrStatus = (typeof SR_STATUSES)[number]

/** Statuses in which the request still waits for the handler (suggested as "similar", can be urged, SLA runs). */
export const SR_OPEN_STATUSES = [
  'submitted',
  'accepted',
  'assigned',
  'in_progress',
  'reopened',
] as const satisfies readonly SrStatus[]
/** Nothing happens to a request in these any more. */
export const SR_FINAL_STATUSES = ['closed', 'rejected', 'duplicate', 'cancelled'] as const satisfies readonly SrStatus[]

export const SR_ACTIONS = [
  'accept',
  'assign',
  'start',
  'resolve',
  'reject',
  'duplicate',
  'cancel',
  'confirm',
  'reopen',
  'auto_close',
] as const
export type SrAction = (typeof SR_ACTIONS)[number]
/** The actions of the handler side (property company, or the committee / community worker). */
export const SR_HANDLER_ACTIONS = [
  'accept',
  'assign',
  'start',
  'resolve',
  'reject',
  'duplicate',
] as const satisfies readonly SrAction[]
export type SrHandlerAction = (typeof SR_HANDLER_ACTIONS)[number]

/**
 * Who takes part in a request: the reporter (the resident who filed it), the handler side, the system (timers).
 * Which people count as the handler side depends on who handles the category (see HANDLER_ACTORS).
 */
export type SrParty = 'reporter' | 'handler' | 'system'
/** Who did it, as recorded on every event (the actor's id is kept too, but never shown to other residents). */
export const SR_ACTOR_KINDS = ['resident', 'property', 'committee', 'system'] as const
export type SrActorKind = (typeof SR_ACTOR_KINDS)[number]

/** Who handles a category: the community's property company, or the owners' committee / community. */
export const SR_HANDLERS = ['property', 'committee'] as const
export type SrHandler = (typeof SR_HANDLERS)[number]

/**
 * The committee and the community worker act as handler for committee-handled categories, and may act in place
 * of the property company (e.g. when it does not answer); the property company acts through its webhook only on
 * the categories it handles.
 */
export const HANDLER_ACTORS: Record<SrHandler, readonly SrActorKind[]> = {
  property: ['property', 'committee'],
  committee: ['committee'],
}

export interface SrTransition {
  from: readonly SrStatus[]
  to: SrStatus
  by: readonly SrParty[]
  /** the action needs a note (a reason the other side reads) */
  noteRequired: boolean
}

export const srTransitions: Record<SrAction, SrTransition> = {
  accept: { from: ['submitted'], to: 'accepted', by: ['handler'], noteRequired: false },
  assign: { from: ['accepted', 'reopened'], to: 'assigned', by: ['handler'], noteRequired: false },
  start: { from: ['accepted', 'assigned', 'reopened'], to: 'in_progress', by: ['handler'], noteRequired: false },
  resolve: { from: ['in_progress'], to: 'resolved', by: ['handler'], noteRequired: false },
  reject: { from: ['submitted', 'accepted'], to: 'rejected', by: ['handler'], noteRequired: true },
  duplicate: { from: ['submitted', 'accepted'], to: 'duplicate', by: ['handler'], noteRequired: false },
  cancel: { from: ['submitted'], to: 'cancelled', by: ['reporter'], noteRequired: false },
  confirm: { from: ['resolved'], to: 'closed', by: ['reporter'], noteRequired: false },
  reopen: { from: ['resolved'], to: 'reopened', by: ['reporter'], noteRequired: true },
  auto_close: { from: ['resolved'], to: 'closed', by: ['system'], noteRequired: false },
}

export type TransitionCheck = { ok: true; to: SrStatus } | { ok: false; reason: 'not_allowed' | 'invalid_state' }

/**
 * May `party` take `action` on a request in `status`? `not_allowed`: this party never may (403); `invalid_state`:
 * not from this status (409 INVALID_TRANSITION).
 */
export function checkTransition(status: SrStatus, action: SrAction, party: SrParty): TransitionCheck {
  const t = srTransitions[action]
  if (!t) return { ok: false, reason: 'not_allowed' }
  if (!t.by.includes(party)) return { ok: false, reason: 'not_allowed' }
  if (!t.from.includes(status)) return { ok: false, reason: 'invalid_state' }
  return { ok: true, to: t.to }
}

/** Which party an actor is for a request: its reporter, the handler side (per HANDLER_ACTORS), or none. */
export function partyOf(actor: { kind: SrActorKind; isReporter: boolean }, handler: SrHandler): SrParty | null {
  if (actor.kind === 'system') return 'system'
  if (actor.kind === 'resident') return actor.isReporter ? 'reporter' : null
  return HANDLER_ACTORS[handler].includes(actor.kind) ? 'handler' : null
}

/**
 * Is someone with these roles in the request's community the handler side of it? The committee and the community
 * worker act as handler through the `service_request.handle` permission wherever HANDLER_ACTORS lets the
 * committee act (their own categories, and in place of the property company).
 */
export function handlesRequest(roles: ReadonlySet<Role>, handler: SrHandler): boolean {
  return rolesAllow('service_request.handle', roles) && HANDLER_ACTORS[handler].includes('committee')
}

/** Why a person may not say "我也遇到了" (follow) on a request; null when they may. */
export type FollowRefusal = 'private' | 'reporter' | 'handler' | 'not_resident' | 'not_open'

/**
 * "Me too" is for other residents affected by the same problem about shared parts (FixMyStreet's "I have this
 * problem too", instead of a duplicate report): never for an in-unit request, never for its reporter, never for
 * whoever is to handle it (they act on it instead), and only while it is open. Stopping to follow is always allowed.
 * The BFF refuses by this; the mini-program offers the button by it.
 */
export function followRefusal(
  request: { status: SrStatus; locationKind: SrLocationKind; handler: SrHandler },
  viewer: { isReporter: boolean; roles: ReadonlySet<Role> },
): FollowRefusal | null {
  if (!isPublicLocation(request.locationKind)) return 'private'
  if (viewer.isReporter) return 'reporter'
  if (handlesRequest(viewer.roles, request.handler)) return 'handler'
  if (!rolesAllow('service_request.file', viewer.roles)) return 'not_resident'
  if (!isOpenStatus(request.status)) return 'not_open'
  return null
}

/** The actions a party may take now (for buttons). */
export function availableActions(status: SrStatus, party: SrParty): SrAction[] {
  return SR_ACTIONS.filter((a) => checkTransition(status, a, party).ok)
}

/** The handler action that leads to `status` from `current` (the property company's webhook sends target statuses). */
export function handlerActionTo(current: SrStatus, target: SrStatus): SrHandlerAction | null {
  const candidates = SR_HANDLER_ACTIONS.filter((a) => srTransitions[a].to === target)
  return candidates.find((a) => srTransitions[a].from.includes(current)) ?? candidates[0] ?? null
}

export const isOpenStatus = (s: SrStatus): boolean => (SR_OPEN_STATUSES as readonly SrStatus[]).includes(s)
export const isFinalStatus = (s: SrStatus): boolean => (SR_FINAL_STATUSES as readonly SrStatus[]).includes(s)

/** Where the problem is: the reporter's own unit (private), a building, or a public area of the community. */
export const SR_LOCATION_KINDS = ['unit', 'building', 'public'] as const
export type SrLocationKind = (typeof SR_LOCATION_KINDS)[number]
/** Only requests about shared parts are shown to other residents (never who filed them). */
export const isPublicLocation = (k: SrLocationKind): boolean => k !== 'unit'

export const SR_URGENCIES = ['low', 'normal', 'high', 'urgent'] as const
export type SrUrgency = (typeof SR_URGENCIES)[number]

export const SR_ESCALATIONS = ['accept_overdue', 'resolve_overdue'] as const
export type SrEscalation = (typeof SR_ESCALATIONS)[number]

/** ejyy: an owner may urge (催办) a request again only after a cooldown. */
export const URGE_COOLDOWN_MINUTES = 5
/** a resolved request the reporter neither confirms nor reopens is closed by the system after this long */
export const AUTO_CLOSE_DAYS = 7
export const MAX_PHOTOS = 9
export const RATING_MIN = 1
export const RATING_MAX = 5
