/**
 * Subscribe-message templates the product sends (WeChat: each user acceptance allows ONE message). The
 * template ids are configuration; the mini-program asks the BFF for them before wx.requestSubscribeMessage.
 */
export const NOTIFICATION_TEMPLATES = ['vote_reminder', 'vote_result'] as const
export type NotificationTemplate = (typeof NOTIFICATION_TEMPLATES)[number]

export const notificationTemplateLabels: Record<NotificationTemplate, string> = {
  vote_reminder: '业主表决截止提醒',
  vote_result: '业主表决结果公示通知',
}
