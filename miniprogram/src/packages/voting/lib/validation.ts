import { MATTER_CATEGORIES, type MatterCategory } from '@linli/shared/voting/rules'
import { phoneProblem } from '@linli/shared/privacy/phone'
import type { CreateVoteBody } from '@linli/shared/schemas'
import { noticeTooShort, parseLocalDateTime } from './datetime'

/** Client checks mirror the contract (shared/src/schemas/voting.ts); the BFF checks again. null = fine. */

/** The written authorisation may be typed, or photos of the signed paper (or both); photos still uploading block. */
export function validateProxyForm(f: {
  ownerKey: string | null
  name: string
  phone: string
  text: string
  photoIds?: number[]
  uploading?: number
}): string | null {
  if (!f.ownerKey) return '请选择为哪套房屋委托'
  const name = f.name.trim()
  if (name.length < 1 || name.length > 32) return '请填写代理人姓名（最多 32 个字）'
  const phone = phoneProblem(f.phone)
  if (phone) return `代理人${phone.message}`
  if (f.uploading) return '委托书照片还在上传，请稍候'
  const n = f.text.trim().length
  const photos = f.photoIds?.length ?? 0
  if (n === 0 && photos === 0) return '请上传签字的授权委托书照片，或填写委托书内容'
  if (n > 0 && n < 10) return '委托书内容至少 10 个字'
  if (n > 5000) return '授权委托书最多 5000 个字'
  return null
}

export interface MatterDraft {
  category: MatterCategory | null
  text: string
}

export interface VoteDraft {
  title: string
  noticeText: string
  matters: MatterDraft[]
  announcedAt: string
  opensAt: string
  closesAt: string
  hideResultsUntilClose: boolean
}

export type DraftCheck = { ok: true; body: CreateVoteBody; noticeTooShort: boolean } | { ok: false; error: string }

/** The draft as typed → the request body, or the first problem in Chinese. */
export function checkVoteDraft(d: VoteDraft): DraftCheck {
  const title = d.title.trim()
  if (title.length < 2 || title.length > 100) return { ok: false, error: '标题需 2–100 个字' }
  const noticeText = d.noticeText.trim()
  if (noticeText.length < 2) return { ok: false, error: '请填写公告内容' }
  if (noticeText.length > 20000) return { ok: false, error: '公告内容最多 20000 个字' }
  if (d.matters.length < 1) return { ok: false, error: '至少需要一项表决事项' }
  if (d.matters.length > 30) return { ok: false, error: '最多 30 项表决事项' }
  const matters: CreateVoteBody['matters'] = []
  for (const [i, m] of d.matters.entries()) {
    if (m.category === null || !MATTER_CATEGORIES.includes(m.category))
      return { ok: false, error: `请为第 ${i + 1} 项选择事项类别` }
    const text = m.text.trim()
    if (text.length < 2 || text.length > 2000) return { ok: false, error: `第 ${i + 1} 项的内容需 2–2000 个字` }
    matters.push({ category: m.category, text })
  }
  const announcedAt = parseLocalDateTime(d.announcedAt)
  const opensAt = parseLocalDateTime(d.opensAt)
  const closesAt = parseLocalDateTime(d.closesAt)
  if (!announcedAt) return { ok: false, error: '公告时间格式应为 YYYY-MM-DD HH:mm' }
  if (!opensAt) return { ok: false, error: '开始时间格式应为 YYYY-MM-DD HH:mm' }
  if (!closesAt) return { ok: false, error: '截止时间格式应为 YYYY-MM-DD HH:mm' }
  if (Date.parse(opensAt) < Date.parse(announcedAt)) return { ok: false, error: '开始投票不能早于公告时间' }
  if (Date.parse(closesAt) <= Date.parse(opensAt)) return { ok: false, error: '截止时间必须晚于开始时间' }
  return {
    ok: true,
    body: {
      title,
      noticeText,
      matters,
      announcedAt,
      opensAt,
      closesAt,
      hideResultsUntilClose: d.hideResultsUntilClose,
    },
    noticeTooShort: noticeTooShort(announcedAt, opensAt),
  }
}

export function validateReason(reason: string, min = 2, max = 500): string | null {
  const n = reason.trim().length
  if (n < min) return `请填写原因，至少 ${min} 个字`
  if (n > max) return `原因最多 ${max} 个字`
  return null
}
