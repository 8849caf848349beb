import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync, existsSync } from 'node:fs'
import { join, relative } from 'node:path'
import { Script } from 'node:vm'
import { beforeAll, describe, expect, it } from 'vitest'
import { ARTIFACTS, REPO_ROOT, run } from '../helpers/run'

/**
 * WeChat DevTools cannot run here, so the weapp build is checked by its files: it is built in this run, every
 * page the app declares is emitted, every script parses, nothing evaluates code at run time, and the main
 * package stays under WeChat's 2 MB limit (target: under 1 MB).
 */
const DIST = join(REPO_ROOT, 'miniprogram/dist/weapp')
const LIMIT = 2 * 1024 * 1024

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? walk(p) : [p]
  })
}

interface AppJson {
  pages: string[]
  subPackages?: { root: string; pages: string[] }[]
  subpackages?: { root: string; pages: string[] }[]
  tabBar?: { list: { pagePath: string; iconPath?: string; selectedIconPath?: string }[] }
}

let app: AppJson
let files: string[]
let buildMs = 0
beforeAll(async () => {
  const { ms } = await run('pnpm', ['--filter', '@linli/miniprogram', 'build:weapp'], {
    env: { TARO_APP_DEMO: '', TARO_APP_API_BASE: 'https://api.linli.example' },
  })
  buildMs = ms
  app = JSON.parse(readFileSync(join(DIST, 'app.json'), 'utf8')) as AppJson
  files = walk(DIST)
})

describe('weapp build', () => {
  it('emits every page and tab icon that app.json declares', () => {
    const subs = app.subPackages ?? app.subpackages ?? []
    expect(app.pages.length).toBeGreaterThanOrEqual(4)
    expect(subs.length).toBeGreaterThanOrEqual(2)
    const pages = [...app.pages, ...subs.flatMap((s) => s.pages.map((p) => `${s.root.replace(/\/$/, '')}/${p}`))]
    for (const page of pages) {
      for (const ext of ['.js', '.json', '.wxml']) expect(existsSync(join(DIST, page + ext)), page + ext).toBe(true)
    }
    for (const tab of app.tabBar?.list ?? []) {
      expect(app.pages).toContain(tab.pagePath)
      for (const icon of [tab.iconPath, tab.selectedIconPath].filter(Boolean) as string[])
        expect(existsSync(join(DIST, icon)), icon).toBe(true)
    }
  })

  it('has only scripts that parse and never evaluate strings as code', () => {
    const scripts = files.filter((f) => f.endsWith('.js'))
    expect(scripts.length).toBeGreaterThan(5)
    for (const f of scripts) {
      const src = readFileSync(f, 'utf8')
      expect(() => new Script(src, { filename: f }), relative(DIST, f)).not.toThrow()
      // webpack's global-object shim keeps `new Function("return this")` as a fallback it reaches only where
      // globalThis is missing (never in WeChat's base library); anything else is a real use.
      const code = src.replace(
        /"object"===typeof globalThis\)return globalThis;try\{return this\|\|new Function\("return this"\)\(\)/g,
        '',
      )
      expect(/\beval\s*\(|new Function\s*\(/.test(code), `${relative(DIST, f)} uses eval/new Function`).toBe(false)
    }
  })

  it("is uploaded compressed, as WeChat's code-quality scan asks (JS, WXML and WXSS minification on)", () => {
    const project = JSON.parse(readFileSync(join(REPO_ROOT, 'miniprogram/project.config.json'), 'utf8')) as {
      miniprogramRoot: string
      setting: Record<string, unknown>
    }
    expect(project.miniprogramRoot.replace(/\/$/, '')).toBe('dist/weapp')
    expect(project.setting).toMatchObject({ minified: true, minifyWXML: true, minifyWXSS: true })
  })

  it('is a production build: no React hot-reload code in any script', () => {
    const dev = files.filter((f) => f.endsWith('.js') && /\$RefreshReg\$|\$RefreshSig\$/.test(readFileSync(f, 'utf8')))
    expect(dev.map((f) => relative(DIST, f))).toEqual([])
  })

  it('keeps the main package under 2 MB (target 1 MB) and reports its size', () => {
    const subRoots = (app.subPackages ?? app.subpackages ?? []).map((s) => join(DIST, s.root))
    const sizeOf = (list: string[]) => list.reduce((n, f) => n + statSync(f).size, 0)
    const main = files.filter(
      (f) => !subRoots.some((r) => f.startsWith(`${r}/`) || f.startsWith(r)) && !f.endsWith('.map'),
    )
    const mainBytes = sizeOf(main)
    const subs = Object.fromEntries(
      subRoots.map((r) => [relative(DIST, r), sizeOf(files.filter((f) => f.startsWith(r) && !f.endsWith('.map')))]),
    )
    const report = {
      mainPackageBytes: mainBytes,
      mainPackageKB: Math.round(mainBytes / 102.4) / 10,
      subPackages: subs,
      buildMs,
    }
    mkdirSync(ARTIFACTS, { recursive: true })
    writeFileSync(join(ARTIFACTS, 'weapp-size.json'), JSON.stringify(report, null, 2))
    console.log(
      `[weapp] main package ${report.mainPackageKB} KB; subpackages ${JSON.stringify(subs)}; built in ${buildMs} ms`,
    )
    expect(mainBytes).toBeLessThan(LIMIT)
    for (const bytes of Object.values(subs)) expect(bytes).toBeLessThan(LIMIT)
  })
})
