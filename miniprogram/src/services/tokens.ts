import Taro from '@tarojs/taro'
import type { TokenPair } from '@linli/shared/schemas'

/** Where the session lives: Taro storage (wx storage in weapp, localStorage in H5). */
export const ACCESS_TOKEN_KEY = 'linli.accessToken'
export const REFRESH_TOKEN_KEY = 'linli.refreshToken'

export interface TokenStore {
  getAccessToken(): string | null
  getRefreshToken(): string | null
  save(tokens: Pick<TokenPair, 'accessToken' | 'refreshToken'>): void
  clear(): void
}

function read(key: string): string | null {
  try {
    const v: unknown = Taro.getStorageSync(key)
    return typeof v === 'string' && v !== '' ? v : null
  } catch {
    return null
  }
}

export const taroTokenStore: TokenStore = {
  getAccessToken: () => read(ACCESS_TOKEN_KEY),
  getRefreshToken: () => read(REFRESH_TOKEN_KEY),
  save(tokens) {
    Taro.setStorageSync(ACCESS_TOKEN_KEY, tokens.accessToken)
    Taro.setStorageSync(REFRESH_TOKEN_KEY, tokens.refreshToken)
  },
  clear() {
    Taro.removeStorageSync(ACCESS_TOKEN_KEY)
    Taro.removeStorageSync(REFRESH_TOKEN_KEY)
  },
}
