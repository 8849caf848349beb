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
