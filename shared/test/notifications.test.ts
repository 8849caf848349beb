import { describe, expect, it } from 'vitest'
import {
  INBOX_BODY_MAX,
  messagePages,
  messageText,
  NOTIFICATION_TEMPLATES,
  type NotificationContent,
} from '../src/notifications'
import { hasLoneSurrogate, textLength } from '../src/text'

const sample: { [T in NotificationContent['template']]: Extract<NotificationContent, { template: T }>['data'] } = {
  vote_reminder: { thing1: '加装电梯', time2: '2026-12-08 18:00', thing3: '您还未表决，请在截止前投票' },
  vote_result: { thing1: '加装电梯', phrase2: '结果已公示' },
  sr_progress: { thing1: '户内维修', thing2: '受理', time3: '2026-12-01 09:00', thing4: '已受理' },
  sr_todo: { thing1: '建议', thing2: '新报事', time3: '2026-12-01 09:00', thing4: '北门口的路灯坏了' },
  sr_overdue: { thing1: '公共维修', thing2: '超时未受理', time3: '2026-12-01 09:00', thing4: '楼道灯不亮' },
}
const text = <T extends NotificationContent['template']>(template: T, data: Partial<(typeof sample)[T]> = {}) =>
  messageText({ template, data: { ...sample[template], ...data } } as NotificationContent)

describe('the words of 消息, from the subscribe message’s data', () => {
  it('says each template plainly', () => {
    expect(text('vote_reminder')).toEqual({
      title: '业主表决即将截止',
      body: '「加装电梯」将于 2026-12-08 18:00 截止。您还未表决，请在截止前投票。',
    })
    expect(text('vote_result')).toEqual({
      title: '业主表决结果已公示',
      body: '「加装电梯」结果已公示，请查看表决结果。',
    })
    expect(text('sr_progress')).toEqual({ title: '报事进度：受理', body: '「户内维修」报事：已受理。' })
    expect(text('sr_todo')).toEqual({ title: '报事待处理：新报事', body: '「建议」报事：北门口的路灯坏了' })
    expect(text('sr_overdue')).toEqual({ title: '报事超时未受理', body: '「公共维修」报事：楼道灯不亮' })
    for (const t of NOTIFICATION_TEMPLATES) expect(text(t).title.length).toBeGreaterThan(0)
  })

  it('does not double a handler’s own full stop', () => {
    expect(text('sr_progress', { thing4: '师傅明天上午上门。' }).body).toBe('「户内维修」报事：师傅明天上午上门。')
    expect(text('sr_progress', { thing4: '请问具体位置？' }).body).toBe('「户内维修」报事：请问具体位置？')
  })

  it('keeps a whole vote title (no 20-character cut), and cuts only past the column, between characters', () => {
    const title = '关于使用专项维修资金更换1至6栋全部电梯及加装电梯的表决'
    expect(text('vote_result', { thing1: title }).body).toContain(`「${title}」`)
    const long = text('sr_progress', { thing4: '😀'.repeat(600) }).body
    expect(textLength(long)).toBe(INBOX_BODY_MAX)
    expect(hasLoneSurrogate(long)).toBe(false)
  })

  it('builds the pages a message opens', () => {
    expect(messagePages.serviceRequest(3, 42)).toBe('packages/services/pages/detail/index?communityId=3&requestId=42')
    expect(messagePages.voteDetail(3, 7)).toBe('packages/voting/pages/detail/index?communityId=3&voteId=7')
    expect(messagePages.voteResults(3, 7)).toBe('packages/voting/pages/results/index?communityId=3&voteId=7')
  })
})
