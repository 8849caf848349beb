/// <reference types="@tarojs/taro" />

declare module '*.png'
declare module '*.scss'

declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV: 'development' | 'production' | 'test'
    TARO_ENV: 'weapp' | 'h5' | 'swan' | 'alipay' | 'rn' | 'tt' | 'qq' | 'jd' | 'harmony' | 'jdrn'
    /** BFF origin; '' = same origin (inlined at build time) */
    TARO_APP_API_BASE?: string
    /** '1' = demo build (H5 demo login) */
    TARO_APP_DEMO?: string
  }
}
