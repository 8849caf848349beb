import { act, type ReactNode } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { afterEach, beforeEach } from 'vitest'

;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

/**
 * A fresh React root in happy-dom for every test of the calling file, and the small queries the component
 * tests use. `cleanup` runs after each unmount (e.g. to forget a stored setting).
 */
export function mountPerTest(cleanup?: () => void) {
  let host: HTMLElement
  let root: Root
  beforeEach(() => {
    host = document.createElement('div')
    document.body.appendChild(host)
    root = createRoot(host)
  })
  afterEach(() => {
    act(() => root.unmount())
    host.remove()
    cleanup?.()
  })
  const $ = (sel: string) => host.querySelector(sel)
  return {
    render: (node: ReactNode) => act(() => root.render(node)),
    get host() {
      return host
    },
    $,
    click(sel: string) {
      const el = $(sel)
      if (!el) throw new Error(`no element ${sel}`)
      act(() => {
        el.dispatchEvent(new MouseEvent('click', { bubbles: true }))
      })
    },
  }
}
