import { Type, type Static } from '@sinclair/typebox'
import { ATTRIBUTE_TYPES, MAX_ATTRIBUTES, MAX_OPTIONS } from '../service-requests/attributes'
import {
  MAX_PHOTOS,
  RATING_MAX,
  RATING_MIN,
  SR_ACTIONS,
  SR_ACTOR_KINDS,
  SR_ESCALATIONS,
  SR_HANDLER_ACTIONS,
  SR_HANDLERS,
  SR_LOCATION_KINDS,
  SR_STATUSES,
  SR_URGENCIES,
} from '../service-requests/rules'
import { SLA_MAX_MINUTES, SLA_MIN_MINUTES } from '../service-requests/sla'
import { PHONE_PATTERN } from '../privacy/mask'
import { Id, StringEnum, Timestamp } from './common'
import { Photo } from './photos'

/** 报事报修 — the contract shared by the BFF routes and the mini-program. */

export const SrStatusSchema = StringEnum(SR_STATUSES)
export const SrHandlerSchema = StringEnum(SR_HANDLERS, {
  description: 'property: the community’s property company; committee: the owners’ committee / community',
})
export const SrUrgencySchema = StringEnum(SR_URGENCIES)
export const SrLocationKindSchema = StringEnum(SR_LOCATION_KINDS, {
  description: 'unit: own unit (private); building: a building’s shared parts; public: a public area of the community',
})
export const SrActorKindSchema = StringEnum(SR_ACTOR_KINDS)
export const SrEscalationSchema = StringEnum(SR_ESCALATIONS)

const Code = Type.String({ pattern: '^[a-z][a-z0-9_]{0,31}$' })

export const AttributeDefSchema = Type.Object(
  {
    code: Code,
    label: Type.String({ minLength: 1, maxLength: 40 }),
    type: StringEnum(ATTRIBUTE_TYPES),
    required: Type.Boolean(),
    options: Type.Optional(
      Type.Array(
        Type.Object(
          { key: Code, label: Type.String({ minLength: 1, maxLength: 40 }) },
          { additionalProperties: false },
        ),
        { maxItems: MAX_OPTIONS },
      ),
    ),
    maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    min: Type.Optional(Type.Number()),
    max: Type.Optional(Type.Number()),
    integer: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)

export const ServiceCategory = Type.Object({
  id: Id,
  communityId: Id,
  name: Type.String(),
  handler: SrHandlerSchema,
  urgency: SrUrgencySchema,
  acceptMinutes: Type.Integer(),
  resolveMinutes: Type.Integer(),
  attributes: Type.Array(AttributeDefSchema),
  active: Type.Boolean(),
  position: Type.Integer(),
})
export type ServiceCategory = Static<typeof ServiceCategory>

export const ServiceCategoryBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 32 }),
    handler: SrHandlerSchema,
    urgency: SrUrgencySchema,
    acceptMinutes: Type.Integer({ minimum: SLA_MIN_MINUTES, maximum: SLA_MAX_MINUTES }),
    resolveMinutes: Type.Integer({ minimum: SLA_MIN_MINUTES, maximum: SLA_MAX_MINUTES }),
    attributes: Type.Array(AttributeDefSchema, { maxItems: MAX_ATTRIBUTES, default: [] }),
    active: Type.Boolean({ default: true }),
    position: Type.Integer({ minimum: 0, maximum: 1000, default: 100 }),
  },
  { additionalProperties: false },
)
export type ServiceCategoryBody = Static<typeof ServiceCategoryBody>

export const CategoryListQuery = Type.Object(
  { all: Type.Optional(Type.Boolean({ description: 'include inactive categories (managers)' })) },
  { additionalProperties: false },
)

export const SrLocationInput = Type.Object(
  {
    kind: SrLocationKindSchema,
    /** kind unit: one of the reporter's verified units */
    unitId: Type.Optional(Id),
    /** kind building (required), or unit (ignored) */
    buildingId: Type.Optional(Id),
    /** where exactly, e.g. "2单元电梯" or "北门岗亭" (required for public) */
    detail: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
)

export const AnswerValue = Type.Union([
  Type.String({ maxLength: 500 }),
  Type.Number(),
  Type.Array(Type.String({ maxLength: 64 }), { maxItems: MAX_OPTIONS }),
])

export const FileRequestBody = Type.Object(
  {
    categoryId: Id,
    description: Type.String({ minLength: 5, maxLength: 1000 }),
    location: SrLocationInput,
    answers: Type.Record(Type.String({ maxLength: 32 }), AnswerValue, { default: {} }),
    photoIds: Type.Array(Id, { maxItems: MAX_PHOTOS, uniqueItems: true, default: [] }),
    contactTime: Type.Optional(
      Type.String({ maxLength: 64, description: 'preferred contact / visit time, e.g. 工作日18:00后' }),
    ),
    sharePhone: Type.Boolean({ description: 'consent to show my phone number to the handler; otherwise it is masked' }),
  },
  { additionalProperties: false },
)
export type FileRequestBody = Static<typeof FileRequestBody>

export const SrLocation = Type.Object({
  kind: SrLocationKindSchema,
  buildingId: Type.Union([Id, Type.Null()]),
  buildingName: Type.Union([Type.String(), Type.Null()]),
  /** only for the reporter and the handler side */
  unitId: Type.Union([Id, Type.Null()]),
  unitNumber: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Union([Type.String(), Type.Null()]),
})

export const SrEvent = Type.Object({
  seq: Type.Integer(),
  action: StringEnum([...SR_ACTIONS, 'file', 'urge', 'escalate'] as const),
  fromStatus: Type.Union([SrStatusSchema, Type.Null()]),
  toStatus: SrStatusSchema,
  actorKind: SrActorKindSchema,
  /** the acting person: shown to the reporter's side and supervisors only, never a resident's to other residents */
  actorName: Type.Union([Type.String(), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
  at: Timestamp,
})
export type SrEvent = Static<typeof SrEvent>

export const SrRating = Type.Object({
  overall: Type.Integer(),
  speed: Type.Integer(),
  attitude: Type.Integer(),
  text: Type.Union([Type.String(), Type.Null()]),
  at: Timestamp,
})

export const ServiceRequestSummary = Type.Object({
  id: Id,
  communityId: Id,
  category: Type.Object({ id: Id, name: Type.String(), urgency: SrUrgencySchema }),
  handler: SrHandlerSchema,
  status: SrStatusSchema,
  location: SrLocation,
  description: Type.String(),
  photoCount: Type.Integer(),
  followerCount: Type.Integer(),
  escalation: Type.Union([SrEscalationSchema, Type.Null()]),
  mine: Type.Boolean(),
  following: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type ServiceRequestSummary = Static<typeof ServiceRequestSummary>

export const ServiceRequestDetail = Type.Object({
  ...ServiceRequestSummary.properties,
  /** 'full': reporter, committee, worker; 'public': another resident (a shared-area request, no identity) */
  view: StringEnum(['full', 'public'] as const),
  photos: Type.Array(Photo),
  answers: Type.Union([
    Type.Array(Type.Object({ code: Type.String(), label: Type.String(), value: Type.String() })),
    Type.Null(),
  ]),
  contactTime: Type.Union([Type.String(), Type.Null()]),
  sharePhone: Type.Union([Type.Boolean(), Type.Null()]),
  reporter: Type.Union([
    Type.Object({ displayName: Type.String(), phone: Type.Union([Type.String(), Type.Null()]) }),
    Type.Null(),
  ]),
  assignee: Type.Union([
    Type.Object({ name: Type.String(), phone: Type.Union([Type.String(), Type.Null()]) }),
    Type.Null(),
  ]),
  acceptDueAt: Timestamp,
  resolveDueAt: Type.Union([Timestamp, Type.Null()]),
  acceptedAt: Type.Union([Timestamp, Type.Null()]),
  resolvedAt: Type.Union([Timestamp, Type.Null()]),
  closedAt: Type.Union([Timestamp, Type.Null()]),
  escalatedAt: Type.Union([Timestamp, Type.Null()]),
  duplicateOf: Type.Union([Id, Type.Null()]),
  reopenCount: Type.Integer(),
  urges: Type.Object({
    count: Type.Integer(),
    lastAt: Type.Union([Timestamp, Type.Null()]),
    nextAllowedAt: Type.Union([Timestamp, Type.Null()]),
  }),
  rating: Type.Union([SrRating, Type.Null()]),
  /** what the caller may do now */
  actions: Type.Array(StringEnum([...SR_ACTIONS, 'urge', 'follow', 'unfollow'] as const)),
  timeline: Type.Array(SrEvent),
})
export type ServiceRequestDetail = Static<typeof ServiceRequestDetail>

/** The escalations inbox (committee, community worker): overdue open requests. */
export const EscalatedRequest = Type.Object({
  ...ServiceRequestSummary.properties,
  escalatedAt: Timestamp,
  acceptDueAt: Timestamp,
  resolveDueAt: Type.Union([Timestamp, Type.Null()]),
  urgeCount: Type.Integer(),
})
export type EscalatedRequest = Static<typeof EscalatedRequest>

export const MyServiceRequest = Type.Object({ ...ServiceRequestSummary.properties, timeline: Type.Array(SrEvent) })
export type MyServiceRequest = Static<typeof MyServiceRequest>

/** Where the new request is: a building (its shared parts), or a public area by the words typed for it. */
export const SimilarQuery = Type.Object(
  {
    categoryId: Id,
    buildingId: Type.Optional(Id),
    place: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: 'a public area, as typed (e.g. 北门岗亭); required without buildingId',
      }),
    ),
  },
  { additionalProperties: false },
)
export const BoardQuery = Type.Object(
  {
    buildingId: Type.Optional(Id),
    state: Type.Optional(StringEnum(['open', 'done', 'all'] as const, { description: 'default open' })),
  },
  { additionalProperties: false },
)
export const RequestListQuery = Type.Object(
  {
    status: Type.Optional(SrStatusSchema),
    handler: Type.Optional(SrHandlerSchema),
    escalated: Type.Optional(Type.Boolean()),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    beforeId: Type.Optional(Id),
  },
  { additionalProperties: false },
)

export const CancelRequestBody = Type.Object(
  { reason: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
)
export const ReopenRequestBody = Type.Object(
  { reason: Type.String({ minLength: 2, maxLength: 500 }) },
  { additionalProperties: false },
)
export const ConfirmRequestBody = Type.Object(
  {
    overall: Type.Integer({ minimum: RATING_MIN, maximum: RATING_MAX }),
    speed: Type.Integer({ minimum: RATING_MIN, maximum: RATING_MAX }),
    attitude: Type.Integer({ minimum: RATING_MIN, maximum: RATING_MAX }),
    text: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
)
export type ConfirmRequestBody = Static<typeof ConfirmRequestBody>

export const Assignee = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 32 }), phone: Type.Optional(Type.String({ pattern: PHONE_PATTERN })) },
  { additionalProperties: false },
)

/** The handler side acting through the BFF: the committee / community worker. */
export const HandlerTransitionBody = Type.Object(
  {
    action: StringEnum(SR_HANDLER_ACTIONS),
    note: Type.Optional(Type.String({ maxLength: 500 })),
    assignee: Type.Optional(Assignee),
    /** action duplicate: the original request (same community) */
    duplicateOf: Type.Optional(Id),
  },
  { additionalProperties: false },
)
export type HandlerTransitionBody = Static<typeof HandlerTransitionBody>

export const UrgeResult = Type.Object({ count: Type.Integer(), lastAt: Timestamp, nextAllowedAt: Timestamp })
export const FollowResult = Type.Object({ following: Type.Boolean(), followerCount: Type.Integer() })

export const FiguresQuery = Type.Object(
  { days: Type.Unsafe<30 | 90>({ type: 'integer', enum: [30, 90], default: 30 }) },
  { additionalProperties: false },
)

const Ratio = Type.Object({
  count: Type.Integer(),
  of: Type.Integer(),
  /** count/of in basis points (1/100 %), rounded down; null when of is 0 */
  basisPoints: Type.Union([Type.Integer(), Type.Null()]),
})
const RatingFigure = Type.Object({ sum: Type.Integer(), mean: Type.Union([Type.Number(), Type.Null()]) })

/**
 * 公众评价机制: the service figures of requests filed in the last `days` days. Times are whole seconds from filing
 * (to the first acceptance, to the first resolution); a median of an even count is the mean of the middle two.
 * On time: accepted within the accept SLA and first resolved within the resolve SLA, out of the requests whose
 * outcome is known (resolved, or already overdue). Reopen rate: reopened at least once, out of those resolved.
 */
export const ServiceFigures = Type.Object({
  requests: Type.Integer(),
  accepted: Type.Integer(),
  resolved: Type.Integer(),
  medianAcceptSeconds: Type.Union([Type.Number(), Type.Null()]),
  medianResolveSeconds: Type.Union([Type.Number(), Type.Null()]),
  onTime: Ratio,
  reopened: Ratio,
  ratings: Type.Object({ count: Type.Integer(), overall: RatingFigure, speed: RatingFigure, attitude: RatingFigure }),
})
export type ServiceFigures = Static<typeof ServiceFigures>

export const FiguresReport = Type.Object({
  days: Type.Integer(),
  since: Timestamp,
  community: ServiceFigures,
  /** the community's current property company, over every community it serves (its property-handled requests) */
  propertyCompany: Type.Union([Type.Object({ id: Id, name: Type.String(), figures: ServiceFigures }), Type.Null()]),
})
export type FiguresReport = Static<typeof FiguresReport>
