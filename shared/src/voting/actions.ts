import { voteTransitions, type VoteState } from './rules'

/**
 * What the owners' committee may do to a vote, decided from the vote's state, the community rules frozen into it
 * when it was published, and the time. One function: the BFF authorises each committee action with it, and the
 * mini-program offers only the buttons it allows (so nothing is offered and then refused).
 */
export const COMMITTEE_ACTIONS = [
  'edit',
  'publish',
  'cancel',
  'extend',
  'close',
  'remind',
  'announce',
  'revokeProxy',
] as const
export type CommitteeAction = (typeof COMMITTEE_ACTIONS)[number]

/** The error codes a refusal carries (shared/src/errors.ts). */
export type ActionRefusalCode =
  | 'INVALID_TRANSITION'
  | 'EARLY_CLOSE_NOT_ALLOWED'
  | 'VOTE_NOT_OPEN'
  | 'VOTE_WINDOW_PASSED'

export type ActionVerdict = { allowed: true } | { allowed: false; code: ActionRefusalCode; why: string }

export interface VoteForActions {
  state: VoteState
  opensAt: string | Date
  closesAt: string | Date
  /** frozen at publish from the community rule earlyCloseAllowed */
  earlyCloseAllowed: boolean
  /** when the committee's latest reminder round began, if any */
  lastRemindedAt: string | Date | null
}

const msOf = (t: string | Date | number) =>
  typeof t === 'number' ? t : typeof t === 'string' ? Date.parse(t) : t.getTime()

/**
 * The committee's reminders go out at most once a day, the day as the community lives it (China time, UTC+8, no
 * daylight saving): each owner gets one message per round, so asking again the same day sends nothing new.
 */
export function reminderRound(t: string | Date | number): string {
  return new Date(msOf(t) + 8 * 60 * 60 * 1000).toISOString().slice(0, 10)
}

/** Whether the committee has already reminded this round (another request today is accepted and sends nothing). */
export function remindedThisRound(vote: Pick<VoteForActions, 'lastRemindedAt'>, now: number = Date.now()): boolean {
  return vote.lastRemindedAt !== null && reminderRound(vote.lastRemindedAt) === reminderRound(now)
}
const yes: ActionVerdict = { allowed: true }
const no = (code: ActionRefusalCode, why: string): ActionVerdict => ({ allowed: false, code, why })

export function committeeActions(
  vote: VoteForActions,
  now: number = Date.now(),
): Record<CommitteeAction, ActionVerdict> {
  const { state } = vote
  const opensAt = msOf(vote.opensAt)
  const closesAt = msOf(vote.closesAt)
  const ended = now >= closesAt
  const running = state === 'published' || state === 'open'
  const stateIs = (ok: boolean, why: string) => (ok ? yes : no('INVALID_TRANSITION', why))
  // the state changes an action makes are the vote's state machine (voteTransitions), not a second copy of it
  const leadsTo = (to: VoteState) => voteTransitions[state].includes(to)

  const close = (): ActionVerdict => {
    if (!leadsTo('closed')) return no('INVALID_TRANSITION', '只有表决中的表决可以提前结束')
    if (ended) return no('INVALID_TRANSITION', '截止时间已到，系统正在结束投票')
    // 议事规则: whether the committee may end a vote before its announced end time is the community's rule
    if (!vote.earlyCloseAllowed)
      return no('EARLY_CLOSE_NOT_ALLOWED', '本小区议事规则不允许提前结束表决，投票到截止时间自动结束')
    return yes
  }
  return {
    edit: stateIs(state === 'draft', '发布后表决事项已冻结，不能再修改'),
    publish: !leadsTo('published')
      ? no('INVALID_TRANSITION', '只有草稿可以发布')
      : ended
        ? no('VOTE_WINDOW_PASSED', '投票截止时间已过，请先修改草稿的时间')
        : yes,
    // once voting has opened, a vote ends by its close (on time, or early where the rules allow), never by a cancel
    cancel: stateIs(leadsTo('cancelled'), '投票开始后不能取消表决'),
    extend: !running
      ? no('INVALID_TRANSITION', '只有已公告或表决中的表决可以延期')
      : ended
        ? no('INVALID_TRANSITION', '截止时间已到，不能再延期')
        : yes,
    close: close(),
    remind: state !== 'open' || now < opensAt || ended ? no('VOTE_NOT_OPEN', '只能在投票期间提醒未投票的业主') : yes,
    announce: stateIs(leadsTo('announced'), '投票结束后才能公示结果'),
    revokeProxy: !running || ended ? no('INVALID_TRANSITION', '投票结束后不能再撤销委托') : yes,
  }
}

/** The committee actions a vote allows now, in the order the buttons are shown. */
export function allowedCommitteeActions(vote: VoteForActions, now: number = Date.now()): CommitteeAction[] {
  const verdicts = committeeActions(vote, now)
  return COMMITTEE_ACTIONS.filter((a) => verdicts[a].allowed)
}
