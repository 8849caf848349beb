import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Matter, Me, VoteSummary } from '@linli/shared/schemas'
import * as rules from '@linli/shared/voting/rules'
import type { ReceiptCheck } from '@linli/shared/schemas'
import { act } from 'react'
import {
  BallotForm,
  ProgressBar,
  QuorumBars,
  ReceiptLookup,
  TallyView,
  VoteForm,
  QUORUM_LINE,
  emptyDraft,
} from '../src/packages/voting/components'
import { lineChecks } from '../src/packages/voting/lib/tally'
import { forgetReceipts, keepReceipt, keptReceipts, RECEIPTS_KEY_PREFIX } from '../src/packages/voting/lib/receipts'
import { noticeTooShort, parseLocalDateTime, toLocalInput } from '../src/packages/voting/lib/datetime'
import { checkVoteDraft, validateProxyForm } from '../src/packages/voting/lib/validation'
import { groupVotes, voteCommunities } from '../src/services/api/voting'
import { ApiError, errorText } from '../src/services/http'
import Taro from '@tarojs/taro'
import { mountPerTest } from './dom'

// the components must decide with the shared implementation of the law: count its calls
vi.mock('@linli/shared/voting/rules', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@linli/shared/voting/rules')>()
  return { ...actual, decideMatter: vi.fn(actual.decideMatter) }
})

const dom = mountPerTest()

const { $, click } = dom

/** 3 owners, 300.00 m² in total (area in 0.01 m²) */
const base = { totalArea: 30000, totalOwners: 3 }

describe('TallyView (decision with the shared decideMatter)', () => {
  it('exactly two thirds of area and owners meets the quorum (三分之二以上 includes the number)', () => {
    const decide = vi.mocked(rules.decideMatter)
    decide.mockClear()
    const f = {
      category: 4 as const,
      ...base,
      participatingArea: 20000,
      participatingOwners: 2,
      yesArea: 20000,
      yesOwners: 2,
    }
    dom.render(<TallyView figures={f} idPrefix='t' />)
    expect(decide).toHaveBeenCalled()
    expect($('#t-quorum-area')!.getAttribute('data-met')).toBe('true')
    expect($('#t-quorum-owners')!.getAttribute('data-met')).toBe('true')
    expect($('#t-quorum')!.getAttribute('data-met')).toBe('true')
    expect($('#t-decision')!.textContent).toBe('通过')
    expect($('#t-decision')!.getAttribute('data-decision')).toBe('passed')
    // the bar shows the figures as text and where the legal line is
    expect($('#t-quorum-area')!.textContent).toContain('66.66%')
    expect($('#t-quorum-area')!.textContent).toContain('200.00 m² / 300.00 m²')
    expect($('#t-quorum-area')!.textContent).toContain('三分之二（含本数）')
    expect(($('#t-quorum-area .pbar__line') as HTMLElement).style.left).toBe('66.667%')
  })

  it('just under two thirds of the area: 未达法定参与人数, whatever the yes votes', () => {
    const f = {
      category: 4 as const,
      ...base,
      participatingArea: 19999,
      participatingOwners: 3,
      yesArea: 19999,
      yesOwners: 3,
    }
    dom.render(<TallyView figures={f} idPrefix='t' />)
    expect($('#t-quorum-area')!.getAttribute('data-met')).toBe('false')
    expect($('#t-quorum-owners')!.getAttribute('data-met')).toBe('true')
    expect($('#t-decision')!.textContent).toBe('未达法定参与人数')
    expect($('#t-decision')!.getAttribute('data-decision')).toBe('no_quorum')
  })

  it('a majority matter with exactly half yes does not pass (过半数 is strictly more)', () => {
    const f = {
      category: 5 as const,
      totalArea: 40000,
      totalOwners: 4,
      participatingArea: 40000,
      participatingOwners: 4,
      yesArea: 20000,
      yesOwners: 2,
    }
    dom.render(<TallyView figures={f} idPrefix='t' />)
    expect($('#t-yes-area')!.getAttribute('data-met')).toBe('false')
    expect($('#t-yes-owners')!.getAttribute('data-met')).toBe('false')
    expect($('#t-yes-owners')!.textContent).toContain('50.00%')
    expect($('#t-yes-owners')!.textContent).toContain('过半数')
    expect($('#t-decision')!.textContent).toBe('未通过')
    expect($('#t-decision')!.getAttribute('data-decision')).toBe('failed')
    expect(($('#t-yes-area .pbar__line') as HTMLElement).style.left).toBe('50.000%')
  })

  it('a three-quarter matter (6–8) passes at exactly 3/4, with the 3/4 line', () => {
    const f = {
      category: 7 as const,
      totalArea: 40000,
      totalOwners: 4,
      participatingArea: 40000,
      participatingOwners: 4,
      yesArea: 30000,
      yesOwners: 3,
    }
    dom.render(<TallyView figures={f} idPrefix='t' provisional />)
    expect($('#t-yes-area')!.textContent).toContain('四分之三（含本数）')
    expect(($('#t-yes-area .pbar__line') as HTMLElement).style.left).toBe('75.000%')
    expect($('#t-decision')!.textContent).toBe('通过')
    expect($('#t-decision')!.getAttribute('data-provisional')).toBe('true')
    // one square metre less: area below 3/4 → not passed
    dom.render(<TallyView figures={{ ...f, yesArea: 29999 }} idPrefix='t' />)
    expect($('#t-decision')!.textContent).toBe('未通过')
  })

  it('agrees with decideMatter on many figures, and each line on its own', () => {
    const actual = vi.mocked(rules.decideMatter)
    let seed = 7
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed % (n + 1)
    }
    for (let i = 0; i < 300; i++) {
      const totalOwners = 1 + rnd(12)
      const totalArea = totalOwners * (1 + rnd(10000))
      const participatingOwners = rnd(totalOwners)
      const participatingArea = rnd(totalArea)
      const f = {
        category: (1 + rnd(8)) as rules.MatterCategory,
        totalArea,
        totalOwners,
        participatingArea,
        participatingOwners,
        yesArea: rnd(participatingArea),
        yesOwners: rnd(participatingOwners),
      }
      const d = actual(f)
      const c = lineChecks(f)
      expect(c.decision).toEqual(d)
      expect(c.quorumArea && c.quorumOwners).toBe(d.quorumMet)
      expect(d.passed).toBe(d.quorumMet && c.approvalArea && c.approvalOwners)
      expect(c.quorumArea).toBe(3 * participatingArea >= 2 * totalArea)
    }
  })

  it('QuorumBars shows live participation against the 2/3 line with text figures', () => {
    dom.render(
      <QuorumBars
        figures={{
          category: 9,
          totalArea: 12479930,
          totalOwners: 1152,
          participatingArea: 9344908,
          participatingOwners: 905,
          yesArea: 0,
          yesOwners: 0,
        }}
        idPrefix='p'
      />,
    )
    // the Shanghai example (domain.md §1): 78.56% of owners, 74.88% of area → quorum met
    expect($('#p-quorum-owners')!.textContent).toContain('78.55%')
    expect($('#p-quorum-owners')!.textContent).toContain('905 / 1152 人')
    expect($('#p-quorum-area')!.textContent).toContain('74.87%')
    expect($('#p-quorum')!.getAttribute('data-met')).toBe('true')
    const track = $('#p-quorum-owners [role="progressbar"]')!
    expect(track.getAttribute('aria-label')).toContain('已达到')
  })

  it('ProgressBar never relies on colour alone', () => {
    dom.render(
      <ProgressBar id='b' label='测试' part={1} whole={3} figureText='1 / 3 人' line={QUORUM_LINE} met={false} />,
    )
    expect($('#b')!.textContent).toContain('未达到')
    expect($('#b')!.textContent).toContain('33.33%')
  })
})

const matter = (id: number, position: number, category: rules.MatterCategory = 4): Matter => ({
  id,
  position,
  category,
  text: `事项${id}`,
  threshold: rules.thresholdOf(category),
})

describe('BallotForm', () => {
  it('needs a choice for every matter before submitting, then confirms with the choices', () => {
    const onSubmit = vi.fn()
    dom.render(
      <BallotForm
        matters={[matter(11, 1), matter(12, 2, 6)]}
        allowChange={false}
        visibility='owners'
        busy={false}
        onSubmit={onSubmit}
      />,
    )
    expect($('#vote-submit')!.className).toContain('btn--disabled')
    expect($('#vote-missing')!.getAttribute('data-missing')).toBe('2')

    click('#vote-choice-11-yes')
    expect($('#vote-choice-11-yes')!.getAttribute('aria-checked')).toBe('true')
    expect($('#vote-submit')!.className).toContain('btn--disabled')
    click('#vote-submit')
    expect($('#vote-confirm')).toBeNull() // still choosing

    click('#vote-choice-12-abstain')
    expect($('#vote-missing')!.getAttribute('data-missing')).toBe('0')
    expect($('#vote-submit')!.className).not.toContain('btn--disabled')
    click('#vote-submit')

    expect($('#vote-confirm-list')!.textContent).toContain('事项11：同意')
    expect($('#vote-confirm-list')!.textContent).toContain('事项12：弃权')
    expect($('#vote-final-warning')!.textContent).toContain('一经提交不可修改')
    click('#vote-confirm')
    expect(onSubmit).toHaveBeenCalledTimes(1)
    const [choices, key] = onSubmit.mock.calls[0] as [unknown, string]
    expect(choices).toEqual([
      { matterId: 11, choice: 'yes' },
      { matterId: 12, choice: 'abstain' },
    ])
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)

    // a retry of the same confirmation reuses the key; editing and confirming again makes a new one
    click('#vote-confirm')
    expect(onSubmit.mock.calls[1]![1]).toBe(key)
    click('#vote-back')
    click('#vote-choice-11-no')
    click('#vote-submit')
    click('#vote-confirm')
    expect(onSubmit.mock.calls[2]![0]).toEqual([
      { matterId: 11, choice: 'no' },
      { matterId: 12, choice: 'abstain' },
    ])
    expect(onSubmit.mock.calls[2]![1]).not.toBe(key)
  })

  it('says the ballot can be changed when the vote allows it, and shows a send error', () => {
    dom.render(
      <BallotForm
        matters={[matter(1, 1)]}
        allowChange
        visibility='residents'
        busy={false}
        error='网络连接失败'
        onSubmit={() => {}}
      />,
    )
    click('#vote-choice-1-no')
    click('#vote-submit')
    expect($('#vote-final-warning')).toBeNull()
    expect($('#vote-change-hint')).not.toBeNull()
    expect($('#vote-error')!.textContent).toBe('网络连接失败')
  })
})

describe('kept receipts', () => {
  afterEach(() => {
    forgetReceipts(7, 1)
    forgetReceipts(7, 2)
  })
  const r = (ownerKey: string, receipt: string) => ({
    ownerKey,
    receipt,
    revision: 1,
    castAt: '2026-12-01T02:00:00.000Z',
    viaProxy: false,
    rooms: ['1栋 101'],
  })

  it('are kept per vote, survive a reload of the store, and a newer ballot of the same entry replaces the older', () => {
    keepReceipt(7, 1, r('o1', 'AAAA1111'))
    keepReceipt(7, 2, r('o1', 'BBBB2222'))
    keepReceipt(7, 1, r('o2', 'CCCC3333'))
    expect(keptReceipts(7, 1).map((x) => x.receipt)).toEqual(['AAAA1111', 'CCCC3333'])
    expect(keptReceipts(7, 2).map((x) => x.receipt)).toEqual(['BBBB2222'])
    keepReceipt(7, 1, { ...r('o1', 'DDDD4444'), revision: 2 })
    expect(keptReceipts(7, 1).map((x) => x.receipt)).toEqual(['CCCC3333', 'DDDD4444'])
    // another person on the same phone sees none of them
    expect(keptReceipts(8, 1)).toEqual([])
    expect(Taro.getStorageSync(`${RECEIPTS_KEY_PREFIX}7.1`)).toContain('DDDD4444')
  })

  it('ignore damaged storage', () => {
    Taro.setStorageSync(`${RECEIPTS_KEY_PREFIX}7.1`, '{not json')
    expect(keptReceipts(7, 1)).toEqual([])
    Taro.setStorageSync(`${RECEIPTS_KEY_PREFIX}7.1`, JSON.stringify([{ receipt: 'x' }, r('o1', 'EEEE5555')]))
    expect(keptReceipts(7, 1).map((x) => x.receipt)).toEqual(['EEEE5555'])
  })
})

describe('voting helpers', () => {
  it('parses typed local times and warns on a notice shorter than 15 days', () => {
    const iso = parseLocalDateTime('2026-12-01 09:30')!
    expect(toLocalInput(iso)).toBe('2026-12-01 09:30')
    expect(parseLocalDateTime('2026-02-30 09:00')).toBeNull()
    expect(parseLocalDateTime('12/01/2026')).toBeNull()
    expect(noticeTooShort(parseLocalDateTime('2026-12-01 09:00')!, parseLocalDateTime('2026-12-16 09:00')!)).toBe(false)
    expect(noticeTooShort(parseLocalDateTime('2026-12-01 09:00')!, parseLocalDateTime('2026-12-16 08:59')!)).toBe(true)
  })

  it('checks a draft like the contract does', () => {
    const draft = {
      title: '更换电梯',
      noticeText: '公告全文',
      matters: [{ category: 5 as const, text: '使用维修资金更换电梯' }],
      announcedAt: '2026-12-01 09:00',
      opensAt: '2026-12-10 09:00',
      closesAt: '2026-12-20 18:00',
      hideResultsUntilClose: true,
    }
    const ok = checkVoteDraft(draft)
    expect(ok.ok && ok.noticeTooShort).toBe(true)
    expect(ok.ok && ok.body.matters).toEqual([{ category: 5, text: '使用维修资金更换电梯' }])
    expect(checkVoteDraft({ ...draft, matters: [{ category: null, text: '事项' }] })).toEqual({
      ok: false,
      error: '请为第 1 项选择事项类别',
    })
    expect(checkVoteDraft({ ...draft, closesAt: '2026-12-09 09:00' }).ok).toBe(false)
    expect(
      validateProxyForm({ ownerKey: 'o1', name: '李四', phone: '1380000000', text: '委托李四代为投票，特此授权。' }),
    ).toBe('代理人手机号应为 11 位数字，您填了 10 位')
    expect(
      validateProxyForm({ ownerKey: 'o1', name: '李四', phone: '21234567890', text: '委托李四代为投票，特此授权。' }),
    ).toBe('代理人手机号以 1 开头，您填的以 2 开头')
    // the authorisation: typed, or photos of the signed paper, or both; never neither, never while uploading
    const proxy = { ownerKey: 'o1', name: '李四', phone: '13800000000' }
    expect(validateProxyForm({ ...proxy, text: '' })).toBe('请上传签字的授权委托书照片，或填写委托书内容')
    expect(validateProxyForm({ ...proxy, text: '', photoIds: [7] })).toBeNull()
    expect(validateProxyForm({ ...proxy, text: '委托李四', photoIds: [7] })).toBe('委托书内容至少 10 个字')
    expect(validateProxyForm({ ...proxy, text: '委托李四代为投票，特此授权。' })).toBeNull()
    expect(validateProxyForm({ ...proxy, text: '', photoIds: [7], uploading: 1 })).toBe('委托书照片还在上传，请稍候')
  })

  it('groups votes and finds the communities to show', () => {
    const v = (id: number, state: VoteSummary['state']): VoteSummary => ({
      id,
      communityId: 1,
      title: `v${id}`,
      state,
      announcedAt: '2026-12-01T00:00:00.000Z',
      opensAt: `2026-12-${10 + id}T00:00:00.000Z`,
      closesAt: `2026-12-${20 + id}T00:00:00.000Z`,
      matterCount: 1,
      earlyCloseAllowed: false,
      lastRemindedAt: null,
    })
    const g = groupVotes([
      v(1, 'open'),
      v(2, 'published'),
      v(3, 'closed'),
      v(4, 'announced'),
      v(5, 'cancelled'),
      v(6, 'draft'),
    ])
    expect(g.open.map((x) => x.id)).toEqual([1])
    expect(g.upcoming.map((x) => x.id)).toEqual([2])
    expect(g.closed.map((x) => x.id)).toEqual([5, 4, 3])
    expect(g.drafts.map((x) => x.id)).toEqual([6])

    const me = {
      roles: [{ communityId: 2, communityName: '翠湖', role: 'committee' as const }],
      households: [
        { state: 'verified', unit: { communityId: 1, communityName: '阳光花园' } },
        { state: 'pending', unit: { communityId: 3, communityName: 'X' } },
      ],
    } as unknown as Pick<Me, 'households' | 'roles'>
    expect(voteCommunities(me)).toEqual([
      { communityId: 1, communityName: '阳光花园', committee: false },
      { communityId: 2, communityName: '翠湖', committee: true },
    ])
  })

  it('explains the voting refusals in Chinese through the one shared error mapping', () => {
    expect(errorText(new ApiError('EARLY_CLOSE_NOT_ALLOWED', 409))).toContain('不允许提前结束')
    expect(errorText(new ApiError('BALLOT_ALREADY_CAST', 409))).toContain('不可修改')
    expect(errorText(new ApiError('PROXY_ACTIVE', 409))).toContain('委托')
  })
})

/** Types into a Taro Input as a person would (the native value, then an input event). */
function typeInto(el: Element | null, value: string) {
  const input = (el?.tagName === 'INPUT' ? el : el?.querySelector('input')) as HTMLInputElement | null
  if (!input) throw new Error('no input')
  act(() => {
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, value)
    input.dispatchEvent(new Event('input', { bubbles: true }))
  })
}

describe('the ballot says what passes each matter, and who will see the choices', () => {
  it('shows each matter’s rule, says the vote’s visibility before the owner confirms, and reports a half-filled ballot', () => {
    const dirty = vi.fn()
    dom.render(
      <BallotForm
        matters={[matter(21, 1, 4), matter(22, 2, 7)]}
        allowChange={false}
        visibility='owners'
        busy={false}
        onSubmit={() => {}}
        onDirty={dirty}
      />,
    )
    expect($('#vote-ballot-matter-21-rule')!.textContent).toBe(rules.thresholdShort.majority)
    expect($('#vote-ballot-matter-22-rule')!.textContent).toBe(rules.thresholdShort.three_quarters)
    expect(dirty).toHaveBeenLastCalledWith(false)
    click('#vote-choice-21-yes')
    expect(dirty).toHaveBeenLastCalledWith(true)
    click('#vote-choice-22-no')
    expect($('#vote-visibility')).toBeNull() // said on the confirmation, right before the owner confirms
    click('#vote-submit')
    expect($('#vote-visibility')!.textContent).toContain('您的选择将对本次表决的业主可见')
    expect($('#vote-visibility')!.textContent).toContain('租户')
  })

  it.each(rules.CHOICE_VISIBILITIES)('says the %s rule in its own words', (visibility) => {
    dom.render(
      <BallotForm
        matters={[matter(1, 1)]}
        allowChange={false}
        visibility={visibility}
        busy={false}
        onSubmit={() => {}}
      />,
    )
    click('#vote-choice-1-yes')
    click('#vote-submit')
    expect($('#vote-visibility')!.textContent).toBe(rules.choiceVisibilityNotice[visibility])
    expect(rules.choiceVisibilityNotice[visibility]).toMatch(/您的选择将.*可见/)
  })
})

describe('ReceiptLookup', () => {
  const found: ReceiptCheck = {
    found: true,
    counted: true,
    ballot: { receipt: '3FA9C01B', rooms: ['1栋 102'], holdersMasked: ['刘*'], viaProxy: false, choices: null },
  }

  it('says what is wrong with a mistyped code without asking the BFF', () => {
    const lookup = vi.fn(async () => found)
    dom.render(<ReceiptLookup kept={[]} matters={[matter(1, 1)]} visibility='owners' closed lookup={lookup} />)
    typeInto($('#receipt-check-input'), '3FA9C')
    click('#receipt-check-submit')
    expect($('#receipt-check-error')!.textContent).toContain('回执码是 8 位字母和数字')
    expect($('#receipt-check-error')!.textContent).toContain('您输入了 5 位，少了 3 位')
    typeInto($('#receipt-check-input'), '3FA9CO1B')
    expect($('#receipt-check-error')).toBeNull() // a new code clears the old answer at once
    click('#receipt-check-submit')
    expect($('#receipt-check-error')!.textContent).toContain('数字 0')
    expect(lookup).not.toHaveBeenCalled()
  })

  it('clears an answer as soon as the code changes or a new lookup starts, and drops a late answer to an old code', async () => {
    const answers: ((r: ReceiptCheck) => void)[] = []
    const lookup = vi.fn((_code: string) => new Promise<ReceiptCheck>((resolve) => answers.push(resolve)))
    dom.render(<ReceiptLookup kept={[]} matters={[matter(1, 1)]} visibility='owners' closed lookup={lookup} />)
    typeInto($('#receipt-check-input'), 'abcd 1234')
    click('#receipt-check-submit')
    expect(lookup).toHaveBeenLastCalledWith('ABCD1234')
    await act(async () => answers[0]!({ found: false, counted: false, ballot: null }))
    expect($('#receipt-check-result')!.getAttribute('data-found')).toBe('false')
    expect($('#receipt-check-result')!.textContent).toContain('未找到回执码 ABCD1234')

    typeInto($('#receipt-check-input'), '3FA9C01')
    expect($('#receipt-check-result')).toBeNull()
    typeInto($('#receipt-check-input'), '3FA9C01B')
    click('#receipt-check-submit')
    expect($('#receipt-check-result')).toBeNull()
    // the code changes while the lookup is under way: its answer is not shown beside the new code
    typeInto($('#receipt-check-input'), '3FA9C01C')
    await act(async () => answers[1]!(found))
    expect($('#receipt-check-result')).toBeNull()

    click('#receipt-check-submit')
    await act(async () => answers[2]!(found))
    expect($('#receipt-check-result')!.getAttribute('data-counted')).toBe('true')
    // the rule of the vote hides the choices from this person, and says so
    expect($('#receipt-check-ballot')!.getAttribute('data-choices')).toBe('hidden')
    expect($('#receipt-check-ballot')!.textContent).toContain('仅本次表决的业主可以查看')
  })
})

describe('VoteForm', () => {
  it('names the law when the notice is short, and reports unsaved changes', () => {
    const dirty = vi.fn()
    dom.render(
      <VoteForm
        initial={{ ...emptyDraft(), announcedAt: '2026-12-01 09:00', opensAt: '2026-12-04 09:00' }}
        busy={false}
        onSave={() => {}}
        onCancel={() => {}}
        onDirty={dirty}
      />,
    )
    expect($('#manage-notice-warning')!.textContent).toContain('只有 3 天')
    expect($('#manage-notice-warning')!.textContent).toContain('第二十二条')
    expect($('#manage-notice-warning')!.textContent).toContain('说明原因')
    expect(dirty).toHaveBeenLastCalledWith(false)
    typeInto($('#manage-title'), '关于更换电梯的表决')
    expect(dirty).toHaveBeenLastCalledWith(true)
    typeInto($('#manage-opens-at'), '2026-12-16 09:00')
    expect($('#manage-notice-warning')).toBeNull()
  })

  it('takes back the times it shows when a draft is edited', () => {
    // formatDateTime joins date and time with a no-break space; the field must read its own output
    const iso = parseLocalDateTime('2026-12-01 09:30')!
    expect(parseLocalDateTime(toLocalInput(iso))).toBe(iso)
    expect(parseLocalDateTime('2026-12-01\u00a009:30')).toBe(iso)
  })
})
