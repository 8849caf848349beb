import { describe, expect, it } from 'vitest'
import {
  allowedCommitteeActions,
  committeeActions,
  remindedThisRound,
  reminderRound,
  type VoteForActions,
} from '../src/voting/actions'
import { checkReceiptCode } from '../src/voting/receipts'
import { maySeeChoices, MIN_NOTICE_DAYS, noticePeriod } from '../src/voting/rules'

const H = 3_600_000
const D = 24 * H
const now = Date.parse('2026-12-10T02:00:00.000Z')
const vote = (over: Partial<VoteForActions> = {}): VoteForActions => ({
  state: 'open',
  opensAt: new Date(now - D).toISOString(),
  closesAt: new Date(now + 5 * D).toISOString(),
  earlyCloseAllowed: false,
  lastRemindedAt: null,
  ...over,
})

describe('committeeActions', () => {
  it('offers for each state only what the state allows', () => {
    expect(allowedCommitteeActions(vote({ state: 'draft', opensAt: new Date(now + D).toISOString() }), now)).toEqual([
      'edit',
      'publish',
      'cancel',
    ])
    expect(
      allowedCommitteeActions(vote({ state: 'published', opensAt: new Date(now + D).toISOString() }), now),
    ).toEqual(['cancel', 'extend', 'revokeProxy'])
    expect(allowedCommitteeActions(vote(), now)).toEqual(['extend', 'remind', 'revokeProxy'])
    expect(allowedCommitteeActions(vote({ state: 'closed' }), now)).toEqual(['announce'])
    expect(allowedCommitteeActions(vote({ state: 'announced' }), now)).toEqual([])
    expect(allowedCommitteeActions(vote({ state: 'cancelled' }), now)).toEqual([])
  })

  it('closes early only where the frozen rules allow it, and only before the end time', () => {
    expect(committeeActions(vote(), now).close).toMatchObject({ allowed: false, code: 'EARLY_CLOSE_NOT_ALLOWED' })
    expect(committeeActions(vote({ earlyCloseAllowed: true }), now).close).toEqual({ allowed: true })
    const ended = vote({ earlyCloseAllowed: true, closesAt: new Date(now).toISOString() })
    expect(committeeActions(ended, now).close).toMatchObject({ allowed: false, code: 'INVALID_TRANSITION' })
    expect(committeeActions(ended, now).extend).toMatchObject({ allowed: false, code: 'INVALID_TRANSITION' })
    expect(committeeActions(ended, now).remind).toMatchObject({ allowed: false, code: 'VOTE_NOT_OPEN' })
    expect(committeeActions(ended, now).revokeProxy.allowed).toBe(false)
    expect(committeeActions(vote({ state: 'published', earlyCloseAllowed: true }), now).close.allowed).toBe(false)
  })

  it('publishes a draft only while its end time is ahead', () => {
    const passed = vote({
      state: 'draft',
      opensAt: new Date(now - 3 * D).toISOString(),
      closesAt: new Date(now - 1).toISOString(),
    })
    expect(committeeActions(passed, now).publish).toMatchObject({ allowed: false, code: 'VOTE_WINDOW_PASSED' })
    expect(committeeActions(passed, now).edit.allowed).toBe(true)
  })

  it('reminds within the voting window, one round a day in China time', () => {
    expect(committeeActions(vote({ opensAt: new Date(now + 1).toISOString() }), now).remind).toMatchObject({
      allowed: false,
      code: 'VOTE_NOT_OPEN',
    })
    // 2026-12-10T02:00Z is 10:00 in China; the day there began at 2026-12-09T16:00Z and ends at 2026-12-10T16:00Z
    expect(reminderRound(now)).toBe('2026-12-10')
    expect(reminderRound('2026-12-09T16:00:00.000Z')).toBe('2026-12-10')
    expect(reminderRound('2026-12-09T15:59:59.999Z')).toBe('2026-12-09')
    expect(remindedThisRound(vote({ lastRemindedAt: '2026-12-09T16:00:00.000Z' }), now)).toBe(true)
    expect(remindedThisRound(vote({ lastRemindedAt: '2026-12-09T15:59:00.000Z' }), now)).toBe(false)
    expect(remindedThisRound(vote(), now)).toBe(false)
    // a repeat the same day is accepted (it sends nothing new): the rule still allows it
    expect(committeeActions(vote({ lastRemindedAt: new Date(now - H).toISOString() }), now).remind.allowed).toBe(true)
  })

  it('explains every refusal in Chinese', () => {
    for (const state of ['draft', 'published', 'open', 'closed', 'announced', 'cancelled'] as const) {
      for (const v of Object.values(committeeActions(vote({ state }), now)))
        if (!v.allowed) expect(v.why).toMatch(/[\u4e00-\u9fff]/)
    }
  })
})

describe('noticePeriod', () => {
  it('counts whole days and says by how many the legal 15 are missed', () => {
    const at = Date.parse('2026-12-01T01:00:00.000Z')
    expect(noticePeriod(at, at + 15 * D)).toEqual({ days: 15, short: false, shortByDays: 0 })
    expect(noticePeriod(at, at + 15 * D - 1)).toEqual({ days: 14, short: true, shortByDays: 1 })
    expect(noticePeriod(at, at)).toEqual({ days: 0, short: true, shortByDays: MIN_NOTICE_DAYS })
    expect(noticePeriod(new Date(at).toISOString(), new Date(at + 3 * D + 5 * H).toISOString())).toEqual({
      days: 3,
      short: true,
      shortByDays: 12,
    })
  })
})

describe('checkReceiptCode', () => {
  it('accepts a receipt as people type it', () => {
    expect(checkReceiptCode('3fa9c01b')).toEqual({ ok: true, code: '3FA9C01B' })
    expect(checkReceiptCode(' 3FA9 C01B ')).toEqual({ ok: true, code: '3FA9C01B' })
    expect(checkReceiptCode('３ＦＡ９Ｃ０１Ｂ')).toEqual({ ok: true, code: '3FA9C01B' })
    expect(checkReceiptCode('3FA9C01B77')).toEqual({ ok: true, code: '3FA9C01B77' }) // lengthened on a collision
  })

  it('says what is wrong', () => {
    expect(checkReceiptCode('')).toMatchObject({ ok: false, problem: 'empty' })
    const short = checkReceiptCode('3FA9C')
    expect(short).toMatchObject({ ok: false, problem: 'length' })
    expect(!short.ok && short.message).toContain('回执码是 8 位字母和数字')
    expect(!short.ok && short.message).toContain('您输入了 5 位，少了 3 位')
    expect(
      !checkReceiptCode('3FA9C01B7').ok && (checkReceiptCode('3FA9C01B7') as { message: string }).message,
    ).toContain('多了 1 位')
    const letters = checkReceiptCode('3FA9CO1B')
    expect(letters).toMatchObject({ ok: false, problem: 'characters' })
    expect(!letters.ok && letters.message).toContain('「O」')
    expect(!letters.ok && letters.message).toContain('数字 0')
  })
})

describe('maySeeChoices', () => {
  it('shows choices per the vote rule; a voter always sees their own', () => {
    const tenant = { ownerOnRoll: false, votesForBallot: false }
    const owner = { ownerOnRoll: true, votesForBallot: false }
    const self = { ownerOnRoll: true, votesForBallot: true }
    expect([maySeeChoices('owners', tenant), maySeeChoices('owners', owner), maySeeChoices('owners', self)]).toEqual([
      false,
      true,
      true,
    ])
    expect([maySeeChoices('residents', tenant), maySeeChoices('residents', owner)]).toEqual([true, true])
    expect([
      maySeeChoices('voter', owner),
      maySeeChoices('voter', self),
      maySeeChoices('voter', { ownerOnRoll: false, votesForBallot: true }),
    ]).toEqual([false, true, true])
  })
})
