import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { randomBytes } from 'node:crypto'
import { checkTimestamp, sign, verifySignature } from '../../modules/webhooks/signing'

/**
 * A local stand-in for a property company's system, speaking our webhook protocol both ways (Standard Webhooks,
 * docs/property-integration.md), for tests and the local demo. It refuses to run in production.
 *
 *   POST /webhooks                               our outbound webhooks: signature and timestamp verified with the
 *                                                integration secret (401 otherwise), stored in memory, 204
 *   GET  /__standin/events                       the received events, oldest first
 *   GET  /__standin/requests                     the service requests seen (latest data per request id)
 *   POST /__standin/requests/:requestId/status   {status, note?, handler?, duplicateOf?} → a signed
 *                                                service_request.status_changed to the BFF; answers with the
 *                                                BFF's status code and body
 *   GET  /                                       a small page (Chinese) for the demo
 *
 * Signing and verifying use the BFF's own signing module (the interop with the reference library is proved by
 * tests/integration/webhooks.test.ts).
 */
export interface PropertyStandinOptions {
  /** the BFF, e.g. http://127.0.0.1:3000 */
  bffBaseUrl: string
  integrationId: string
  /** the integration's `whsec_…` secret */
  secret: string
}

export interface StandinEvent {
  webhookId: string
  type: string
  timestamp: string
  data: Record<string, unknown>
}

export interface StandinRequest {
  requestId: number
  /** sequence number of the latest event seen for it */
  sequence: number
  /** type of that event */
  lastType: string
  /** how many events of it arrived (retries included) */
  events: number
  receivedAt: string
  data: Record<string, unknown>
}

export interface StatusPush {
  status: string
  note?: string
  handler?: { name: string; phone: string }
  duplicateOf?: number
}

export type PropertyStandin = Server & {
  events: StandinEvent[]
  requests: () => StandinRequest[]
  /** the same as POST /__standin/requests/:id/status */
  pushStatus: (requestId: number, push: StatusPush) => Promise<{ status: number; body: unknown }>
}

const MAX_BODY = 1024 * 1024
const MAX_EVENTS = 5000

export function createPropertyStandin(opts: PropertyStandinOptions): PropertyStandin {
  if (process.env.NODE_ENV === 'production') throw new Error('the property stand-in cannot run in production')
  if (!opts.secret.startsWith('whsec_')) throw new Error('the property stand-in needs the integration secret (whsec_…)')
  const bff = opts.bffBaseUrl.replace(/\/+$/, '')
  const events: StandinEvent[] = []
  const byRequest = new Map<number, StandinRequest>()

  function remember(e: StandinEvent) {
    events.push(e)
    if (events.length > MAX_EVENTS) events.splice(0, events.length - MAX_EVENTS)
    const id = Number(e.data.requestId)
    if (!e.type.startsWith('service_request.') || !Number.isInteger(id)) return
    const sequence = Number(e.data.sequence ?? 0)
    const seen = byRequest.get(id)
    // receivers order by sequence: a late retry of an older event does not overwrite newer data
    if (seen && seen.sequence > sequence) {
      seen.events++
      return
    }
    byRequest.set(id, {
      requestId: id,
      sequence,
      lastType: e.type,
      events: (seen?.events ?? 0) + 1,
      receivedAt: new Date().toISOString(),
      data: e.data,
    })
  }

  async function pushStatus(requestId: number, push: StatusPush): Promise<{ status: number; body: unknown }> {
    const data: Record<string, unknown> = { requestId, status: push.status }
    if (push.note) data.note = push.note
    if (push.handler) data.handler = push.handler
    if (push.duplicateOf !== undefined) data.duplicateOf = push.duplicateOf
    const body = JSON.stringify({ type: 'service_request.status_changed', timestamp: new Date().toISOString(), data })
    const msgId = `msg_standin_${randomBytes(12).toString('hex')}`
    const ts = Math.floor(Date.now() / 1000)
    const res = await fetch(`${bff}/webhooks/property/${encodeURIComponent(opts.integrationId)}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': msgId,
        'webhook-timestamp': String(ts),
        'webhook-signature': sign(opts.secret, msgId, ts, body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(15_000),
    })
    const text = await res.text()
    let parsed: unknown = text
    try {
      parsed = text ? JSON.parse(text) : null
    } catch {
      /* not JSON: passed on as text */
    }
    return { status: res.status, body: parsed }
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://standin')
    try {
      if (req.method === 'POST' && url.pathname === '/webhooks') {
        const raw = await readBody(req)
        const id = header(req, 'webhook-id')
        const ts = header(req, 'webhook-timestamp')
        const sig = header(req, 'webhook-signature')
        if (!id || !ts || !sig) return send(res, 401, { error: 'missing webhook headers' })
        if (!checkTimestamp(ts)) return send(res, 401, { error: 'timestamp out of range' })
        if (!verifySignature([opts.secret], id, ts, raw, sig)) return send(res, 401, { error: 'invalid signature' })
        let payload: { type?: unknown; timestamp?: unknown; data?: unknown }
        try {
          payload = JSON.parse(raw.toString('utf8'))
        } catch {
          return send(res, 400, { error: 'body is not JSON' })
        }
        if (typeof payload.type !== 'string' || typeof payload.data !== 'object' || payload.data === null)
          return send(res, 400, { error: 'type and data required' })
        remember({
          webhookId: id,
          type: payload.type,
          timestamp: String(payload.timestamp ?? ''),
          data: payload.data as Record<string, unknown>,
        })
        return send(res, 204, null)
      }
      if (req.method === 'GET' && url.pathname === '/__standin/events') return send(res, 200, events)
      if (req.method === 'GET' && url.pathname === '/__standin/requests') return send(res, 200, requests())
      const m = /^\/__standin\/requests\/(\d{1,15})\/status$/.exec(url.pathname)
      if (req.method === 'POST' && m) {
        const body = JSON.parse((await readBody(req, 64 * 1024)).toString('utf8') || '{}') as Record<string, unknown>
        if (typeof body.status !== 'string' || !body.status) return send(res, 400, { error: 'status required' })
        const push: StatusPush = { status: body.status }
        if (typeof body.note === 'string' && body.note) push.note = body.note
        if (body.handler && typeof body.handler === 'object') push.handler = body.handler as StatusPush['handler']
        if (body.duplicateOf !== undefined && body.duplicateOf !== null && body.duplicateOf !== '')
          push.duplicateOf = Number(body.duplicateOf)
        let answer: { status: number; body: unknown }
        try {
          answer = await pushStatus(Number(m[1]), push)
        } catch (err) {
          return send(res, 502, { error: `the BFF could not be reached at ${bff}: ${(err as Error).message}` })
        }
        return send(res, answer.status, answer.body)
      }
      if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/index.html')) {
        const nonce = randomBytes(16).toString('base64')
        res.statusCode = 200
        res.setHeader('content-type', 'text/html; charset=utf-8')
        res.setHeader('cache-control', 'no-store')
        res.setHeader('x-content-type-options', 'nosniff')
        res.setHeader(
          'content-security-policy',
          `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; img-src http: https: data:; connect-src 'self'; base-uri 'none'; form-action 'none'`,
        )
        return res.end(page(nonce, opts.integrationId))
      }
      if (req.method === 'GET' && url.pathname === '/favicon.ico') return send(res, 204, null)
      return send(res, 404, { error: 'not found' })
    } catch (err) {
      if ((err as Error).message === 'too large') return send(res, 413, { error: 'body too large' })
      return send(res, 400, { error: 'bad request' })
    }
  })

  function requests(): StandinRequest[] {
    return [...byRequest.values()].sort((a, b) => b.requestId - a.requestId)
  }

  return Object.assign(server, { events, requests, pushStatus })
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name]
  return Array.isArray(v) ? v[0] : v
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.statusCode = status
  if (body === null) return res.end()
  res.setHeader('content-type', 'application/json; charset=utf-8')
  res.end(JSON.stringify(body))
}

async function readBody(req: IncomingMessage, limit = MAX_BODY): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) throw new Error('too large')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

/**
 * The demo page. Everything from events is resident-written text: it is only ever put into the page through
 * textContent / attributes set from script (never innerHTML), and photo links only when they are http(s).
 */
function page(nonce: string, integrationId: string): string {
  const idJson = JSON.stringify(integrationId).replace(/</g, '\\u003c')
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>物业系统（本地替身）</title>
<style nonce="${nonce}">
  body { font-family: system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 0; background: #f4f5f7; color: #222; }
  header { background: #1f6f50; color: #fff; padding: 12px 20px; }
  header h1 { font-size: 18px; margin: 0; }
  header p { margin: 4px 0 0; font-size: 12px; opacity: .85; }
  main { padding: 16px 20px; max-width: 1100px; }
  h2 { font-size: 16px; margin: 20px 0 8px; }
  .req { background: #fff; border-radius: 8px; padding: 12px 14px; margin-bottom: 12px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
  .req .top { display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; }
  .badge { font-size: 12px; padding: 1px 8px; border-radius: 10px; background: #e8f0fe; color: #1a56c4; }
  .urgent { background: #fde8e8; color: #b42318; }
  .muted { color: #666; font-size: 12px; }
  .desc { margin: 8px 0; white-space: pre-wrap; }
  .photos img { width: 96px; height: 96px; object-fit: cover; border-radius: 4px; margin: 0 6px 6px 0; border: 1px solid #ddd; }
  .actions { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; margin-top: 8px; }
  .actions input { font-size: 13px; padding: 4px 6px; width: 130px; }
  button { font-size: 13px; padding: 5px 12px; border: 1px solid #1f6f50; background: #fff; color: #1f6f50; border-radius: 4px; cursor: pointer; }
  button.primary { background: #1f6f50; color: #fff; }
  button.danger { border-color: #b42318; color: #b42318; }
  .result { font-size: 12px; margin-top: 6px; white-space: pre-wrap; }
  .ok { color: #1f6f50; } .err { color: #b42318; }
  pre { background: #111; color: #ddd; padding: 10px; border-radius: 6px; font-size: 12px; overflow: auto; max-height: 420px; }
  .empty { color: #666; background: #fff; padding: 16px; border-radius: 8px; }
</style>
</head>
<body>
<header>
  <h1>示例物业 · 报事报修工作台（本地替身）</h1>
  <p>接收邻里推送的 Webhook（已验签），并以签名的 service_request.status_changed 回推处理进度。集成 <span id="integration"></span></p>
</header>
<main>
  <h2>收到的报事报修 <span class="muted" id="count"></span> <button id="refresh">刷新</button></h2>
  <div id="requests"></div>
  <h2>原始事件日志（最新在前）</h2>
  <pre id="log"></pre>
</main>
<script nonce="${nonce}">
(function () {
  'use strict'
  var INTEGRATION = ${idJson}
  var STATUS = { submitted: '待受理', accepted: '已受理', assigned: '已派单', in_progress: '处理中', resolved: '已解决', closed: '已关闭', reopened: '重新打开', rejected: '已驳回', duplicate: '重复', cancelled: '已撤销' }
  var TYPES = { 'service_request.created': '新报事', 'service_request.updated': '状态更新', 'service_request.urged': '居民催办', 'service_request.rated': '居民评价', 'service_request.escalated': '超时升级', 'service_request.reopened': '居民重开' }
  var ACTIONS = [['accepted', '受理', 'primary'], ['assigned', '派单', ''], ['in_progress', '开始处理', ''], ['resolved', '已解决', 'primary'], ['rejected', '驳回', 'danger']]
  document.getElementById('integration').textContent = INTEGRATION

  // Builds elements from text only: resident-written data never becomes markup.
  function el(tag, attrs, children) {
    var e = document.createElement(tag)
    if (attrs) for (var k in attrs) {
      if (k === 'text') e.textContent = attrs[k] == null ? '' : String(attrs[k])
      else if (k === 'cls') e.className = attrs[k]
      else e.setAttribute(k, String(attrs[k]))
    }
    ;(children || []).forEach(function (c) { if (c) e.appendChild(c) })
    return e
  }
  function str(v) { return v == null ? '' : String(v) }
  function time(iso) { if (!iso) return ''; var d = new Date(iso); return isNaN(d) ? str(iso) : d.toLocaleString('zh-CN', { hour12: false }) }
  function maskPhone(p) { p = str(p); return /^1\\d{10}$/.test(p) ? p.slice(0, 3) + '****' + p.slice(7) : p }
  function location(l) {
    if (!l || typeof l !== 'object') return ''
    var where = l.kind === 'unit' ? '户内' : l.kind === 'public' ? '公共区域' : '楼栋'
    return [where, str(l.building), str(l.unit), str(l.detail)].filter(Boolean).join(' ')
  }

  function card(r) {
    var d = r.data || {}
    var cat = d.category || {}
    var rep = d.reporter || {}
    var result = el('div', { cls: 'result' })
    var note = el('input', { placeholder: '备注（驳回必填）', maxlength: 500 })
    var hname = el('input', { placeholder: '师傅姓名', value: '王师傅', maxlength: 32 })
    var hphone = el('input', { placeholder: '师傅电话', value: '13800138000', maxlength: 11 })
    var buttons = ACTIONS.map(function (a) {
      var b = el('button', { text: a[1], cls: a[2], 'data-status': a[0] })
      b.addEventListener('click', function () { push(r.requestId, a[0], note.value, a[0] === 'assigned' ? { name: hname.value, phone: hphone.value } : null, result) })
      return b
    })
    var photos = el('div', { cls: 'photos' }, (Array.isArray(d.photos) ? d.photos : []).map(function (p) {
      var u = p && typeof p.url === 'string' && /^https?:\\/\\//.test(p.url) ? p.url : null
      if (!u) return null
      var a = el('a', { href: u, target: '_blank', rel: 'noopener noreferrer' }, [el('img', { src: u, alt: '现场照片', referrerpolicy: 'no-referrer' })])
      return a
    }))
    return el('div', { cls: 'req', 'data-request-id': r.requestId }, [
      el('div', { cls: 'top' }, [
        el('strong', { text: '#' + r.requestId + ' ' + str(cat.name || '报事报修') }),
        el('span', { cls: 'badge' + (cat.urgency === 'urgent' ? ' urgent' : ''), text: STATUS[d.status] || str(d.status) }),
        cat.urgency === 'urgent' ? el('span', { cls: 'badge urgent', text: '紧急' }) : null,
        el('span', { cls: 'muted', text: '序号 ' + r.sequence + ' · ' + (TYPES[r.lastType] || r.lastType) + ' · 报事时间 ' + time(d.filedAt) }),
      ]),
      el('div', { cls: 'desc', text: d.description }),
      el('div', { cls: 'muted', text: '位置：' + location(d.location) }),
      el('div', { cls: 'muted', text: '希望联系时间：' + (str(d.contactTime) || '不限') + ' · 报事人：' + str(rep.name || '居民') + ' ' + (maskPhone(rep.phone) || '未留电话') + (rep.phoneShared ? '（同意提供电话）' : '') }),
      el('div', { cls: 'muted', text: '受理时限：' + time(d.acceptDueAt) + (d.resolveDueAt ? ' · 解决时限：' + time(d.resolveDueAt) : '') + (d.urgeCount ? ' · 催办 ' + d.urgeCount + ' 次' : '') + (d.escalation ? ' · 已升级' : '') }),
      d.rating ? el('div', { cls: 'muted', text: '居民评价：总体 ' + str(d.rating.overall) + ' / 速度 ' + str(d.rating.speed) + ' / 态度 ' + str(d.rating.attitude) + (d.rating.text ? ' · ' + str(d.rating.text) : '') }) : null,
      photos,
      el('div', { cls: 'actions' }, buttons.concat([note, hname, hphone])),
      result,
    ])
  }

  function push(requestId, status, note, handler, out) {
    var body = { status: status }
    if (note) body.note = note
    if (handler) body.handler = handler
    out.className = 'result muted'
    out.textContent = '发送中…'
    fetch('/__standin/requests/' + encodeURIComponent(requestId) + '/status', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (res) { return res.text().then(function (t) { return { status: res.status, text: t } }) })
      .then(function (r) {
        var ok = r.status >= 200 && r.status < 300
        out.className = 'result ' + (ok ? 'ok' : 'err')
        out.textContent = (ok ? '邻里已接受 ' : '邻里拒绝 ') + 'HTTP ' + r.status + '  ' + r.text
        setTimeout(load, 1500)
      })
      .catch(function (e) { out.className = 'result err'; out.textContent = '发送失败：' + e })
  }

  function load() {
    Promise.all([fetch('/__standin/requests').then(function (r) { return r.json() }), fetch('/__standin/events').then(function (r) { return r.json() })])
      .then(function (x) {
        var reqs = x[0], evs = x[1]
        var box = document.getElementById('requests')
        // keep what the operator is typing: only redraw when something new arrived
        var sig = JSON.stringify(reqs.map(function (r) { return [r.requestId, r.sequence] }))
        if (box.getAttribute('data-sig') !== sig) {
          box.setAttribute('data-sig', sig)
          box.textContent = ''
          if (!reqs.length) box.appendChild(el('div', { cls: 'empty', text: '还没有收到报事报修。在邻里 H5 里以 王秀英 / 刘芳 登录，提交一条「公共维修」，几秒后会出现在这里。' }))
          reqs.forEach(function (r) { box.appendChild(card(r)) })
        }
        document.getElementById('count').textContent = '（' + reqs.length + ' 条，事件 ' + evs.length + ' 个）'
        document.getElementById('log').textContent = evs.slice().reverse().map(function (e) { return JSON.stringify(e, null, 2) }).join('\\n')
      })
      .catch(function () {})
  }
  document.getElementById('refresh').addEventListener('click', load)
  load()
  setInterval(load, 3000)
})()
</script>
</body>
</html>
`
}
