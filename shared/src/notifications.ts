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
