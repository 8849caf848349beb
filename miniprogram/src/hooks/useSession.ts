import { useEffect, useState } from 'react'
import { useDidShow } from '@tarojs/taro'
import { sessionStore, type SessionState } from '../stores/session'
import { goToLogin } from '../services/http'

/**
 * The signed-in person, refreshed each time the page shows.
 * requireLogin: without a session, open the login page (it comes back here afterwards).
 */
export function useSession(options: { requireLogin?: boolean } = {}): SessionState & {
  loggedIn: boolean
  reload: () => Promise<unknown>
} {
  const [state, setState] = useState<SessionState>(() => sessionStore.get())
  const [loggedIn, setLoggedIn] = useState(() => sessionStore.isLoggedIn())

  useEffect(
    () =>
      sessionStore.subscribe((s) => {
        setState(s)
        setLoggedIn(sessionStore.isLoggedIn())
      }),
    [],
  )

  useDidShow(() => {
    const has = sessionStore.isLoggedIn()
    setLoggedIn(has)
    if (has) void sessionStore.reload()
    else if (options.requireLogin) goToLogin()
  })

  return {
    ...state,
    loggedIn,
    reload: () => sessionStore.reload(),
  }
}
