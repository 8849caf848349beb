import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PhoneBrowser } from '../helpers/browser'
import { createTestDatabase } from '../helpers/db'
import { TEST_REDIS_URL } from '../helpers/env'
import { ARTIFACTS, REPO_ROOT } from '../helpers/run'

/**
 * README's first command, run as a new user runs it (on spare ports and a database of its own), and what it
 * serves opened in Chromium: a green suite once shipped a demo that was a white page, because no test opened
 * what `bash scripts/start.sh` serves.
 */
let start: ChildProcess
let output = ''
let exited: Promise<number | null>
let db: Awaited<ReturnType<typeof createTestDatabase>>
let phone: PhoneBrowser
let appUrl: string
let port: number

async function freePort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
  const { port } = srv.address() as AddressInfo
  await new Promise((r) => srv.close(r))
  return port
}

beforeAll(async () => {
  db = await createTestDatabase({ migrate: false })
  port = await freePort()
  const [standin, property] = [await freePort(), await freePort()]
  start = spawn('bash', ['scripts/start.sh'], {
    cwd: REPO_ROOT,
    detached: true, // its own process group, so Ctrl-C can be sent to it as a terminal would
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH!,
      HOME: process.env.HOME!,
      LANG: 'C.UTF-8',
      PORT: String(port),
      STANDIN_PORT: String(standin),
      PROPERTY_STANDIN_PORT: String(property),
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: `first${randomBytes(4).toString('hex')}:`,
    },
  })
  start.stdout!.on('data', (d) => (output += d))
  start.stderr!.on('data', (d) => (output += d))
  exited = new Promise((r) => start.on('exit', (code) => r(code)))
  // a fresh install builds the app: give it room on a busy machine (CI runs the other projects meanwhile)
  const deadline = Date.now() + 330_000
  while (!/Linli is running/.test(output)) {
    if (start.exitCode !== null)
      throw new Error(`start.sh exited ${start.exitCode} before "Linli is running":\n${output.slice(-4000)}`)
    if (Date.now() > deadline)
      throw new Error(`start.sh did not say "Linli is running" in 330 s:\n${output.slice(-4000)}`)
    await new Promise((r) => setTimeout(r, 250))
  }
  appUrl = /H5 app\s+(http:\/\/\S+)/.exec(output)![1]!
  phone = await PhoneBrowser.open(appUrl.replace(/\/$/, ''), join(ARTIFACTS, 'e2e', 'first-run'), {
    strictConsole: true,
  })
}, 360_000)

afterAll(async () => {
  await phone?.close()
  if (start && start.exitCode === null) {
    process.kill(-start.pid!, 'SIGINT')
    await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))])
    if (start.exitCode === null) process.kill(-start.pid!, 'SIGKILL')
  }
  await db?.drop()
})

describe("README's first command", () => {
  it('prints the address of the app on the port it was given', () => {
    expect(appUrl).toBe(`http://localhost:${port}/`)
    expect(output).not.toMatch(/\bERROR\b/)
  })

  it('serves an app that renders: the printed URL opens the home tab, a demo account logs in, no page error', async () => {
    await phone.page.goto(appUrl)
    await phone.visible('home-login').waitFor()
    await phone.snap('home-before-login')
    await phone.visible('home-login').click()
    await phone.visible('login-persona-demo-owner-liu').click()
    await expect.poll(() => phone.visible('home-greeting').textContent()).toContain('刘芳')
    // the home tab of a verified owner: her home and the tab bar
    // biome-ignore lint/performance/useDomNodeTextContent: the text a person sees, as laid out
    await expect.poll(() => phone.page.locator('body').innerText()).toContain('1栋 102')
    await expect(phone.page.locator('.taro-tabbar__tabbar').first().isVisible()).resolves.toBe(true)
    await phone.snap('home-liu')
    phone.takeErrors()
  })
})
