import type { Page } from 'playwright-core'

/**
 * What a person meets on one screen, measured in the browser (CSS px = dp at the test's device scale 1):
 * MIIT's guidance for ageing-friendly apps (body text ≥ 18 dp, line height ≥ 1.3, tap targets ≥ 60 dp, contrast
 * ≥ 4.5:1) in care mode, and in both modes no sideways overflow and no button whose label breaks while the
 * button could have been wider.
 */
export interface AuditRules {
  minFontPx: number
  minLineHeight: number
  minTapPx: number
  minContrast: number
}

export const CARE_RULES: AuditRules = { minFontPx: 18, minLineHeight: 1.3, minTapPx: 60, minContrast: 4.5 }
/** Normal mode: no size rules, but readable contrast and intact layout all the same. */
export const NORMAL_RULES: AuditRules = { minFontPx: 0, minLineHeight: 0, minTapPx: 0, minContrast: 4.5 }

/** Elements a person taps (our classes and roles; Taro H5 renders buttons as plain elements). */
export const TAP_TARGETS =
  '.btn, .option, .cell, .care-chip, [role=switch], [role=button], input, textarea, .weui-tabbar__item, .photo--add'

export interface Finding {
  rule: 'font' | 'line-height' | 'tap' | 'contrast' | 'overflow' | 'broken-label'
  what: string
  value: string
}

export async function auditScreen(page: Page, rules: AuditRules): Promise<Finding[]> {
  return page.evaluate(
    ({ rules, tapSelector }) => {
      const out: { rule: string; what: string; value: string }[] = []
      // Taro H5 keeps earlier pages hidden in the DOM: audit what is visible
      const visible = (el: Element) => {
        const r = el.getBoundingClientRect()
        if (r.width === 0 || r.height === 0) return false
        const st = getComputedStyle(el)
        return st.visibility !== 'hidden' && st.display !== 'none' && Number(st.opacity) > 0.05
      }
      const label = (el: Element) => {
        const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 24)
        const id = el.id ? `#${el.id}` : ''
        return `${el.tagName.toLowerCase()}${id}${el.classList.length ? `.${[...el.classList].slice(0, 2).join('.')}` : ''} "${text}"`
      }
      const parse = (c: string): [number, number, number, number] | null => {
        const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(c)
        return m ? [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])] : null
      }
      const lum = ([r, g, b]: number[]) => {
        const f = (v: number) => {
          const s = v / 255
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
        }
        return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!)
      }
      const background = (el: Element | null): number[] => {
        // the first opaque background up the tree (a photo or gradient behind text is not judged here)
        for (let e = el; e; e = e.parentElement) {
          const c = parse(getComputedStyle(e).backgroundColor)
          if (c && c[3] > 0.9) return c
        }
        return [255, 255, 255, 1]
      }

      const seen = new Set<Element>()
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement
        if (!el || seen.has(el) || !(n.textContent ?? '').trim()) continue
        if (el.closest('script, style, .taro__toast')) continue
        seen.add(el)
        if (!visible(el)) continue
        const st = getComputedStyle(el)
        const size = parseFloat(st.fontSize)
        if (size < rules.minFontPx) out.push({ rule: 'font', what: label(el), value: `${size.toFixed(1)}px` })
        if (rules.minLineHeight > 0) {
          const lh = st.lineHeight === 'normal' ? 1.2 * size : parseFloat(st.lineHeight)
          // a single line in a box as tall as its target (buttons) is fine: line height matters for running text
          const lines = Math.round(el.getBoundingClientRect().height / lh)
          if (lines > 1 && lh / size < rules.minLineHeight - 0.001)
            out.push({ rule: 'line-height', what: label(el), value: (lh / size).toFixed(2) })
        }
        const fg = parse(st.color)
        if (fg && fg[3] > 0.5) {
          const bg = background(el)
          const [a, b] = [lum(fg), lum(bg)]
          const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)
          if (ratio < rules.minContrast)
            out.push({
              rule: 'contrast',
              what: label(el),
              value: `${ratio.toFixed(2)}:1 (${st.color} on rgb(${bg.slice(0, 3).join(',')}))`,
            })
        }
      }

      const pageWidth = document.documentElement.clientWidth
      for (const el of document.querySelectorAll(tapSelector)) {
        if (!visible(el)) continue
        const r = el.getBoundingClientRect()
        if (rules.minTapPx > 0 && Math.min(r.width, r.height) < rules.minTapPx - 0.5)
          out.push({ rule: 'tap', what: label(el), value: `${Math.round(r.width)}×${Math.round(r.height)}` })
        // a label that wraps inside a button narrower than the page: the button should have grown or wrapped
        if (el.matches('.btn, .option, .care-chip, .weui-tabbar__item') && r.width < pageWidth * 0.8) {
          // the lines its text occupies (text boxes only: an icon above a label is not a second line)
          const tops: number[] = []
          const texts = document.createTreeWalker(el, NodeFilter.SHOW_TEXT)
          for (let t = texts.nextNode(); t; t = texts.nextNode()) {
            // a count badge on a tab is drawn beside its label, not a line of it
            if (!(t.textContent ?? '').trim() || t.parentElement?.closest('.weui-badge, .todo-count')) continue
            const range = document.createRange()
            range.selectNodeContents(t)
            for (const box of range.getClientRects())
              if (box.width > 0 && !tops.some((y) => Math.abs(y - box.top) < 4)) tops.push(box.top)
          }
          if (tops.length > 1)
            out.push({
              rule: 'broken-label',
              what: label(el),
              value: `${tops.length} lines in ${Math.round(r.width)}px`,
            })
        }
      }
      if (document.documentElement.scrollWidth > pageWidth + 1)
        out.push({
          rule: 'overflow',
          what: 'page',
          value: `${document.documentElement.scrollWidth}px wide in ${pageWidth}px`,
        })
      return out
    },
    { rules, tapSelector: TAP_TARGETS },
  ) as Promise<Finding[]>
}
