import type { Me } from '@linli/shared/schemas'
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
