import { Type, type Static } from '@sinclair/typebox'
import { NOTIFICATION_TEMPLATES } from '../notifications'
import { StringEnum } from './common'

export const NotificationTemplateSchema = StringEnum(NOTIFICATION_TEMPLATES)

/** After wx.requestSubscribeMessage: the templates the user accepted (each acceptance = one message). */
export const SubscriptionsBody = Type.Object(
  { accepted: Type.Array(NotificationTemplateSchema, { minItems: 1, maxItems: 3 }) },
  { additionalProperties: false },
)
export type SubscriptionsBody = Static<typeof SubscriptionsBody>

export const Subscriptions = Type.Object({
  templates: Type.Array(
    Type.Object({
      key: NotificationTemplateSchema,
      templateId: Type.String(),
      label: Type.String(),
      remaining: Type.Integer(),
    }),
  ),
})
export type Subscriptions = Static<typeof Subscriptions>
