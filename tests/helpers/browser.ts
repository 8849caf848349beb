import { mkdtempSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'vitest'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { CHROMIUM_PATH } from './env'
import { REPO_ROOT, run } from './run'

export const H5_DIST = join(REPO_ROOT, 'miniprogram/dist/h5')

/** The demo H5 build, as `scripts/start.sh` makes it (production mode, demo login, same-origin API). */
export function buildDemoH5() {
  return run('pnpm', ['--filter', '@linli/miniprogram', 'build:h5'], { env: { NODE_ENV: 'production', TARO_APP_DEMO: '1', TARO_APP_API_BASE: '' } })
}

/**
 * Headless Debian Chromium driving the H5 build as a person on a phone would (toolchain.md: never a downloaded
 * browser; no background networking), with helpers for the demo login and screenshots.
 */
export class PhoneBrowser {
  private shot = 0
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly origin: string,
    private readonly shots: string,
  ) {}

  static async open(origin: string, shots: string, opts: { timezoneId?: string } = {}): Promise<PhoneBrowser> {
    mkdirSync(shots, { recursive: true })
    const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'linli-e2e-')), {
      executablePath: CHROMIUM_PATH,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      hasTouch: true,
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
      ...(opts.timezoneId ? { timezoneId: opts.timezoneId } : {}),
    })
    const page = context.pages()[0] ?? (await context.newPage())
    page.setDefaultTimeout(15_000)
    return new PhoneBrowser(context, page, origin, shots)
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
    await this.visible('me-login').waitFor()
  }

  async snap(name: string) {
    // Let Taro's page transition finish so the picture shows the page (Playwright's animations: 'disabled'
    // fast-forwards it into a state where Taro hides both pages).
    await this.page.waitForTimeout(400)
    await this.page.screenshot({ path: join(this.shots, `${String(++this.shot).padStart(2, '0')}-${name}.png`), fullPage: true })
  }

  close() {
    return this.context.close()
  }
}
