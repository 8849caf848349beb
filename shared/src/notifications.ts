import { cutText } from './text'

/**
 * Subscribe-message templates the product sends (WeChat: each user acceptance allows ONE message). The
 * template ids are configuration; the mini-program asks the BFF for them before wx.requestSubscribeMessage.
 */
export const NOTIFICATION_TEMPLATES = ['vote_reminder', 'vote_result', 'sr_progress', 'sr_todo', 'sr_overdue'] as const
export type NotificationTemplate = (typeof NOTIFICATION_TEMPLATES)[number]

export const notificationTemplateLabels: Record<NotificationTemplate, string> = {
  vote_reminder: '业主表决截止提醒',
  vote_result: '业主表决结果公示通知',
  sr_progress: '报事报修进度通知',
  sr_todo: '报事报修待办提醒',
  sr_overdue: '报事报修超时提醒',
}

/**
 * How many characters each kind of subscribe-message field holds (WeChat's template field types, named by the
 * key's prefix: thing1, phrase2, time3…). Longer values are refused by WeChat, so they are cut before sending.
 */
const FIELD_LIMITS: [prefix: string, max: number][] = [
  ['character_string', 32],
  ['thing', 20],
  ['phrase', 5],
  ['name', 10],
  ['number', 32],
  ['letter', 32],
  ['symbol', 5],
  ['car_number', 8],
  ['phone_number', 17],
]

export function subscribeFieldLimit(key: string): number | null {
  return FIELD_LIMITS.find(([prefix]) => key.startsWith(prefix))?.[1] ?? null
}

/**
 * The fields each template carries, as its WeChat template defines them (the key's prefix is the field type).
 * The same data makes the subscribe message and the copy kept in the person's 消息 (inbox), so the two say
 * the same thing.
 */
export interface NotificationData {
  /** 业主表决截止提醒: vote title, deadline, what to do */
  vote_reminder: { thing1: string; time2: string; thing3: string }
  /** 业主表决结果公示通知: vote title, 结果已公示 */
  vote_result: { thing1: string; phrase2: string }
  /** 报事报修进度通知: category, the step, time, the handler's note or the new status */
  sr_progress: { thing1: string; thing2: string; time3: string; thing4: string }
  /** 报事报修待办提醒 (committee, worker): category, what happened, time, the description's start */
  sr_todo: { thing1: string; thing2: string; time3: string; thing4: string }
  /** 报事报修超时提醒 (committee, worker): category, which deadline passed, time, the description's start */
  sr_overdue: { thing1: string; thing2: string; time3: string; thing4: string }
}

/** One message of one template with its data (a union over the templates, so each has its own fields). */
export type NotificationContent = {
  [T in NotificationTemplate]: { template: T; data: NotificationData[T] }
}[NotificationTemplate]

/** The longest title and body kept in the inbox (the columns' sizes). */
export const INBOX_TITLE_MAX = 64
export const INBOX_BODY_MAX = 500

/**
 * What the person reads in 消息, in Chinese, from the subscribe message's own data (uncut: the inbox has room
 * for a whole vote title). One place for the wording of every template.
 */
export function messageText(n: NotificationContent): { title: string; body: string } {
  const text = (): { title: string; body: string } => {
    switch (n.template) {
      case 'vote_reminder':
        return {
          title: '业主表决即将截止',
          body: `「${n.data.thing1}」将于 ${n.data.time2} 截止。${sentence(n.data.thing3)}`,
        }
      case 'vote_result':
        return { title: '业主表决结果已公示', body: `「${n.data.thing1}」${n.data.phrase2}，请查看表决结果。` }
      case 'sr_progress':
        return { title: `报事进度：${n.data.thing2}`, body: `「${n.data.thing1}」报事：${sentence(n.data.thing4)}` }
      case 'sr_todo':
        return { title: `报事待处理：${n.data.thing2}`, body: `「${n.data.thing1}」报事：${n.data.thing4}` }
      case 'sr_overdue':
        return { title: `报事${n.data.thing2}`, body: `「${n.data.thing1}」报事：${n.data.thing4}` }
    }
  }
  const t = text()
  return { title: cutText(t.title, INBOX_TITLE_MAX), body: cutText(t.body, INBOX_BODY_MAX) }
}

/** A full stop unless the text already ends a sentence (a handler's note may). */
const sentence = (s: string) => (/[。！？.!?…]$/.test(s.trim()) ? s.trim() : `${s.trim()}。`)

/**
 * The mini-program pages a message opens (the subscribe message's `page` and the inbox entry's link). One
 * place, checked against app.config.ts by the mini-program's tests: a wrong path opens nothing.
 */
export const messagePages = {
  voteDetail: (communityId: number, voteId: number) =>
    `packages/voting/pages/detail/index?communityId=${communityId}&voteId=${voteId}`,
  voteResults: (communityId: number, voteId: number) =>
    `packages/voting/pages/results/index?communityId=${communityId}&voteId=${voteId}`,
  serviceRequest: (communityId: number, requestId: number) =>
    `packages/services/pages/detail/index?communityId=${communityId}&requestId=${requestId}`,
} as const
