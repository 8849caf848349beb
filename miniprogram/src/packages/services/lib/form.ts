import type { ServiceCategory } from '@linli/shared/schemas'
import { validateAnswers, type AttributeAnswers, type AttributeDef } from '@linli/shared/service-requests/attributes'
import {
  availableActions,
  isOpenStatus,
  MAX_PHOTOS,
  RATING_MAX,
  RATING_MIN,
  type SrAction,
  type SrParty,
  type SrStatus,
} from '@linli/shared/service-requests/rules'

/** The filing form's state (what the page keeps). */
export interface FileForm {
  categoryId: number | null
  answers: Record<string, string | string[]>
  location: { kind: 'unit' | 'building' | 'public'; unitId: number | null; buildingId: number | null; detail: string }
  description: string
  /** ids of photos already uploaded */
  photoIds: number[]
  /** photos still uploading */
  uploading: number
  /** photos that did not upload (to retry or remove first) */
  failed?: number
  contactTime: string
  sharePhone: boolean
}

export const emptyFileForm = (): FileForm => ({
  categoryId: null,
  answers: {},
  location: { kind: 'unit', unitId: null, buildingId: null, detail: '' },
  description: '',
  photoIds: [],
  uploading: 0,
  contactTime: '',
  sharePhone: false,
})

export const DESCRIPTION_MIN = 5
export const DESCRIPTION_MAX = 1000

export interface FileBody {
  categoryId: number
  description: string
  location: { kind: 'unit' | 'building' | 'public'; unitId?: number; buildingId?: number; detail?: string }
  answers: AttributeAnswers
  photoIds: number[]
  contactTime?: string
  sharePhone: boolean
}

/** Chinese message for one attribute problem (the shared validator speaks English, for the BFF's logs). */
function answerMessage(def: AttributeDef | undefined, message: string): string {
  if (!def) return '该问题不属于此类别'
  const choice = def.type === 'single_choice' || def.type === 'multi_choice'
  if (message.endsWith('required')) return choice ? `请选择「${def.label}」` : `请填写「${def.label}」`
  if (def.type === 'number') {
    if (message.includes('whole')) return `「${def.label}」请填写整数`
    if (message.includes('at least')) return `「${def.label}」不能小于 ${def.min}`
    if (message.includes('at most')) return `「${def.label}」不能大于 ${def.max}`
    return `「${def.label}」请填写数字`
  }
  if (def.type === 'text') return `「${def.label}」最多 ${def.maxLength ?? 200} 字`
  return `「${def.label}」的选项无效`
}

/**
 * Checks the form against the category with the shared validator (the BFF refuses the same things):
 * required extra questions answered, location complete, description long enough, no photo still uploading or
 * left failed (the resident decides: retry or remove, never silently sent without it).
 * Errors are keyed by field: `category`, `answers.<code>`, `location`, `description`, `photos`.
 */
export function checkFileForm(
  form: FileForm,
  category: Pick<ServiceCategory, 'id' | 'attributes'> | null,
): { ok: true; body: FileBody } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {}
  if (!category || form.categoryId !== category.id) errors.category = '请选择报事类别'
  let answers: AttributeAnswers = {}
  if (category) {
    const defs = category.attributes as AttributeDef[]
    const checked = validateAnswers(defs, form.answers)
    if (checked.ok) answers = checked.answers
    else
      for (const e of checked.errors)
        errors[e.field] = answerMessage(
          defs.find((d) => `answers.${d.code}` === e.field),
          e.message,
        )
  }
  const loc = form.location
  if (loc.kind === 'unit' && !loc.unitId) errors.location = '请选择您已认证的房屋'
  else if (loc.kind === 'building' && !loc.buildingId) errors.location = '请选择楼栋'
  else if (loc.kind === 'public' && !loc.detail.trim()) errors.location = '请填写具体位置，例如：北门岗亭'
  else if (Array.from(loc.detail.trim()).length > 100) errors.location = '具体位置最多 100 字'
  const desc = form.description.trim()
  const len = Array.from(desc).length
  if (len < DESCRIPTION_MIN) errors.description = `请描述问题，至少 ${DESCRIPTION_MIN} 个字`
  else if (len > DESCRIPTION_MAX) errors.description = `问题描述最多 ${DESCRIPTION_MAX} 字`
  if (form.uploading > 0) errors.photos = '照片还在上传，请稍候'
  else if ((form.failed ?? 0) > 0)
    errors.photos = `有 ${form.failed} 张照片没有传上去：请按照片下方的提示重试，或删除后再提交`
  else if (form.photoIds.length > MAX_PHOTOS) errors.photos = `最多 ${MAX_PHOTOS} 张照片`
  if (Object.keys(errors).length || !category) return { ok: false, errors }
  const detail = loc.detail.trim()
  const location: FileBody['location'] =
    loc.kind === 'unit'
      ? { kind: 'unit', unitId: loc.unitId!, ...(detail ? { detail } : {}) }
      : loc.kind === 'building'
        ? { kind: 'building', buildingId: loc.buildingId!, ...(detail ? { detail } : {}) }
        : { kind: 'public', detail }
  const contactTime = form.contactTime.trim()
  return {
    ok: true,
    body: {
      categoryId: category.id,
      description: desc,
      location,
      answers,
      photoIds: form.photoIds,
      ...(contactTime ? { contactTime } : {}),
      sharePhone: form.sharePhone,
    },
  }
}

export interface RatingForm {
  overall: number | null
  speed: number | null
  attitude: number | null
  text: string
}

export const RATING_DIMENSIONS = [
  { key: 'overall', label: '总体满意度' },
  { key: 'speed', label: '处理速度' },
  { key: 'attitude', label: '服务态度' },
] as const

/** All three scores (1–5) are needed; the text is optional (at most 500 characters). */
export function checkRating(
  r: RatingForm,
):
  | { ok: true; body: { overall: number; speed: number; attitude: number; text?: string } }
  | { ok: false; error: string } {
  const valid = (v: number | null): v is number =>
    v !== null && Number.isInteger(v) && v >= RATING_MIN && v <= RATING_MAX
  const missing = RATING_DIMENSIONS.filter((d) => !valid(r[d.key]))
  if (missing.length) return { ok: false, error: `请为${missing.map((d) => `「${d.label}」`).join('')}打分（1–5 星）` }
  const text = r.text.trim()
  if (Array.from(text).length > 500) return { ok: false, error: '评价内容最多 500 字' }
  return { ok: true, body: { overall: r.overall!, speed: r.speed!, attitude: r.attitude!, ...(text ? { text } : {}) } }
}

export type ReporterButton = 'cancel' | 'urge' | 'confirm' | 'reopen'

/**
 * The reporter's buttons for a request in `status`: the shared state machine's reporter actions (cancel before
 * acceptance, confirm / reopen once resolved), plus 催办 while it is open. `allowed` (the BFF's `actions` for the
 * caller) narrows it further when given.
 */
export function reporterButtons(status: SrStatus, allowed?: readonly string[]): ReporterButton[] {
  const fromRules: ReporterButton[] = availableActions(status, 'reporter').filter(
    (a): a is 'cancel' | 'confirm' | 'reopen' => a === 'cancel' || a === 'confirm' || a === 'reopen',
  )
  const all: ReporterButton[] = isOpenStatus(status) ? [...fromRules, 'urge'] : fromRules
  return allowed ? all.filter((a) => allowed.includes(a)) : all
}

/** The handler side's buttons (committee / community worker through the transitions route). */
export function handlerButtons(status: SrStatus, party: SrParty = 'handler'): SrAction[] {
  return availableActions(status, party).filter((a) => a !== 'auto_close')
}

/** 30 → 30分钟, 90 → 1.5小时, 1440 → 1天 */
export function minutesLabel(m: number): string {
  if (m < 60) return `${m}分钟`
  if (m < 24 * 60) return `${Math.round((m / 60) * 10) / 10}小时`
  return `${Math.round((m / 1440) * 10) / 10}天`
}

/** whole seconds → 1小时5分 / 2天3小时 / 45秒 */
export function durationLabel(seconds: number | null): string {
  if (seconds === null) return '—'
  const s = Math.round(seconds)
  if (s < 60) return `${s}秒`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}分钟`
  const h = Math.floor(m / 60)
  if (h < 24) return `${h}小时${m % 60 ? `${m % 60}分` : ''}`
  return `${Math.floor(h / 24)}天${h % 24 ? `${h % 24}小时` : ''}`
}

/** basis points → 87.5% ("—" for no data) */
export function bpLabel(bp: number | null): string {
  return bp === null
    ? '—'
    : `${(bp / 100)
        .toFixed(2)
        .replace(/\.00$/, '')
        .replace(/(\.\d)0$/, '$1')}%`
}

/** Seconds left before urging is allowed again (0 = now). */
export function urgeWait(nextAllowedAt: string | null, now = Date.now()): number {
  if (!nextAllowedAt) return 0
  const ms = Date.parse(nextAllowedAt) - now
  return ms > 0 ? Math.ceil(ms / 1000) : 0
}

/** "还需等待 4分30秒" for the urge cooldown (URGE_TOO_SOON carries retryAfter seconds). */
export function waitLabel(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds))
  const m = Math.floor(s / 60)
  const r = s % 60
  return m ? `${m}分${r ? `${r}秒` : '钟'}` : `${r}秒`
}

/** The message for a refused urge: the cooldown in plain words, else the usual Chinese error text. */
export function urgeErrorText(e: unknown, fallback: (e: unknown) => string): string {
  const err = e as { code?: string; details?: { retryAfter?: number; nextAllowedAt?: string } } | null
  if (err?.code === 'URGE_TOO_SOON') {
    const wait = err.details?.retryAfter ?? urgeWait(err.details?.nextAllowedAt ?? null)
    return wait > 0 ? `您刚催办过，处理方已收到提醒。请 ${waitLabel(wait)}后再催办。` : '您刚催办过，请稍后再试。'
  }
  return fallback(e)
}
