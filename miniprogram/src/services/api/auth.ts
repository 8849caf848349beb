import type { LoginResponse } from '@linli/shared/schemas'
import { http } from '../http'
import { taroTokenStore } from '../tokens'

/** Exchange a wx.login code for a session; stores the tokens. */
export async function loginWithWechatCode(code: string): Promise<LoginResponse> {
  const res = await http.request<LoginResponse>('/auth/wechat/login', { method: 'POST', body: { code }, auth: false })
  taroTokenStore.save(res.tokens)
  return res
}

/** Ends the session on the BFF (best effort) and forgets the tokens locally either way. */
export async function logout(): Promise<void> {
  const refreshToken = taroTokenStore.getRefreshToken()
  try {
    if (refreshToken) await http.request<void>('/auth/logout', { method: 'POST', body: { refreshToken }, auth: false })
  } finally {
    taroTokenStore.clear()
  }
}

export function hasSession(): boolean {
  return taroTokenStore.getRefreshToken() !== null || taroTokenStore.getAccessToken() !== null
}
