import { Type, type Static } from '@sinclair/typebox'
import { CHOICE_VISIBILITIES, CHOICES, MATTER_CATEGORIES, MAX_AUTHORIZATION_PHOTOS, VOTE_STATES } from '../voting/rules'
import { UNIT_KINDS, AREA_SOURCES } from '../units/area'
import { Id, StringEnum, Timestamp } from './common'
import { Photo } from './photos'

/** 业主大会电子表决 — the contract shared by the BFF routes and the mini-program. Areas are integers of 0.01 m². */

export const MatterCategorySchema = Type.Unsafe<(typeof MATTER_CATEGORIES)[number]>({
  type: 'integer',
  enum: [...MATTER_CATEGORIES],
})
export const ChoiceSchema = StringEnum(CHOICES, { description: 'yes 同意 / no 反对 / abstain 弃权' })
export const VoteStateSchema = StringEnum(VOTE_STATES)
export const ThresholdSchema = StringEnum(['majority', 'three_quarters'] as const)
export const ChoiceVisibilitySchema = StringEnum(CHOICE_VISIBILITIES, {
  description:
    "who sees each flat's choices after the close: owners of the roll (default), every resident, or only whoever votes for that flat",
})

export const Matter = Type.Object({
  id: Id,
  position: Type.Integer(),
  category: MatterCategorySchema,
  text: Type.String(),
  threshold: ThresholdSchema,
})
export type Matter = Static<typeof Matter>

/** Figures of one matter: what was counted, the shares (basis points, display only) and the decision. */
export const Tally = Type.Object({
  totalArea: Type.Integer(),
  totalOwners: Type.Integer(),
  participatingArea: Type.Integer(),
  participatingOwners: Type.Integer(),
  yesArea: Type.Integer(),
  yesOwners: Type.Integer(),
  noArea: Type.Integer(),
  noOwners: Type.Integer(),
  abstainArea: Type.Integer(),
  abstainOwners: Type.Integer(),
  /** basis points: participating/total, yes|no|abstain/participating (area and owners) */
  shares: Type.Object({
    participatingArea: Type.Integer(),
    participatingOwners: Type.Integer(),
    yesArea: Type.Integer(),
    yesOwners: Type.Integer(),
    noArea: Type.Integer(),
    noOwners: Type.Integer(),
    abstainArea: Type.Integer(),
    abstainOwners: Type.Integer(),
  }),
  quorumMet: Type.Boolean(),
  passed: Type.Boolean(),
  threshold: ThresholdSchema,
})
export type Tally = Static<typeof Tally>

export const MatterResult = Type.Object({
  matterId: Id,
  official: Tally,
  /** only when the community's rules add non-voters to the majority: a separate, labelled tally */
  nonVotersFollowMajority: Type.Union([
    Type.Object({ tally: Tally, followed: StringEnum(['yes', 'no', 'none'] as const) }),
    Type.Null(),
  ]),
})
export type MatterResult = Static<typeof MatterResult>

export const Participation = Type.Object({
  totalArea: Type.Integer(),
  totalOwners: Type.Integer(),
  participatingArea: Type.Integer(),
  participatingOwners: Type.Integer(),
})
export type Participation = Static<typeof Participation>

export const VoteSummary = Type.Object({
  id: Id,
  communityId: Id,
  title: Type.String(),
  state: VoteStateSchema,
  announcedAt: Timestamp,
  opensAt: Timestamp,
  closesAt: Timestamp,
  matterCount: Type.Integer(),
  /** frozen at publish: whether the committee may close before closesAt (decides the actions offered) */
  earlyCloseAllowed: Type.Boolean(),
  /** when the committee's latest reminder round began (one round a day: shared/src/voting/actions.ts) */
  lastRemindedAt: Type.Union([Timestamp, Type.Null()]),
})
export type VoteSummary = Static<typeof VoteSummary>

export const VoteDetail = Type.Object({
  id: Id,
  communityId: Id,
  title: Type.String(),
  noticeText: Type.String(),
  state: VoteStateSchema,
  /** when the notice (公告) is published; the law asks for at least 15 days before voting opens */
  announcedAt: Timestamp,
  opensAt: Timestamp,
  closesAt: Timestamp,
  noticeDays: Type.Integer(),
  noticeTooShort: Type.Boolean(),
  /** why the committee published with less than the legal notice, as confirmed at publish (null otherwise) */
  shortNoticeReason: Type.Union([Type.String(), Type.Null()]),
  allowChange: Type.Boolean(),
  hideResultsUntilClose: Type.Boolean(),
  nonVotersFollowMajority: Type.Boolean(),
  parkingCounts: Type.Boolean(),
  earlyCloseAllowed: Type.Boolean(),
  choicesVisibleTo: ChoiceVisibilitySchema,
  lastRemindedAt: Type.Union([Timestamp, Type.Null()]),
  matters: Type.Array(Matter),
  /** SHA-256 of the frozen roll and of the frozen items, published when the vote is published */
  fingerprints: Type.Union([Type.Object({ roll: Type.String(), items: Type.String() }), Type.Null()]),
  participation: Type.Union([Participation, Type.Null()]),
  /** per-option results: after close, or live when the vote does not hide them */
  results: Type.Union([Type.Array(MatterResult), Type.Null()]),
  extensions: Type.Array(Type.Object({ from: Timestamp, to: Timestamp, reason: Type.String(), at: Timestamp })),
  publishedAt: Type.Union([Timestamp, Type.Null()]),
  openedAt: Type.Union([Timestamp, Type.Null()]),
  closedAt: Type.Union([Timestamp, Type.Null()]),
  resultsAnnouncedAt: Type.Union([Timestamp, Type.Null()]),
})
export type VoteDetail = Static<typeof VoteDetail>

export const MatterInput = Type.Object(
  { category: MatterCategorySchema, text: Type.String({ minLength: 2, maxLength: 2000 }) },
  { additionalProperties: false },
)

export const CreateVoteBody = Type.Object(
  {
    title: Type.String({ minLength: 2, maxLength: 100 }),
    noticeText: Type.String({ minLength: 2, maxLength: 20000 }),
    matters: Type.Array(MatterInput, { minItems: 1, maxItems: 30 }),
    announcedAt: Timestamp,
    opensAt: Timestamp,
    closesAt: Timestamp,
    hideResultsUntilClose: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
)
export type CreateVoteBody = Static<typeof CreateVoteBody>

/**
 * Publishing with less than the legal notice (物业管理条例 第十四条; 指导规则 第二十二条: 15 days) needs the
 * committee's explicit confirmation and its reason, both kept in the vote's hash-chained log and shown to voters.
 */
export const PublishVoteBody = Type.Object(
  {
    shortNotice: Type.Optional(
      Type.Object(
        {
          confirmed: Type.Literal(true),
          noticeDays: Type.Integer({
            minimum: 0,
            description: 'the notice in whole days as the committee saw it; must match the vote',
          }),
          reason: Type.String({ minLength: 4, maxLength: 500 }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
)
export type PublishVoteBody = Static<typeof PublishVoteBody>

export const ExtendVoteBody = Type.Object(
  { closesAt: Timestamp, reason: Type.String({ minLength: 2, maxLength: 500 }) },
  { additionalProperties: false },
)
export type ExtendVoteBody = Static<typeof ExtendVoteBody>

export const RollUnit = Type.Object({
  unitId: Id,
  label: Type.String({ description: 'building and number, e.g. 1栋 101' }),
  kind: StringEnum(UNIT_KINDS),
  areaCenti: Type.Integer(),
  areaSource: StringEnum(AREA_SOURCES),
})
export type RollUnit = Static<typeof RollUnit>

/** One owner of the roll (解释第九条): counts once, with the summed area of all its units. */
export const RollEntry = Type.Object({
  ownerKey: Type.String(),
  isDeveloper: Type.Boolean(),
  holders: Type.Array(Type.String({ description: 'names, masked' })),
  units: Type.Array(RollUnit),
  areaCenti: Type.Integer(),
})
export type RollEntry = Static<typeof RollEntry>

export const RollSummary = Type.Object({
  totalArea: Type.Integer(),
  totalOwners: Type.Integer(),
  fingerprint: Type.String(),
  entries: Type.Array(RollEntry),
})
export type RollSummary = Static<typeof RollSummary>

/** What the caller may vote for in this vote: their own owner entries, and those they hold a proxy for. */
export const MyEntry = Type.Object({
  entry: RollEntry,
  /** share of the total area and owners, basis points */
  weight: Type.Object({ areaShare: Type.Integer(), ownerShare: Type.Integer() }),
  via: StringEnum(['owner', 'proxy'] as const),
  /** the ballot that currently counts for this entry, if any */
  ballot: Type.Union([
    Type.Object({ receipt: Type.String(), revision: Type.Integer(), castAt: Timestamp, castByMe: Type.Boolean() }),
    Type.Null(),
  ]),
  /** an active proxy this owner granted (then only the proxy may vote) */
  proxy: Type.Union([
    Type.Object({ id: Id, proxyName: Type.String(), state: StringEnum(['active', 'used', 'revoked'] as const) }),
    Type.Null(),
  ]),
})
export type MyEntry = Static<typeof MyEntry>

export const CastBallotBody = Type.Object(
  {
    ownerKey: Type.String({ minLength: 1, maxLength: 80 }),
    choices: Type.Array(Type.Object({ matterId: Id, choice: ChoiceSchema }, { additionalProperties: false }), {
      minItems: 1,
      maxItems: 30,
    }),
  },
  { additionalProperties: false },
)
export type CastBallotBody = Static<typeof CastBallotBody>

export const BallotReceipt = Type.Object({
  voteId: Id,
  ownerKey: Type.String(),
  receipt: Type.String({ description: 'short code to find the ballot on the public list after close' }),
  revision: Type.Integer(),
  castAt: Timestamp,
  viaProxy: Type.Boolean(),
})
export type BallotReceipt = Static<typeof BallotReceipt>

/** After close: every counted ballot with room numbers and receipt, names masked; choices as the vote's rules allow. */
export const PublicBallot = Type.Object({
  receipt: Type.String(),
  rooms: Type.Array(Type.String()),
  holdersMasked: Type.Array(Type.String()),
  viaProxy: Type.Boolean(),
  /** null when the vote's rules (choicesVisibleTo) do not show this viewer how the flat voted */
  choices: Type.Union([Type.Array(Type.Object({ matterId: Id, choice: ChoiceSchema })), Type.Null()]),
})
export type PublicBallot = Static<typeof PublicBallot>

export const ReceiptCheck = Type.Object({
  found: Type.Boolean(),
  counted: Type.Boolean({ description: 'the ballot with this receipt is the one that counts for its owner' }),
  ballot: Type.Union([PublicBallot, Type.Null()]),
})
export type ReceiptCheck = Static<typeof ReceiptCheck>

export const GrantProxyBody = Type.Object(
  {
    ownerKey: Type.String({ minLength: 1, maxLength: 80 }),
    proxyPhone: Type.String({ pattern: '^1[3-9][0-9]{9}$', description: 'the proxy logs in with this bound phone' }),
    proxyName: Type.String({ minLength: 1, maxLength: 32 }),
    /** at least one of the two: the authorisation as typed or transcribed, or photos of the signed paper */
    authorizationText: Type.Optional(
      Type.String({
        minLength: 10,
        maxLength: 5000,
        description: 'the written authorization (委托书) as typed or transcribed',
      }),
    ),
    authorizationPhotoIds: Type.Optional(
      Type.Array(Id, {
        minItems: 1,
        maxItems: MAX_AUTHORIZATION_PHOTOS,
        uniqueItems: true,
        description: 'photos of the signed authorization, uploaded first (POST /communities/{communityId}/photos)',
      }),
    ),
  },
  { additionalProperties: false },
)
export type GrantProxyBody = Static<typeof GrantProxyBody>

export const VoteProxy = Type.Object({
  id: Id,
  voteId: Id,
  ownerKey: Type.String(),
  rooms: Type.Array(Type.String()),
  grantorName: Type.String(),
  proxyName: Type.String(),
  proxyPhoneMasked: Type.String(),
  authorizationText: Type.Union([Type.String(), Type.Null()]),
  /** photos of the signed authorisation, through signed links */
  authorizationPhotos: Type.Array(Photo),
  state: StringEnum(['active', 'used', 'revoked'] as const),
  createdAt: Timestamp,
  revokedAt: Type.Union([Timestamp, Type.Null()]),
  revokeReason: Type.Union([Type.String(), Type.Null()]),
})
export type VoteProxy = Static<typeof VoteProxy>

export const RevokeProxyBody = Type.Object(
  { reason: Type.String({ minLength: 2, maxLength: 200 }) },
  { additionalProperties: false },
)
