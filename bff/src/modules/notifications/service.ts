import { and, eq, gt, sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import {
  NOTIFICATION_TEMPLATES,
  messageText,
  notificationTemplateLabels,
  subscribeFieldLimit,
  type NotificationContent,
  type NotificationTemplate,
} from '@linli/shared/notifications'
import { cutText } from '@linli/shared/text'
import type { Subscriptions } from '@linli/shared/schemas'
import { inboxMessages, notificationQuotas, persons } from '../../db/schema'
import type { DbOrTx } from '../../db/client'

/**
 * The one notification adapter. Features call `notify` inside their transaction; the message is kept in the
 * person's 消息 (inbox_messages) in that same transaction, so it is there whatever WeChat does, and goes through
 * the outbox to leave as a WeChat subscribe message only if the person has an acceptance left for that template
 * (one acceptance = one message); otherwise it is recorded as skipped. Nothing else sends to people.
 */
export const SUBSCRIBE_TOPIC = 'wechat.subscribe_message'

export type Notification = NotificationContent & {
  personId: number
  /** mini-program page the message opens (build it with messagePages) */
  page: string
  /** one logical message: the same key is never sent twice */
  dedupeKey: string
}

type Deps = Pick<FastifyInstance, 'db' | 'outbox' | 'wechat' | 'config'>

/** A subscribe message's time field: 2026-12-03 18:40 in China time (UTC+8, no daylight saving), as people read it. */
export const messageTime = (d: Date) =>
  new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')

/** Each field cut to what its WeChat field type holds, between characters (never half an emoji). */
function fitFields(data: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(data).map(([k, v]) => {
      const max = subscribeFieldLimit(k)
      return [k, max === null ? v : cutText(v, max)]
    }),
  )
}

export function notificationService(app: Deps) {
  const { db } = app
  return {
    async notify(tx: DbOrTx, n: Notification): Promise<void> {
      const dedupeKey = `notify:${n.dedupeKey}:${n.personId}`
      const { title, body } = messageText(n)
      await tx
        .insert(inboxMessages)
        .values({ personId: n.personId, dedupeKey, template: n.template, title, body, page: n.page })
        .onDuplicateKeyUpdate({ set: { dedupeKey: sql`${inboxMessages.dedupeKey}` } })
      await app.outbox.enqueue(tx, { topic: SUBSCRIBE_TOPIC, dedupeKey, payload: { ...n, data: fitFields(n.data) } })
    },

    /** After wx.requestSubscribeMessage in the mini-program: each accepted template allows one more message. */
    async addAcceptances(personId: number, accepted: NotificationTemplate[]): Promise<Subscriptions> {
      for (const key of accepted) {
        await db
          .insert(notificationQuotas)
          .values({ personId, templateKey: key, remaining: 1 })
          .onDuplicateKeyUpdate({ set: { remaining: sql`${notificationQuotas.remaining} + 1` } })
      }
      return this.subscriptions(personId)
    },

    async subscriptions(personId: number): Promise<Subscriptions> {
      const rows = await db.select().from(notificationQuotas).where(eq(notificationQuotas.personId, personId))
      return {
        templates: NOTIFICATION_TEMPLATES.map((key) => ({
          key,
          templateId: app.config.wechat.templates[key],
          label: notificationTemplateLabels[key],
          remaining: rows.find((r) => r.templateKey === key)?.remaining ?? 0,
        })),
      }
    },
  }
}

/** Delivery of one subscribe message: spend an acceptance, send, give the acceptance back if sending failed. */
export function registerNotificationDelivery(app: Deps) {
  app.outbox.handle(
    SUBSCRIBE_TOPIC,
    async (payload) => {
      const n = payload as unknown as Notification
      const spend = await app.db
        .update(notificationQuotas)
        .set({ remaining: sql`${notificationQuotas.remaining} - 1` })
        .where(
          and(
            eq(notificationQuotas.personId, n.personId),
            eq(notificationQuotas.templateKey, n.template),
            gt(notificationQuotas.remaining, 0),
          ),
        )
      if ((spend as unknown as [{ affectedRows: number }])[0].affectedRows === 0)
        return { result: 'skipped', note: 'no subscription left for this template' }
      const refund = () =>
        app.db
          .update(notificationQuotas)
          .set({ remaining: sql`${notificationQuotas.remaining} + 1` })
          .where(and(eq(notificationQuotas.personId, n.personId), eq(notificationQuotas.templateKey, n.template)))
      try {
        const [person] = await app.db.select({ openid: persons.openid }).from(persons).where(eq(persons.id, n.personId))
        if (!person) return { result: 'skipped', note: 'person no longer exists' }
        const data = Object.fromEntries(Object.entries(fitFields(n.data)).map(([k, v]) => [k, { value: v }]))
        const outcome = await app.wechat.sendSubscribeMessage({
          openid: person.openid,
          templateId: app.config.wechat.templates[n.template],
          page: n.page,
          data,
        })
        if (outcome === 'refused') return { result: 'skipped', note: 'the user refused (43101)' }
        return { result: 'delivered' }
      } catch (err) {
        await refund()
        return { result: 'retry', error: (err as Error).message }
      }
    },
    { maxAttempts: 6 },
  )
}
