import { describe, expect, it, vi } from 'vitest'
import type { Me, ServiceCategory, SrEvent } from '@linli/shared/schemas'
import { DEFAULT_CATEGORIES } from '@linli/shared/service-requests/labels'
import { availableActions, checkTransition, SR_STATUSES, isOpenStatus } from '@linli/shared/service-requests/rules'
import { AttributeFields, RatingPanel, Timeline } from '../src/packages/services/components'
import {
  bpLabel,
  checkFileForm,
  checkRating,
  durationLabel,
  emptyFileForm,
  handlerButtons,
  minutesLabel,
  reporterButtons,
  urgeErrorText,
  type FileForm,
} from '../src/packages/services/lib/form'
import { srCommunities, viewerRoles } from '../src/services/api/service-requests'
import { followRefusal } from '@linli/shared/service-requests/rules'
import type { ServiceRequestSummary } from '@linli/shared/schemas'
import { SrRow } from '../src/packages/services/components'
import { ApiError, errorText } from '../src/services/http'
import { mountPerTest } from './dom'

const dom = mountPerTest()
const { $, click } = dom

const category = (i: number, id = 10 + i): ServiceCategory => ({
  id,
  communityId: 1,
  active: true,
  position: i,
  ...DEFAULT_CATEGORIES[i]!,
})
const publicRepair = category(0) // 公共维修: facility (single choice) required
const homeRepair = category(1) // 户内维修: part (multi choice) required, home optional
const numberCategory: ServiceCategory = {
  ...category(2),
  attributes: [
    { code: 'floor', label: '楼层', type: 'number', required: true, integer: true, min: 1, max: 40 },
    { code: 'note', label: '补充', type: 'text', required: false, maxLength: 10 },
  ],
}

const form = (patch: Partial<FileForm>): FileForm => ({
  ...emptyFileForm(),
  description: '楼道灯不亮已经三天了',
  ...patch,
})

describe('filing form: required extra questions block submitting', () => {
  it('refuses without the required single choice and names the question in Chinese', () => {
    const r = checkFileForm(
      form({ categoryId: publicRepair.id, location: { kind: 'building', buildingId: 3, unitId: null, detail: '' } }),
      publicRepair,
    )
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.errors['answers.facility']).toBe('请选择「设施类型」')
    const ok = checkFileForm(
      form({
        categoryId: publicRepair.id,
        answers: { facility: 'lighting' },
        location: { kind: 'building', buildingId: 3, unitId: null, detail: ' 2单元 ' },
      }),
      publicRepair,
    )
    expect(ok).toEqual({
      ok: true,
      body: {
        categoryId: publicRepair.id,
        description: '楼道灯不亮已经三天了',
        location: { kind: 'building', buildingId: 3, detail: '2单元' },
        answers: { facility: 'lighting' },
        photoIds: [],
        sharePhone: false,
      },
    })
  })

  it('multi choice needs at least one option; optional questions may stay empty', () => {
    const base = {
      categoryId: homeRepair.id,
      location: { kind: 'unit' as const, unitId: 5, buildingId: null, detail: '' },
    }
    expect(checkFileForm(form({ ...base, answers: { part: [] } }), homeRepair)).toMatchObject({
      ok: false,
      errors: { 'answers.part': '请选择「维修部位」' },
    })
    const ok = checkFileForm(
      form({
        ...base,
        answers: { part: ['water', 'power'], home: '' },
        photoIds: [7, 8],
        contactTime: '工作日18:00后',
        sharePhone: true,
      }),
      homeRepair,
    )
    expect(ok.ok).toBe(true)
    if (ok.ok)
      expect(ok.body).toMatchObject({
        answers: { part: ['water', 'power'] },
        photoIds: [7, 8],
        contactTime: '工作日18:00后',
        sharePhone: true,
        location: { kind: 'unit', unitId: 5 },
      })
  })

  it('numbers are checked against their bounds with the shared validator', () => {
    const base = {
      categoryId: numberCategory.id,
      location: { kind: 'public' as const, unitId: null, buildingId: null, detail: '北门' },
    }
    expect(checkFileForm(form({ ...base, answers: {} }), numberCategory)).toMatchObject({
      ok: false,
      errors: { 'answers.floor': '请填写「楼层」' },
    })
    expect(checkFileForm(form({ ...base, answers: { floor: '41' } }), numberCategory)).toMatchObject({
      ok: false,
      errors: { 'answers.floor': '「楼层」不能大于 40' },
    })
    expect(checkFileForm(form({ ...base, answers: { floor: '2.5' } }), numberCategory)).toMatchObject({
      ok: false,
      errors: { 'answers.floor': '「楼层」请填写整数' },
    })
    expect(
      checkFileForm(form({ ...base, answers: { floor: '12', note: '超过十个字的补充说明文字' } }), numberCategory),
    ).toMatchObject({ ok: false, errors: { 'answers.note': '「补充」最多 10 字' } })
    expect(checkFileForm(form({ ...base, answers: { floor: '12' } }), numberCategory)).toMatchObject({
      ok: true,
      body: { answers: { floor: 12 }, location: { kind: 'public', detail: '北门' } },
    })
  })

  it('needs a category, a complete location, a long enough description, and no photo still uploading', () => {
    expect(checkFileForm(form({}), null)).toMatchObject({ ok: false, errors: { category: '请选择报事类别' } })
    const r = checkFileForm(
      form({
        categoryId: publicRepair.id,
        answers: { facility: 'door' },
        description: '坏了',
        uploading: 1,
        location: { kind: 'public', unitId: null, buildingId: null, detail: ' ' },
      }),
      publicRepair,
    )
    expect(r).toMatchObject({
      ok: false,
      errors: {
        location: expect.stringContaining('具体位置'),
        description: '请描述问题，至少 5 个字',
        photos: '照片还在上传，请稍候',
      },
    })
    expect(checkFileForm(form({ categoryId: homeRepair.id, answers: { part: ['wall'] } }), homeRepair)).toMatchObject({
      ok: false,
      errors: { location: '请选择您已认证的房屋' },
    })
  })

  it('does not file past a photo that failed: the resident retries or removes it first', () => {
    const base = {
      categoryId: publicRepair.id,
      answers: { facility: 'door' },
      location: { kind: 'building' as const, buildingId: 3, unitId: null, detail: '' },
      photoIds: [7],
    }
    expect(checkFileForm(form({ ...base, failed: 1 }), publicRepair)).toMatchObject({
      ok: false,
      errors: { photos: '有 1 张照片没有传上去：请按照片下方的提示重试，或删除后再提交' },
    })
    expect(checkFileForm(form({ ...base, failed: 0 }), publicRepair)).toMatchObject({
      ok: true,
      body: { photoIds: [7] },
    })
  })

  it('AttributeFields marks required questions, toggles choices and shows the errors', () => {
    const onChange = vi.fn()
    dom.render(
      <AttributeFields
        defs={homeRepair.attributes}
        answers={{ part: ['water'] }}
        errors={{ 'answers.part': '请选择「维修部位」' }}
        onChange={onChange}
      />,
    )
    expect($('#sr-attr-part')!.getAttribute('data-required')).toBe('true')
    expect($('#sr-attr-home')!.getAttribute('data-required')).toBe('false')
    expect($('#sr-attr-part-water')!.getAttribute('data-selected')).toBe('true')
    expect($('#sr-attr-part-error')!.textContent).toBe('请选择「维修部位」')
    click('#sr-attr-part-power')
    expect(onChange).toHaveBeenLastCalledWith('part', ['water', 'power'])
    click('#sr-attr-part-water')
    expect(onChange).toHaveBeenLastCalledWith('part', [])
    click('#sr-attr-home-yes')
    expect(onChange).toHaveBeenLastCalledWith('home', 'yes')
  })
})

describe('confirm and rate: all three scores are needed', () => {
  it('checkRating', () => {
    expect(checkRating({ overall: 5, speed: 4, attitude: null, text: '' })).toEqual({
      ok: false,
      error: '请为「服务态度」打分（1–5 星）',
    })
    expect(checkRating({ overall: null, speed: null, attitude: null, text: '' })).toMatchObject({
      ok: false,
      error: expect.stringContaining('「总体满意度」「处理速度」「服务态度」'),
    })
    expect(checkRating({ overall: 6, speed: 4, attitude: 4, text: '' }).ok).toBe(false)
    expect(checkRating({ overall: 5, speed: 4, attitude: 3, text: '  很及时 ' })).toEqual({
      ok: true,
      body: { overall: 5, speed: 4, attitude: 3, text: '很及时' },
    })
    expect(checkRating({ overall: 1, speed: 1, attitude: 1, text: '' })).toEqual({
      ok: true,
      body: { overall: 1, speed: 1, attitude: 1 },
    })
  })

  it('RatingPanel does not submit until overall, speed and attitude are all given', () => {
    const onSubmit = vi.fn()
    dom.render(<RatingPanel onSubmit={onSubmit} />)
    click('#rate-overall-5')
    click('#rate-speed-4')
    click('#rate-submit')
    expect(onSubmit).not.toHaveBeenCalled()
    expect($('#rate-error')!.textContent).toBe('请为「服务态度」打分（1–5 星）')
    expect($('#rate-overall')!.getAttribute('data-value')).toBe('5')
    expect($('#rate-overall-5')!.getAttribute('aria-checked')).toBe('true')
    click('#rate-attitude-3')
    expect($('#rate-error')).toBeNull()
    click('#rate-submit')
    expect(onSubmit).toHaveBeenCalledWith({ overall: 5, speed: 4, attitude: 3 })
  })
})

describe('the buttons follow the shared state machine', () => {
  it('reporter: cancel before acceptance, confirm / reopen once resolved, urge while open', () => {
    for (const s of SR_STATUSES) {
      const b = reporterButtons(s)
      expect(b.includes('cancel'), s).toBe(checkTransition(s, 'cancel', 'reporter').ok)
      expect(b.includes('confirm'), s).toBe(checkTransition(s, 'confirm', 'reporter').ok)
      expect(b.includes('reopen'), s).toBe(checkTransition(s, 'reopen', 'reporter').ok)
      expect(b.includes('urge'), s).toBe(isOpenStatus(s))
    }
    expect(reporterButtons('submitted')).toEqual(['cancel', 'urge'])
    expect(reporterButtons('resolved')).toEqual(['confirm', 'reopen'])
    expect(reporterButtons('closed')).toEqual([])
    // the BFF's list for this caller narrows it (e.g. a follower may urge but not cancel)
    expect(reporterButtons('submitted', ['urge', 'unfollow'])).toEqual(['urge'])
  })

  it('handler side: exactly the handler transitions of the state machine', () => {
    for (const s of SR_STATUSES) expect(handlerButtons(s), s).toEqual(availableActions(s, 'handler'))
    expect(handlerButtons('submitted')).toEqual(['accept', 'reject', 'duplicate'])
    expect(handlerButtons('accepted')).toEqual(['assign', 'start', 'reject', 'duplicate'])
    expect(handlerButtons('in_progress')).toEqual(['resolve'])
    expect(handlerButtons('closed')).toEqual([])
  })

  it('a refused urge (URGE_TOO_SOON) says how long to wait', () => {
    const tooSoon = new ApiError('URGE_TOO_SOON', 429, undefined, {
      retryAfter: 270,
      nextAllowedAt: new Date(Date.now() + 270_000).toISOString(),
    })
    expect(urgeErrorText(tooSoon, errorText)).toBe('您刚催办过，处理方已收到提醒。请 4分30秒后再催办。')
    expect(urgeErrorText(new ApiError('URGE_TOO_SOON', 429, undefined, { retryAfter: 120 }), errorText)).toContain(
      '2分钟后',
    )
    expect(urgeErrorText(new ApiError('INVALID_TRANSITION', 409), errorText)).toBe('当前状态下不能进行此操作')
  })
})

describe('timeline and figures', () => {
  it('shows every event with who, when and the note', () => {
    const events: SrEvent[] = [
      {
        seq: 1,
        action: 'file',
        fromStatus: null,
        toStatus: 'submitted',
        actorKind: 'resident',
        actorName: '刘芳',
        note: null,
        at: '2026-11-22T01:00:00.000Z',
      },
      {
        seq: 2,
        action: 'accept',
        fromStatus: 'submitted',
        toStatus: 'accepted',
        actorKind: 'property',
        actorName: null,
        note: '已安排师傅',
        at: '2026-11-22T01:10:00.000Z',
      },
    ]
    dom.render(<Timeline events={events} idPrefix='tl' />)
    expect($('#tl-1')!.getAttribute('data-status')).toBe('submitted')
    expect($('#tl-1')!.textContent).toContain('提交报事')
    expect($('#tl-1')!.textContent).toContain('居民 刘芳')
    expect($('#tl-2')!.textContent).toContain('受理')
    expect($('#tl-2')!.textContent).toContain('物业')
    expect($('#tl-2')!.textContent).toContain('已安排师傅')
  })

  it('formats SLA minutes, durations and shares', () => {
    expect(minutesLabel(30)).toBe('30分钟')
    expect(minutesLabel(90)).toBe('1.5小时')
    expect(minutesLabel(2880)).toBe('2天')
    expect(durationLabel(null)).toBe('—')
    expect(durationLabel(3900)).toBe('1小时5分')
    expect(durationLabel(93_600)).toBe('1天2小时')
    expect(bpLabel(null)).toBe('—')
    expect(bpLabel(10000)).toBe('100%')
    expect(bpLabel(8750)).toBe('87.5%')
    expect(bpLabel(6666)).toBe('66.66%')
  })

  it('srCommunities: verified households and committee / worker roles', () => {
    const me = {
      households: [
        { state: 'verified', unit: { communityId: 1, communityName: '阳光花园' } },
        { state: 'pending', unit: { communityId: 2, communityName: '幸福里' } },
      ],
      roles: [
        { role: 'worker', communityId: 1, communityName: '阳光花园' },
        { role: 'committee', communityId: 3, communityName: '和平小区' },
      ],
    } as unknown as Me
    expect(srCommunities(me)).toEqual([
      { communityId: 1, communityName: '阳光花园', supervisor: true },
      { communityId: 3, communityName: '和平小区', supervisor: true },
    ])
    expect(srCommunities(null)).toEqual([])
  })
})

describe('lists and "我也遇到了"', () => {
  const summary = (patch: Partial<ServiceRequestSummary> = {}): ServiceRequestSummary => ({
    id: 5,
    communityId: 1,
    category: { id: 10, name: '公共维修', urgency: 'normal' },
    handler: 'property',
    status: 'submitted',
    location: { kind: 'building', buildingId: 3, buildingName: '1栋', unitId: null, unitNumber: null, detail: '2单元' },
    description: '楼道灯不亮。'.repeat(160),
    photoCount: 0,
    followerCount: 0,
    escalation: null,
    mine: false,
    following: false,
    createdAt: '2026-11-22T01:00:00.000Z',
    updatedAt: '2026-11-22T01:00:00.000Z',
    ...patch,
  })

  it('a list row shows a one-line summary of a long description, not all of it', () => {
    dom.render(<SrRow item={summary()} id='row' />)
    const text = $('#row-summary')!.textContent!
    expect(Array.from(text)).toHaveLength(40)
    expect(text.endsWith('…')).toBe(true)
    expect($('#row')!.textContent).toContain('1栋 2单元')
  })

  it('viewerRoles: the roles the BFF reckons, for the shared follow rule', () => {
    const me = {
      isPlatformAdmin: false,
      households: [{ state: 'verified', unit: { communityId: 1, communityName: '阳光花园' } }],
      roles: [{ role: 'committee', communityId: 1, communityName: '阳光花园' }],
    } as unknown as Me
    expect([...viewerRoles(me, 1)].sort()).toEqual(['committee', 'resident'])
    expect([...viewerRoles(me, 2)]).toEqual([])
    expect([...viewerRoles(null, 1)]).toEqual([])
    const req = summary()
    const rule = (m: Me, mine = false) =>
      followRefusal(
        { status: req.status, locationKind: req.location.kind, handler: req.handler },
        { isReporter: mine, roles: viewerRoles(m, 1) },
      )
    // a committee member who lives there handles it: no "me too"; a neighbour may; the reporter may not
    expect(rule(me)).toBe('handler')
    const neighbour = { ...me, roles: [] } as Me
    expect(rule(neighbour)).toBeNull()
    expect(rule(neighbour, true)).toBe('reporter')
  })
})
