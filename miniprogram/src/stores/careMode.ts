import Taro from '@tarojs/taro'

/**
 * Care mode (适老化): larger type, taller tap targets, higher contrast.
 * Stored as 'on' | 'off' under linli.careMode; absent = follow WeChat's font-size setting.
 */
export const CARE_MODE_KEY = 'linli.careMode'
export type CareModeSetting = 'on' | 'off'

/** WeChat's default body font size is 17 (px); anything larger means the person chose bigger text. */
export const LARGE_SYSTEM_FONT_ABOVE = 17

/** The explicit setting wins; without one, a large system font turns care mode on. */
export function resolveCareMode(setting: CareModeSetting | null, systemFontSize: number | null): boolean {
  if (setting === 'on') return true
  if (setting === 'off') return false
  return systemFontSize !== null && systemFontSize > LARGE_SYSTEM_FONT_ABOVE
}

export function readSetting(): CareModeSetting | null {
  try {
    const v: unknown = Taro.getStorageSync(CARE_MODE_KEY)
    return v === 'on' || v === 'off' ? v : null
  } catch {
    return null
  }
}

/** fontSizeSetting from WeChat (getAppBaseInfo, or the older getSystemInfoSync); null where unknown (H5). */
export function readSystemFontSize(): number | null {
  try {
    const api = Taro as unknown as {
      getAppBaseInfo?: () => { fontSizeSetting?: number }
      getSystemInfoSync?: () => { fontSizeSetting?: number }
    }
    const info = typeof api.getAppBaseInfo === 'function' ? api.getAppBaseInfo() : api.getSystemInfoSync?.()
    const size = info?.fontSizeSetting
    return typeof size === 'number' && Number.isFinite(size) ? size : null
  } catch {
    return null
  }
}

/** H5: the tab bar, modals and toasts live outside the pages; h5-care.scss styles them under html.care. */
function markDocument(on: boolean): void {
  if (process.env.TARO_ENV === 'h5' && typeof document !== 'undefined')
    document.documentElement.classList.toggle('care', on)
}

type Listener = (on: boolean) => void
const listeners = new Set<Listener>()
let cached: { setting: CareModeSetting | null; on: boolean } | null = null

function compute(): { setting: CareModeSetting | null; on: boolean } {
  const setting = readSetting()
  return { setting, on: resolveCareMode(setting, setting === null ? readSystemFontSize() : null) }
}

export const careModeStore = {
  get(): { setting: CareModeSetting | null; on: boolean } {
    if (!cached) {
      cached = compute()
      markDocument(cached.on)
    }
    return cached
  },
  isOn(): boolean {
    return this.get().on
  },
  /** 'on' / 'off' = explicit choice; null = follow the system font size again */
  set(setting: CareModeSetting | null): void {
    if (setting === null) Taro.removeStorageSync(CARE_MODE_KEY)
    else Taro.setStorageSync(CARE_MODE_KEY, setting)
    cached = compute()
    const on = cached.on
    markDocument(on)
    for (const l of listeners) l(on)
  },
  /** re-read storage and system font (e.g. after the app comes back to the foreground) */
  reload(): void {
    const before = cached?.on
    cached = compute()
    markDocument(cached.on)
    if (before !== cached.on) for (const l of listeners) l(cached!.on)
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener)
    return () => listeners.delete(listener)
  },
}
