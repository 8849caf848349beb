import { describe, expect, it } from 'vitest'
import {
  HANDLER_ACTORS,
  SR_ACTIONS,
  SR_FINAL_STATUSES,
  SR_OPEN_STATUSES,
  SR_STATUSES,
  availableActions,
  checkTransition,
  followRefusal,
  handlerActionTo,
  handlesRequest,
  isOpenStatus,
  isPublicLocation,
  partyOf,
  srTransitions,
  type SrAction,
  type SrParty,
  type SrStatus,
} from '../src/service-requests/rules'
import { srActionLabels, srStatusLabels } from '../src/service-requests/labels'
import type { Role } from '../src/households/roles'

/**
 * The lifecycle of a service request, written out by hand (independently of `srTransitions`): every step that
 * is allowed, by whom, and where it leads. Everything else must be refused.
 */
const ALLOWED: [SrStatus, SrAction, SrParty, SrStatus][] = [
  ['submitted', 'accept', 'handler', 'accepted'],
  ['accepted', 'assign', 'handler', 'assigned'],
  ['reopened', 'assign', 'handler', 'assigned'],
  ['accepted', 'start', 'handler', 'in_progress'],
  ['assigned', 'start', 'handler', 'in_progress'],
  ['reopened', 'start', 'handler', 'in_progress'],
  ['in_progress', 'resolve', 'handler', 'resolved'],
  ['submitted', 'reject', 'handler', 'rejected'],
  ['accepted', 'reject', 'handler', 'rejected'],
  ['submitted', 'duplicate', 'handler', 'duplicate'],
  ['accepted', 'duplicate', 'handler', 'duplicate'],
  ['submitted', 'cancel', 'reporter', 'cancelled'],
  ['resolved', 'confirm', 'reporter', 'closed'],
  ['resolved', 'reopen', 'reporter', 'reopened'],
  ['resolved', 'auto_close', 'system', 'closed'],
]
const PARTIES: SrParty[] = ['reporter', 'handler', 'system']

describe('the state machine', () => {
  it.each(ALLOWED)('%s --%s by %s--> %s', (from, action, party, to) => {
    expect(checkTransition(from, action, party)).toEqual({ ok: true, to })
  })

  it('refuses every other combination of status, action and party (300 in all)', () => {
    let refused = 0
    for (const status of SR_STATUSES) {
      for (const action of SR_ACTIONS) {
        for (const party of PARTIES) {
          const allowed = ALLOWED.some(([f, a, p]) => f === status && a === action && p === party)
          const result = checkTransition(status, action, party)
          expect(result.ok, `${status} ${action} ${party}`).toBe(allowed)
          if (!allowed) {
            refused++
            // a party that never takes this action is refused as such (403); otherwise the status is wrong (409)
            const partyMay = ALLOWED.some(([, a, p]) => a === action && p === party)
            expect(result, `${status} ${action} ${party}`).toEqual({
              ok: false,
              reason: partyMay ? 'invalid_state' : 'not_allowed',
            })
          }
        }
      }
    }
    expect(refused).toBe(SR_STATUSES.length * SR_ACTIONS.length * PARTIES.length - ALLOWED.length)
  })

  it('samples: no cancelling after acceptance, no reopening a closed request, no resolving what was never started', () => {
    expect(checkTransition('accepted', 'cancel', 'reporter')).toEqual({ ok: false, reason: 'invalid_state' })
    expect(checkTransition('closed', 'reopen', 'reporter')).toEqual({ ok: false, reason: 'invalid_state' })
    expect(checkTransition('submitted', 'resolve', 'handler')).toEqual({ ok: false, reason: 'invalid_state' })
    expect(checkTransition('resolved', 'confirm', 'handler')).toEqual({ ok: false, reason: 'not_allowed' })
    expect(checkTransition('submitted', 'accept', 'reporter')).toEqual({ ok: false, reason: 'not_allowed' })
    expect(checkTransition('cancelled', 'accept', 'handler')).toEqual({ ok: false, reason: 'invalid_state' })
  })

  it('final statuses lead nowhere; open statuses are those the handler still works on', () => {
    for (const s of SR_FINAL_STATUSES) for (const p of PARTIES) expect(availableActions(s, p), s).toEqual([])
    expect([...SR_OPEN_STATUSES].sort()).toEqual(['accepted', 'assigned', 'in_progress', 'reopened', 'submitted'])
    expect(isOpenStatus('resolved')).toBe(false)
    expect(isOpenStatus('reopened')).toBe(true)
  })

  it('requires a reason to reject and to reopen, nothing else', () => {
    expect(SR_ACTIONS.filter((a) => srTransitions[a].noteRequired).sort()).toEqual(['reject', 'reopen'])
  })

  it('lists the actions a party may take now', () => {
    expect(availableActions('submitted', 'reporter')).toEqual(['cancel'])
    expect(availableActions('submitted', 'handler')).toEqual(['accept', 'reject', 'duplicate'])
    expect(availableActions('resolved', 'reporter')).toEqual(['confirm', 'reopen'])
    expect(availableActions('reopened', 'handler')).toEqual(['assign', 'start'])
  })

  it('has a label for every status and action', () => {
    for (const s of SR_STATUSES) expect(srStatusLabels[s]).toMatch(/[\u4e00-\u9fff]/)
    for (const a of SR_ACTIONS) expect(srActionLabels[a]).toMatch(/[\u4e00-\u9fff]/)
  })
})

describe('who is which party', () => {
  it('the reporter is a resident who filed it; other residents are nobody', () => {
    expect(partyOf({ kind: 'resident', isReporter: true }, 'property')).toBe('reporter')
    expect(partyOf({ kind: 'resident', isReporter: false }, 'property')).toBeNull()
    expect(partyOf({ kind: 'resident', isReporter: false }, 'committee')).toBeNull()
  })

  it('the property company handles only property categories; the committee handles its own and may stand in for the company', () => {
    expect(partyOf({ kind: 'property', isReporter: false }, 'property')).toBe('handler')
    expect(partyOf({ kind: 'property', isReporter: false }, 'committee')).toBeNull()
    expect(partyOf({ kind: 'committee', isReporter: false }, 'committee')).toBe('handler')
    expect(partyOf({ kind: 'committee', isReporter: false }, 'property')).toBe('handler')
    expect(HANDLER_ACTORS).toEqual({ property: ['property', 'committee'], committee: ['committee'] })
  })

  it('the system is the system (timers)', () => {
    expect(partyOf({ kind: 'system', isReporter: false }, 'property')).toBe('system')
  })

  it('a committee member who filed a request is its reporter when acting as a resident', () => {
    expect(partyOf({ kind: 'resident', isReporter: true }, 'committee')).toBe('reporter')
    expect(
      checkTransition('submitted', 'cancel', partyOf({ kind: 'resident', isReporter: true }, 'committee')!).ok,
    ).toBe(true)
  })
})

describe("the property company's target statuses", () => {
  it('maps each status it may send to the handler action leading there from the current status', () => {
    expect(handlerActionTo('submitted', 'accepted')).toBe('accept')
    expect(handlerActionTo('accepted', 'assigned')).toBe('assign')
    expect(handlerActionTo('reopened', 'in_progress')).toBe('start')
    expect(handlerActionTo('in_progress', 'resolved')).toBe('resolve')
    expect(handlerActionTo('accepted', 'rejected')).toBe('reject')
    expect(handlerActionTo('submitted', 'duplicate')).toBe('duplicate')
  })

  it('names the action even where it is not allowed now (so the refusal is a 409), and none for statuses it never sets', () => {
    expect(handlerActionTo('submitted', 'resolved')).toBe('resolve')
    expect(checkTransition('submitted', 'resolve', 'handler').ok).toBe(false)
    for (const s of ['submitted', 'closed', 'reopened', 'cancelled'] as const)
      expect(handlerActionTo('accepted', s), s).toBeNull()
  })
})

describe('locations', () => {
  it('only a unit is private', () => {
    expect(isPublicLocation('unit')).toBe(false)
    expect(isPublicLocation('building')).toBe(true)
    expect(isPublicLocation('public')).toBe(true)
  })
})

describe('"我也遇到了" (follow): one rule for the BFF and the buttons', () => {
  const roles = (...r: Role[]) => new Set<Role>(r)
  const shared = { status: 'submitted' as const, locationKind: 'building' as const, handler: 'property' as const }
  const neighbour = { isReporter: false, roles: roles('resident') }

  it('lets another resident follow an open request about shared parts, a building or a public area', () => {
    for (const status of SR_OPEN_STATUSES) expect(followRefusal({ ...shared, status }, neighbour), status).toBeNull()
    expect(followRefusal({ ...shared, locationKind: 'public' }, neighbour)).toBeNull()
    expect(followRefusal({ ...shared, handler: 'committee' }, neighbour)).toBeNull()
  })

  it('never for an in-unit request, nor its reporter, nor once it is no longer open', () => {
    expect(followRefusal({ ...shared, locationKind: 'unit' }, neighbour)).toBe('private')
    expect(followRefusal(shared, { ...neighbour, isReporter: true })).toBe('reporter')
    for (const status of [...SR_FINAL_STATUSES, 'resolved'] as const)
      expect(followRefusal({ ...shared, status }, neighbour), status).toBe('not_open')
  })

  it('never for the committee member or community worker who is to handle it, though they live there too', () => {
    for (const handler of ['property', 'committee'] as const) {
      expect(
        followRefusal({ ...shared, handler }, { isReporter: false, roles: roles('resident', 'committee') }),
        handler,
      ).toBe('handler')
      expect(
        followRefusal({ ...shared, handler }, { isReporter: false, roles: roles('resident', 'worker') }),
        handler,
      ).toBe('handler')
      expect(handlesRequest(roles('committee'), handler)).toBe(true)
      expect(handlesRequest(roles('resident'), handler)).toBe(false)
    }
    // the committee acts in place of the property company: property requests are theirs to handle as well
    expect(HANDLER_ACTORS.property).toContain('committee')
    // a platform admin supervises but does not handle, and is no resident
    expect(handlesRequest(roles('admin'), 'property')).toBe(false)
    expect(followRefusal(shared, { isReporter: false, roles: roles('admin') })).toBe('not_resident')
    expect(followRefusal(shared, { isReporter: false, roles: roles() })).toBe('not_resident')
  })

  it('says "reporter" before "handler": a committee member who filed it is refused as its reporter', () => {
    expect(followRefusal(shared, { isReporter: true, roles: roles('resident', 'committee') })).toBe('reporter')
  })
})
