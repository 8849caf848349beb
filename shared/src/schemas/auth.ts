import { Type, type Static } from '@sinclair/typebox'
import { PHONE_PATTERN } from '../privacy/phone'
import { Me } from './me'

export const WechatLoginBody = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 128, description: 'code from wx.login / Taro.login' }) },
  { additionalProperties: false },
)
export type WechatLoginBody = Static<typeof WechatLoginBody>

export const TokenPair = Type.Object({
  accessToken: Type.String(),
  /** seconds until the access token expires */
  expiresIn: Type.Integer(),
  refreshToken: Type.String(),
  refreshExpiresIn: Type.Integer(),
})
export type TokenPair = Static<typeof TokenPair>

export const LoginResponse = Type.Object({ tokens: TokenPair, me: Me })
export type LoginResponse = Static<typeof LoginResponse>

export const RefreshBody = Type.Object(
  { refreshToken: Type.String({ minLength: 20, maxLength: 200 }) },
  { additionalProperties: false },
)
export type RefreshBody = Static<typeof RefreshBody>

/** Demo mode only: ask the local WeChat stand-in for a login code, as wx.login would. */
export const DemoWechatCodeBody = Type.Object(
  {
    openid: Type.String({ minLength: 3, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
  },
  { additionalProperties: false },
)
export type DemoWechatCodeBody = Static<typeof DemoWechatCodeBody>

export const DemoPhoneCodeBody = Type.Object(
  { phone: Type.String({ pattern: PHONE_PATTERN }) },
  { additionalProperties: false },
)
export type DemoPhoneCodeBody = Static<typeof DemoPhoneCodeBody>

export const CodeResponse = Type.Object({ code: Type.String() })
export type CodeResponse = Static<typeof CodeResponse>
