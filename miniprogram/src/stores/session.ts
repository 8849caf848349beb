import type { Me } from '@linli/shared/schemas'
import { getMe } from '../services/api/me'
import { hasSession, logout as apiLogout } from '../services/api/auth'
import { onSessionExpired } from '../services/http'

/** The signed-in person, shared by every page. Pages reload it on show; the store dedupes calls. */
export interface SessionState {
  me: Me | null
  loading: boolean
  error: unknown
}

type Listener = (s: SessionState) => void
let state: SessionState = { me: null, loading: false, error: null }
const listeners = new Set<Listener>()
let inflight: Promise<Me | null> | null = null

function set(next: Partial<SessionState>): void {
  state = { ...state, ...next }
  for (const l of listeners) l(state)
}

onSessionExpired(() => set({ me: null, loading: false, error: null }))

export const sessionStore = {
  get: (): SessionState => state,
  subscribe(l: Listener): () => void {
    listeners.add(l)
    return () => listeners.delete(l)
  },
  isLoggedIn: (): boolean => hasSession(),
  /** Fetch /me again (no-op without a session). */
  reload(): Promise<Me | null> {
    if (!hasSession()) {
      set({ me: null, loading: false, error: null })
      return Promise.resolve(null)
    }
    if (inflight) return inflight
    set({ loading: true, error: null })
    inflight = getMe()
      .then((me) => {
        set({ me, loading: false })
        return me
      })
      .catch((error: unknown) => {
        set({ loading: false, error })
        return null
      })
      .finally(() => {
        inflight = null
      })
    return inflight
  },
  setMe(me: Me): void {
    set({ me, error: null })
  },
  async logout(): Promise<void> {
    try {
      await apiLogout()
    } finally {
      set({ me: null, loading: false, error: null })
    }
  },
}
