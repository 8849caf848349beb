import { randomBytes, randomUUID } from 'node:crypto'
import { and, eq, inArray } from 'drizzle-orm'
import type { FastifyInstance, InjectOptions } from 'fastify'
import { API_PREFIX } from '../app'
import { buildings, communities, persons, units } from './schema'
import { DEMO_PROPERTY_INTEGRATION_ID, DEMO_PROPERTY_SECRET } from './seed-demo'
import { sign } from '../modules/webhooks/signing'
import { encodePng } from '../lib/png'

const DAY = 86_400_000

/**
 * A demo community where things are going on, so that a person trying README's first command meets the product
 * at work rather than empty lists: an owners' vote open for voting (one neighbour has already voted), repair
 * requests at several steps of their way (one waits for 刘芳 to confirm and rate it), and a notice from the
 * property company. Everything goes through the real API as the people concerned — the committee publishes, a
 * resident files, the property company pushes signed webhooks — so the demo data obeys every rule the product
 * enforces. Development only (the seed refuses production); runs once, right after the demo seed.
 */
export async function seedDemoActivity(app: FastifyInstance): Promise<string> {
  const db = app.db
  const [sunshine] = await db.select({ id: communities.id }).from(communities).where(eq(communities.name, '阳光花园'))
  if (!sunshine) throw new Error('the demo community 阳光花园 is missing: run the demo seed first')
  const cid = sunshine.id
  // three newcomers who claim the same flat (they are not on the demo login page: 陈建国 reviews them)
  const applicants = [
    { openid: 'demo-applicant-chen', displayName: '秀兰' },
    { openid: 'demo-applicant-zhang', displayName: '张先生' },
    { openid: 'demo-applicant-sun', displayName: '小孙' },
  ]
  await db.insert(persons).values(applicants.map((a) => ({ appid: app.config.wechat.appid, ...a })))
  const people = await db
    .select({ id: persons.id, openid: persons.openid })
    .from(persons)
    .where(
      inArray(persons.openid, [
        'demo-committee-chen',
        'demo-owner-liu',
        'demo-owner-zhou',
        ...applicants.map((a) => a.openid),
      ]),
    )
  const idOf = (openid: string) => people.find((p) => p.openid === openid)!.id
  const as = (openid: string) => {
    const token = app.signAccessToken(idOf(openid), `demo-seed-${randomUUID().slice(0, 8)}`)
    return async <T = Record<string, unknown>>(opts: InjectOptions): Promise<T> => {
      const res = await app.inject({
        ...opts,
        url: `${API_PREFIX}${opts.url}`,
        headers: { ...(opts.headers ?? {}), authorization: `Bearer ${token}` },
      })
      if (res.statusCode >= 300)
        throw new Error(`demo activity: ${opts.method} ${opts.url} answered ${res.statusCode}: ${res.body}`)
      return res.json() as T
    }
  }
  const chen = as('demo-committee-chen')
  const liu = as('demo-owner-liu')
  const zhou = as('demo-owner-zhou')
  const property = async (type: string, data: Record<string, unknown>) => {
    const body = JSON.stringify({ type, timestamp: new Date().toISOString(), data })
    const id = `msg_demo_${randomUUID()}`
    const ts = Math.floor(Date.now() / 1000)
    const res = await app.inject({
      method: 'POST',
      url: `/webhooks/property/${DEMO_PROPERTY_INTEGRATION_ID}`,
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(ts),
        'webhook-signature': sign(DEMO_PROPERTY_SECRET, id, ts, body),
      },
      payload: body,
    })
    if (res.statusCode >= 300) throw new Error(`demo activity: webhook ${type} answered ${res.statusCode}: ${res.body}`)
  }

  // 业主大会表决: announced 16 days ago (the law's 15 days), open since this morning, closing in a week
  const now = Date.now()
  const vote = await chen<{ id: number; matters: { id: number }[] }>({
    method: 'POST',
    url: `/communities/${cid}/votes`,
    payload: {
      title: '关于使用专项维修资金维修1栋屋面防水的表决',
      noticeText: [
        '各位业主：',
        '1栋屋面防水层老化，今年雨季顶层 601–604 四户多次渗漏。经业委会委托检测，需整体翻新屋面防水。',
        '方案：铲除原防水层，铺设 4 mm SBS 改性沥青防水卷材两道，施工期约 20 天，施工期间不影响住户出行。',
        '预算：约 126,000 元（三家报价中最低者，报价单在物业服务中心公示），从本小区专项维修资金中列支，按 1栋 各户专有部分面积分摊。',
        '表决事项两项，均按《民法典》第二百七十八条计票。请在截止前投票；不便操作的业主可委托代理人。',
        '阳光花园业主委员会',
      ].join('\n'),
      matters: [
        { category: 5, text: '同意使用专项维修资金约 126,000 元维修1栋屋面防水' },
        { category: 9, text: '同意授权业主委员会与中标施工单位签订施工合同并组织验收' },
      ],
      announcedAt: new Date(now - 16 * DAY).toISOString(),
      opensAt: new Date(now - 2 * 3_600_000).toISOString(),
      closesAt: new Date(now + 7 * DAY).toISOString(),
    },
  })
  await chen({ method: 'POST', url: `/communities/${cid}/votes/${vote.id}/publish`, payload: {} })
  await app.scheduler.runDue() // opens it: its start time has passed
  const [entry] = (
    await zhou<{ items: { entry: { ownerKey: string } }[] }>({
      method: 'GET',
      url: `/communities/${cid}/votes/${vote.id}/my-entries`,
    })
  ).items
  await zhou({
    method: 'POST',
    url: `/communities/${cid}/votes/${vote.id}/ballots`,
    headers: { 'idempotency-key': randomUUID() },
    payload: { ownerKey: entry!.entry.ownerKey, choices: vote.matters.map((m) => ({ matterId: m.id, choice: 'yes' })) },
  })

  // 报事报修 at several steps: the property company (its signed webhooks) has taken them on
  const categories = (
    await liu<{ items: { id: number; name: string }[] }>({
      method: 'GET',
      url: `/communities/${cid}/service-categories`,
    })
  ).items
  const category = (name: string) => categories.find((c) => c.name === name)!.id
  const [b1] = await db
    .select({ id: buildings.id })
    .from(buildings)
    .where(and(eq(buildings.communityId, cid), eq(buildings.name, '1栋')))
  const [u102] = await db
    .select({ id: units.id })
    .from(units)
    .where(and(eq(units.buildingId, b1!.id), eq(units.number, '102')))
  const lamp = await zhou<{ id: number }>({
    method: 'POST',
    url: `/communities/${cid}/service-requests`,
    payload: {
      categoryId: category('公共维修'),
      description: '1栋2单元3楼楼道灯不亮了，晚上上下楼很黑，老人走路不安全。',
      location: { kind: 'building', buildingId: b1!.id, detail: '2单元3楼楼道' },
      answers: { facility: 'lighting' },
      photoIds: [],
      sharePhone: false,
    },
  })
  await property('service_request.status_changed', {
    requestId: lamp.id,
    status: 'accepted',
    note: '已派电工，今天下午处理',
  })
  await property('service_request.status_changed', {
    requestId: lamp.id,
    status: 'in_progress',
    handler: { name: '王师傅', phone: '13900000088' },
  })
  const leak = await liu<{ id: number }>({
    method: 'POST',
    url: `/communities/${cid}/service-requests`,
    payload: {
      categoryId: category('户内维修'),
      description: '卫生间洗手盆下水管接口漏水，地面一直有积水。',
      location: { kind: 'unit', unitId: u102!.id, detail: '卫生间' },
      answers: { part: ['water'] },
      photoIds: [],
      sharePhone: true,
      contactTime: '工作日18:00后',
    },
  })
  await property('service_request.status_changed', { requestId: leak.id, status: 'accepted' })
  await property('service_request.status_changed', {
    requestId: leak.id,
    status: 'in_progress',
    handler: { name: '李师傅', phone: '13900000066' },
  })
  await property('service_request.status_changed', {
    requestId: leak.id,
    status: 'resolved',
    note: '已更换下水管密封圈，试水无渗漏',
  })

  await property('notice.published', {
    title: '停水通知',
    body: '因二次供水设备检修，12 月 6 日（周六）9:00–12:00 1栋、2栋停水，请提前储水。如有不便，敬请谅解。\n示例物业服务有限公司 阳光花园服务中心',
    buildings: ['1栋', '2栋'],
  })

  // 1栋 202: three claims side by side for the committee — the roster owner (name matches, phone not bound),
  // someone else claiming to own it, and a tenant — each with a photo of their paper
  const [u202] = await db
    .select({ id: units.id })
    .from(units)
    .where(and(eq(units.buildingId, b1!.id), eq(units.number, '202')))
  const claims = [
    { openid: 'demo-applicant-chen', relation: 'owner', name: '陈秀兰', kind: 'property_certificate' },
    { openid: 'demo-applicant-zhang', relation: 'owner', name: '张伟', kind: 'purchase_contract' },
    { openid: 'demo-applicant-sun', relation: 'tenant', name: '孙丽', kind: 'lease_contract' },
  ] as const
  for (const c of claims) {
    const who = as(c.openid)
    const file = multipart(documentPng())
    const photo = await who<{ id: number }>({
      method: 'POST',
      url: `/communities/${cid}/photos?purpose=membership`,
      payload: file.payload,
      headers: file.headers,
    })
    await who({
      method: 'POST',
      url: '/memberships',
      payload: { unitId: u202!.id, relation: c.relation, name: c.name, proof: { kind: c.kind, photoIds: [photo.id] } },
    })
  }

  return `an open owners' vote (${vote.id}), 2 repair requests (${lamp.id} in progress, ${leak.id} awaiting 刘芳's confirmation), a property notice, 3 claims on 1栋 202 waiting for review`
}

/** One file as multipart/form-data, as wx.uploadFile sends it. */
function multipart(data: Buffer): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----linli${randomBytes(8).toString('hex')}`
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="proof.png"\r\nContent-Type: image/png\r\n\r\n`,
  )
  return {
    payload: Buffer.concat([head, data, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  }
}

/** A picture that reads as a page of a document (a title bar, lines of text, a red seal). */
function documentPng(): Buffer {
  return encodePng(240, 320, (x, y) => {
    if (y >= 24 && y < 40 && x >= 60 && x < 180) return [60, 60, 60]
    if (y >= 64 && y < 260 && (y - 64) % 20 < 6 && x >= 24 && x < 216 - ((y * 7) % 60)) return [120, 120, 120]
    const ring = (x - 170) ** 2 + (y - 270) ** 2
    if (ring < 30 ** 2 && ring > 25 ** 2) return [200, 40, 40]
    return [250, 248, 240]
  })
}
