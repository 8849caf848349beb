import { useCallback, useRef, useState } from 'react'
import { errorText } from '../services/http'

export interface AsyncState<T> {
  data: T | undefined
  loading: boolean
  error: string | null
}

/** Runs a loader and keeps its data / loading / Chinese error text. Stale results are dropped. */
export function useAsync<T>(): AsyncState<T> & {
  run: (loader: () => Promise<T>) => Promise<T | undefined>
  setData: (d: T | undefined) => void
} {
  const [state, setState] = useState<AsyncState<T>>({ data: undefined, loading: false, error: null })
  const seq = useRef(0)
  const run = useCallback(async (loader: () => Promise<T>) => {
    const id = ++seq.current
    setState((s) => ({ ...s, loading: true, error: null }))
    try {
      const data = await loader()
      if (id === seq.current) setState({ data, loading: false, error: null })
      return data
    } catch (e) {
      if (id === seq.current) setState((s) => ({ ...s, loading: false, error: errorText(e) }))
      return undefined
    }
  }, [])
  const setData = useCallback((data: T | undefined) => setState((s) => ({ ...s, data })), [])
  return { ...state, run, setData }
}
