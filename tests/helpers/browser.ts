import { mkdtempSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'vitest'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { CHROMIUM_PATH } from './env'

export { H5_DIST } from './h5'

/**
 * Headless Debian Chromium driving the H5 build as a person on a phone would (toolchain.md: never a downloaded
 * browser; no background networking), with helpers for the demo login and screenshots.
 */
export class PhoneBrowser {
  /** every browser still open, so that the e2e setup (e2e-setup.ts) can fail a test on a page error */
  static readonly open_ = new Set<PhoneBrowser>()
  private shot = 0
  /** uncaught errors of the page (exceptions and unhandled rejections), and console errors when strict */
  readonly errors: string[] = []
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly origin: string,
    private readonly shots: string,
  ) {}

  /**
   * `strictConsole`: any console.error counts as an error too (the first-run test); otherwise only uncaught
   * errors do, since a flow may meet an expected 4xx that Chromium logs as a failed resource.
   */
  static async open(
    origin: string,
    shots: string,
    opts: { timezoneId?: string; strictConsole?: boolean } = {},
  ): Promise<PhoneBrowser> {
    mkdirSync(shots, { recursive: true })
    const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'linli-e2e-')), {
      executablePath: CHROMIUM_PATH,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      hasTouch: true,
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
      ...(opts.timezoneId ? { timezoneId: opts.timezoneId } : {}),
    })
    const page = context.pages()[0] ?? (await context.newPage())
    page.setDefaultTimeout(15_000)
    const phone = new PhoneBrowser(context, page, origin, shots)
    page.on('pageerror', (e) => phone.errors.push(`uncaught: ${e.stack ?? e.message}`))
    // a page with a half-filled form asks before unloading (useLeaveGuard); the tests' own page.goto leaves it
    page.on('dialog', (d) => void (d.type() === 'beforeunload' ? d.accept() : d.dismiss()))
    if (opts.strictConsole)
      page.on(
        'console',
        (m) => m.type() === 'error' && phone.errors.push(`console.error: ${m.text()} (${m.location().url})`),
      )
    PhoneBrowser.open_.add(phone)
    return phone
  }

  /** Throws with every page error seen since the last call (and forgets them). */
  takeErrors(): void {
    const seen = this.errors.splice(0)
    if (seen.length > 0) throw new Error(`the page had ${seen.length} error(s):\n${seen.join('\n')}`)
  }

  /** Taro H5 keeps earlier pages in the DOM hidden: only the visible element with that id counts. */
  visible(id: string) {
    return this.page.locator(`#${id}:visible`)
  }

  /** A fresh document for each step: hash changes alone keep earlier pages in Taro's H5 stack. */
  async goto(hashPath: string) {
    await this.page.goto('about:blank')
    await this.page.goto(`${this.origin}/#${hashPath}`)
  }

  async loginAs(openid: string) {
    await this.goto('/packages/account/pages/login/index')
    await this.visible(`login-persona-${openid}`).click()
    await expect.poll(() => this.page.evaluate(() => location.hash), { timeout: 15_000 }).not.toContain('login')
  }

  async logout() {
    await this.goto('/pages/me/index')
    await this.visible('me-logout').click()
    // 我的 asks before logging out (utils/confirm.ts)
    await this.answerModal('confirm')
    await this.visible('me-login').waitFor()
  }

  /** Answers the app's confirmation modal (utils/confirm.ts; Taro H5 draws it in the page). */
  async answerModal(choice: 'confirm' | 'cancel') {
    // the modal's root has no height of its own (its mask and box are position: fixed): wait for the box
    const box = this.page.locator('.taro-modal__content:visible').last()
    await box.waitFor()
    // (Taro H5 spells its button classes "model")
    await box.locator(choice === 'confirm' ? '.taro-model__confirm' : '.taro-model__cancel').click()
    await box.waitFor({ state: 'hidden' })
  }

  async snap(name: string) {
    // Let Taro's page transition finish so the picture shows the page (Playwright's animations: 'disabled'
    // fast-forwards it into a state where Taro hides both pages).
    await this.page.waitForTimeout(400)
    // Taro H5 scrolls inside its own containers, so a full-page shot is one screen: grow the window to the
    // page's content for the picture (the whole page, as a person scrolls through it), then put it back.
    const viewport = this.page.viewportSize()!
    const tall = await this.page.evaluate(() => {
      const scrollers = [...document.querySelectorAll('.taro-tabbar__panel, .taro_page, .page')].filter(
        (e) => (e as HTMLElement).offsetParent !== null,
      )
      return Math.max(
        window.innerHeight,
        ...scrollers.map((e) => e.scrollHeight + (window.innerHeight - e.clientHeight)),
      )
    })
    const height = Math.min(Math.ceil(tall), 6000)
    if (height > viewport.height) await this.page.setViewportSize({ width: viewport.width, height })
    try {
      await this.page.screenshot({
        path: join(this.shots, `${String(++this.shot).padStart(2, '0')}-${name}.png`),
        fullPage: true,
      })
    } finally {
      if (height > viewport.height) await this.page.setViewportSize(viewport)
    }
  }

  async close() {
    PhoneBrowser.open_.delete(this)
    await this.context.close()
    this.takeErrors()
  }
}
