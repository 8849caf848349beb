import Taro from '@tarojs/taro'

/**
 * Ballot receipts kept on the phone, per vote (Taro storage: wx storage in weapp, localStorage in H5), so the
 * owner still has them after closing the app and can look them up on the public list after the vote closes.
 * Kept per person: on a shared phone, the next person to log in never sees another's receipts.
 */
export const RECEIPTS_KEY_PREFIX = 'linli.voteReceipts.'

export interface KeptReceipt {
  ownerKey: string
  receipt: string
  revision: number
  castAt: string
  viaProxy: boolean
  /** the rooms of the owner entry, for the person to recognise it */
  rooms: string[]
}

const keyOf = (personId: number, voteId: number) => `${RECEIPTS_KEY_PREFIX}${personId}.${voteId}`

function isKept(x: unknown): x is KeptReceipt {
  const r = x as KeptReceipt
  return !!r && typeof r.ownerKey === 'string' && typeof r.receipt === 'string' && r.receipt !== ''
}

export function keptReceipts(personId: number, voteId: number): KeptReceipt[] {
  try {
    const raw: unknown = Taro.getStorageSync(keyOf(personId, voteId))
    const list: unknown = typeof raw === 'string' && raw !== '' ? JSON.parse(raw) : raw
    return Array.isArray(list)
      ? list.filter(isKept).map((r) => ({ ...r, rooms: Array.isArray(r.rooms) ? r.rooms : [] }))
      : []
  } catch {
    return []
  }
}

/** Keeps the receipt for this vote; a newer ballot of the same owner entry replaces the older one. */
export function keepReceipt(personId: number, voteId: number, receipt: KeptReceipt): KeptReceipt[] {
  const next = [...keptReceipts(personId, voteId).filter((r) => r.ownerKey !== receipt.ownerKey), receipt]
  try {
    Taro.setStorageSync(keyOf(personId, voteId), JSON.stringify(next))
  } catch {
    /* storage full or unavailable: the receipt is still on screen and on the server (my-entries) */
  }
  return next
}

export function forgetReceipts(personId: number, voteId: number): void {
  try {
    Taro.removeStorageSync(keyOf(personId, voteId))
  } catch {
    /* nothing kept */
  }
}
