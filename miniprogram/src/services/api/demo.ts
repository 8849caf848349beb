import type { CodeResponse } from '@linli/shared/schemas'
import { http } from '../http'

/**
 * Demo mode only (the BFF answers 404 otherwise). Imported solely from the demo components, which are
 * loaded behind `process.env.TARO_APP_DEMO === '1'`, so non-demo builds contain none of this.
 */

/** H5 has no wx.login: the BFF asks the local WeChat stand-in for a login code for this openid. */
export function demoWechatCode(openid: string): Promise<CodeResponse> {
  return http.request<CodeResponse>('/demo/wechat-code', { method: 'POST', body: { openid }, auth: false })
}

/** Stands in for the getPhoneNumber button's e.detail.code. */
export function demoPhoneCode(phone: string): Promise<CodeResponse> {
  return http.request<CodeResponse>('/demo/phone-code', { method: 'POST', body: { phone }, auth: false })
}
