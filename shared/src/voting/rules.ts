/**
 * The law of owners' decisions (民法典 第278条; 建筑物区分所有权解释 第七、八、九条; 民法典 第1259条: "以上" includes the
 * number itself, "过半数" does not). One implementation, used by the BFF for the official tally and by the
 * mini-program for live figures. Integer arithmetic only: areas are counts of 0.01 m².
 */
export type MatterCategory = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 // 民法典第278条第一款 item number

export interface MatterCount {
  category: MatterCategory
  totalArea: number // all owners' exclusive area, integer, 0.01 m²
  totalOwners: number // owner count per 解释第九条
  participatingArea: number // owners who cast a ballot on this matter (abstentions included)
  participatingOwners: number
  yesArea: number
  yesOwners: number
}

export interface MatterDecision {
  quorumMet: boolean
  passed: boolean // never true when quorumMet is false
  threshold: 'majority' | 'three_quarters' // which rule applied
}

export const MATTER_CATEGORIES = [1, 2, 3, 4, 5, 6, 7, 8, 9] as const

/** 第278条第二款: items 6–8 need three quarters of those voting; the others more than half. */
export const THREE_QUARTER_CATEGORIES: ReadonlySet<MatterCategory> = new Set([6, 7, 8])

export function thresholdOf(category: MatterCategory): MatterDecision['threshold'] {
  return THREE_QUARTER_CATEGORIES.has(category) ? 'three_quarters' : 'majority'
}

function nonNegativeInteger(count: MatterCount, field: keyof MatterCount): number {
  const v = count[field]
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > Number.MAX_SAFE_INTEGER / 4) {
    throw new RangeError(
      `${field} must be a non-negative integer small enough that 4·${field} is exact, got ${String(v)}`,
    )
  }
  return v
}

export function decideMatter(count: MatterCount): MatterDecision {
  if (!MATTER_CATEGORIES.includes(count.category as MatterCategory)) {
    throw new RangeError(`category must be one of 1–9 (民法典第278条第一款), got ${String(count.category)}`)
  }
  const tA = nonNegativeInteger(count, 'totalArea')
  const tN = nonNegativeInteger(count, 'totalOwners')
  const pA = nonNegativeInteger(count, 'participatingArea')
  const pN = nonNegativeInteger(count, 'participatingOwners')
  const yA = nonNegativeInteger(count, 'yesArea')
  const yN = nonNegativeInteger(count, 'yesOwners')
  if (tA === 0) throw new RangeError('totalArea must be positive')
  if (tN === 0) throw new RangeError('totalOwners must be positive')
  if (pA > tA) throw new RangeError(`participatingArea (${pA}) exceeds totalArea (${tA})`)
  if (pN > tN) throw new RangeError(`participatingOwners (${pN}) exceeds totalOwners (${tN})`)
  if (yA > pA) throw new RangeError(`yesArea (${yA}) exceeds participatingArea (${pA})`)
  if (yN > pN) throw new RangeError(`yesOwners (${yN}) exceeds participatingOwners (${pN})`)

  const threshold = thresholdOf(count.category)
  // 第278条第二款: 参与表决 requires two thirds of area AND two thirds of owners ("以上": ≥).
  const quorumMet = 3 * pA >= 2 * tA && 3 * pN >= 2 * tN
  // 四分之三以上: ≥ ; 过半数: strictly more than half
  return {
    quorumMet,
    passed:
      quorumMet &&
      approvalMet({ ...count, yesArea: yA, yesOwners: yN, participatingArea: pA, participatingOwners: pN }, threshold),
    threshold,
  }
}

/** Share in basis points (1/100 of a percent), rounded down, for display only: decisions never use it. */
export function basisPoints(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.floor((part * 10000) / whole)
}

/** "78.56%" from basis points */
export function formatBasisPoints(bp: number): string {
  return `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, '0')}%`
}

export interface MatterFigures extends MatterCount {
  noArea: number
  noOwners: number
  abstainArea: number
  abstainOwners: number
}

/**
 * When a community's 管理规约/议事规则 say non-voters follow the majority (domain.md §1), their weight is added
 * to the side that leads among ballots cast, by area AND by owners; if the two disagree or tie, it is added to
 * neither. This is a separate, labelled tally: the quorum is always the official one, never this.
 */
export function nonVotersFollowMajority(f: MatterFigures): {
  figures: MatterFigures
  decision: MatterDecision
  followed: 'yes' | 'no' | 'none'
} {
  const official = decideMatter(f)
  const restArea = f.totalArea - f.participatingArea
  const restOwners = f.totalOwners - f.participatingOwners
  const followed =
    f.yesArea > f.noArea && f.yesOwners > f.noOwners
      ? 'yes'
      : f.noArea > f.yesArea && f.noOwners > f.yesOwners
        ? 'no'
        : 'none'
  const figures: MatterFigures = {
    ...f,
    participatingArea: followed === 'none' ? f.participatingArea : f.totalArea,
    participatingOwners: followed === 'none' ? f.participatingOwners : f.totalOwners,
    yesArea: f.yesArea + (followed === 'yes' ? restArea : 0),
    yesOwners: f.yesOwners + (followed === 'yes' ? restOwners : 0),
    noArea: f.noArea + (followed === 'no' ? restArea : 0),
    noOwners: f.noOwners + (followed === 'no' ? restOwners : 0),
  }
  // the approval rule is the law's, applied to the augmented figures; the quorum stays the official one
  decideMatter(figures) // the augmented figures must be as consistent as the official ones
  return {
    figures,
    decision: { ...official, passed: official.quorumMet && approvalMet(figures, official.threshold) },
    followed,
  }
}

function approvalMet(f: MatterCount, threshold: MatterDecision['threshold']): boolean {
  return threshold === 'three_quarters'
    ? 4 * f.yesArea >= 3 * f.participatingArea && 4 * f.yesOwners >= 3 * f.participatingOwners
    : 2 * f.yesArea > f.participatingArea && 2 * f.yesOwners > f.participatingOwners
}

export const matterCategoryLabels: Record<MatterCategory, string> = {
  1: '制定和修改业主大会议事规则',
  2: '制定和修改管理规约',
  3: '选举业主委员会或者更换业主委员会成员',
  4: '选聘和解聘物业服务企业或者其他管理人',
  5: '使用建筑物及其附属设施的维修资金',
  6: '筹集建筑物及其附属设施的维修资金',
  7: '改建、重建建筑物及其附属设施',
  8: '改变共有部分的用途或者利用共有部分从事经营活动',
  9: '有关共有和共同管理权利的其他重大事项',
}

/** Plain-Chinese explanations shown next to each matter and on the results page. */
export const ruleExplanations = {
  quorum:
    '表决有效的前提：参与表决的业主，专有部分面积占全体业主面积的三分之二以上，且人数占全体业主人数的三分之二以上。',
  majority: '通过条件：同意的业主，面积超过参与表决面积的一半，且人数超过参与表决人数的一半（弃权算参与，不算同意）。',
  three_quarters:
    '通过条件：同意的业主，面积达到参与表决面积的四分之三以上，且人数达到参与表决人数的四分之三以上（弃权算参与，不算同意）。',
  source:
    '依据：《民法典》第二百七十八条；《最高人民法院关于审理建筑物区分所有权纠纷案件适用法律若干问题的解释》第八、九条。',
} as const

/** The rule that passes a matter, in one line: beside each matter on the ballot and in the committee's form. */
export const thresholdShort: Record<MatterDecision['threshold'], string> = {
  majority: '过半数通过：同意的业主，面积和人数都要超过参与表决的一半',
  three_quarters: '四分之三通过：同意的业主，面积和人数都要达到参与表决的四分之三以上',
}

export const VOTE_STATES = ['draft', 'published', 'open', 'closed', 'announced', 'cancelled'] as const
export type VoteState = (typeof VOTE_STATES)[number]

export const voteStateLabels: Record<VoteState, string> = {
  draft: '草稿',
  published: '已公告',
  open: '表决中',
  closed: '已截止',
  announced: '已公示',
  cancelled: '已取消',
}

/** Allowed transitions of a vote; anything else is INVALID_TRANSITION. */
export const voteTransitions: Record<VoteState, readonly VoteState[]> = {
  draft: ['published', 'cancelled'],
  published: ['open', 'cancelled'],
  open: ['closed'],
  closed: ['announced'],
  announced: [],
  cancelled: [],
}

export const CHOICES = ['yes', 'no', 'abstain'] as const
export type Choice = (typeof CHOICES)[number]
export const choiceLabels: Record<Choice, string> = { yes: '同意', no: '反对', abstain: '弃权' }

/** 物业管理条例 第十四条; 业主大会和业主委员会指导规则 第二十二条: notice at least 15 days before the meeting. */
export const MIN_NOTICE_DAYS = 15
/** The law named wherever a shorter notice is confirmed or shown. */
export const NOTICE_LAW = '《物业管理条例》第十四条、《业主大会和业主委员会指导规则》第二十二条'

const DAY_MS = 86_400_000
const msOf = (t: string | Date | number) =>
  typeof t === 'number' ? t : typeof t === 'string' ? Date.parse(t) : t.getTime()

export interface NoticePeriod {
  /** whole days from the notice to the opening, rounded down */
  days: number
  /** less than MIN_NOTICE_DAYS × 24 h */
  short: boolean
  /** how many days are missing to the legal notice, rounded up (0 when not short): days + shortByDays = 15 */
  shortByDays: number
}

/**
 * The notice period of a vote: from the notice (公告) to the opening of voting, against the legal 15 days. The
 * BFF refuses a short-notice publish without a confirmation; the mini-program asks for it; voters are told.
 */
export function noticePeriod(announcedAt: string | Date | number, opensAt: string | Date | number): NoticePeriod {
  const ms = Math.max(0, msOf(opensAt) - msOf(announcedAt))
  const minimum = MIN_NOTICE_DAYS * DAY_MS
  const short = ms < minimum
  return { days: Math.floor(ms / DAY_MS), short, shortByDays: short ? Math.ceil((minimum - ms) / DAY_MS) : 0 }
}

/**
 * Who sees how each flat voted once the vote has closed (a community rule, frozen into the vote when it is
 * published). Rooms and receipts are always public to the community, so everyone can check their ballot counted.
 * - owners (default): the owners of this vote's roll, as signed written votes are open to owners' inspection
 *   (建筑物区分所有权解释 第十三条); family members and tenants see rooms and receipts only;
 * - residents: everyone who may see the vote, family members and tenants included;
 * - voter: only whoever may vote for that ballot's owner (the owner, co-owners, their proxy).
 * Whoever may vote for a ballot always sees their own.
 */
export const CHOICE_VISIBILITIES = ['owners', 'residents', 'voter'] as const
export type ChoiceVisibility = (typeof CHOICE_VISIBILITIES)[number]
export const DEFAULT_CHOICE_VISIBILITY: ChoiceVisibility = 'owners'

export const choiceVisibilityLabels: Record<ChoiceVisibility, string> = {
  owners: '本次表决的业主',
  residents: '本小区全体住户（含家庭成员、租户）',
  voter: '投票人本人（及其代理人）',
}

/** Said on the ballot before the owner confirms, and on the results page. */
export const choiceVisibilityNotice: Record<ChoiceVisibility, string> = {
  owners:
    '表决截止后，您的选择将对本次表决的业主可见（业主有权查阅表决票）；家庭成员、租户等其他住户只能看到房号和回执码。',
  residents: '表决截止后，您的选择将对本小区全体住户可见（含家庭成员、租户），与房号、回执码一同公示。',
  voter: '您的选择将只对您本人（及代您投票的代理人）可见；公示名单只列房号和回执码。',
}

/** Whether a viewer sees the choices of one ballot after the close. */
export function maySeeChoices(
  visibility: ChoiceVisibility,
  viewer: { ownerOnRoll: boolean; votesForBallot: boolean },
): boolean {
  if (viewer.votesForBallot) return true
  if (visibility === 'residents') return true
  if (visibility === 'owners') return viewer.ownerOnRoll
  return false
}

/** photos of one proxy's signed authorisation (委托书): a page or two, front and back */
export const MAX_AUTHORIZATION_PHOTOS = 3
