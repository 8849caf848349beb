import type { Me, Subscriptions } from '@linli/shared/schemas'
import type { NotificationTemplate } from '@linli/shared/notifications'
import { http } from '../http'

export function getMe(): Promise<Me> {
  return http.request<Me>('/me')
}

export function updateDisplayName(displayName: string): Promise<Me> {
  return http.request<Me>('/me', { method: 'PATCH', body: { displayName } })
}

/** code: from <Button openType="getPhoneNumber"> (weapp) or /demo/phone-code (H5 demo) */
export function bindPhone(code: string): Promise<Me> {
  return http.request<Me>('/me/phone', { method: 'POST', body: { code } })
}

/** Subscribe-message templates (ids for wx.requestSubscribeMessage) and how many messages each still allows. */
export function getSubscriptions(): Promise<Subscriptions> {
  return http.request<Subscriptions>('/me/subscriptions')
}

/** Each accepted template allows the BFF exactly one message (WeChat's one-time subscriptions). */
export function addSubscriptions(accepted: NotificationTemplate[]): Promise<Subscriptions> {
  return http.request<Subscriptions>('/me/subscriptions', { method: 'POST', body: { accepted } })
}
