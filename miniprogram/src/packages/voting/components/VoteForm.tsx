import { useEffect, useState } from 'react'
import { View, Text, Input, Textarea } from '@tarojs/components'
import {
  MATTER_CATEGORIES,
  MIN_NOTICE_DAYS,
  matterCategoryLabels,
  NOTICE_LAW,
  noticePeriod,
  thresholdOf,
  thresholdShort,
} from '@linli/shared/voting/rules'
import type { CreateVoteBody } from '@linli/shared/schemas'
import { ActionButton, Notice, Toggle } from '../../../components'
import { DateTimeField } from './DateTimeField'
import { parseLocalDateTime } from '../lib/datetime'
import { checkVoteDraft, type VoteDraft } from '../lib/validation'

export const emptyDraft = (): VoteDraft => ({
  title: '',
  noticeText: '',
  matters: [{ category: null, text: '' }],
  announcedAt: '',
  opensAt: '',
  closesAt: '',
  hideResultsUntilClose: true,
})

/** Create or edit a draft vote (committee). Presentational: onSave gets the checked request body. */
export function VoteForm({
  initial,
  busy,
  error,
  onSave,
  onCancel,
  onDirty,
}: {
  initial: VoteDraft
  busy: boolean
  error?: string | null
  onSave: (body: CreateVoteBody) => void
  onCancel: () => void
  /** whether the draft differs from what was opened (the page asks before leaving it unsaved) */
  onDirty?: (dirty: boolean) => void
}) {
  const [d, setD] = useState<VoteDraft>(initial)
  const dirty = JSON.stringify(d) !== JSON.stringify(initial)
  // biome-ignore lint/correctness/useExhaustiveDependencies: reruns only when the inputs listed change; the loader is redefined each render
  useEffect(() => onDirty?.(dirty), [dirty])
  const [openCat, setOpenCat] = useState<number | null>(null)
  const [invalid, setInvalid] = useState<string | null>(null)
  const set = (patch: Partial<VoteDraft>) => {
    setD((s) => ({ ...s, ...patch }))
    setInvalid(null)
  }
  const setMatter = (i: number, patch: Partial<VoteDraft['matters'][number]>) =>
    set({ matters: d.matters.map((m, j) => (j === i ? { ...m, ...patch } : m)) })

  const a = parseLocalDateTime(d.announcedAt)
  const o = parseLocalDateTime(d.opensAt)
  const notice = a && o && Date.parse(o) >= Date.parse(a) ? noticePeriod(a, o) : null

  return (
    <View className='vform' id='manage-form'>
      <Text className='flabel'>标题</Text>
      <Input
        id='manage-title'
        className='field'
        value={d.title}
        maxlength={100}
        placeholder='例如：关于使用维修资金更换电梯的表决'
        onInput={(e) => set({ title: e.detail.value })}
      />

      <Text className='flabel'>公告内容（表决事项的说明、方案、费用等）</Text>
      <Textarea
        id='manage-notice'
        className='field field--area'
        value={d.noticeText}
        maxlength={20000}
        placeholder='公告全文'
        onInput={(e) => set({ noticeText: e.detail.value })}
      />

      <Text className='subtitle'>表决事项</Text>
      {d.matters.map((m, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: matters are numbered by position; their inputs are controlled
        <View key={i} className='panel' id={`manage-matter-${i}`}>
          <Text className='text'>第 {i + 1} 项</Text>
          <View
            className={`option ${m.category ? 'option--selected' : ''}`}
            id={`manage-matter-${i}-category`}
            data-category={m.category ?? ''}
            onClick={() => setOpenCat(openCat === i ? null : i)}
          >
            <Text>
              {m.category ? `${m.category}. ${matterCategoryLabels[m.category]}` : '选择事项类别（民法典第278条）'}
            </Text>
            <Text className='option__sub'>{openCat === i ? '收起' : '选择'}</Text>
          </View>
          {openCat === i ? (
            <View className='cat-options'>
              {MATTER_CATEGORIES.map((c) => (
                <View
                  key={c}
                  id={`manage-matter-${i}-category-${c}`}
                  className={`option ${m.category === c ? 'option--selected' : ''}`}
                  onClick={() => {
                    setMatter(i, { category: c })
                    setOpenCat(null)
                  }}
                >
                  {c}. {matterCategoryLabels[c]}
                </View>
              ))}
            </View>
          ) : null}
          {m.category ? <Text className='hint'>{thresholdShort[thresholdOf(m.category)]}</Text> : null}
          <Text className='flabel'>事项内容</Text>
          <Input
            id={`manage-matter-${i}-text`}
            className='field'
            value={m.text}
            maxlength={2000}
            placeholder='例如：同意使用维修资金 38 万元更换 3 栋电梯'
            onInput={(e) => setMatter(i, { text: e.detail.value })}
          />
          {d.matters.length > 1 ? (
            <ActionButton
              id={`manage-matter-${i}-remove`}
              variant='plain'
              onClick={() => set({ matters: d.matters.filter((_, j) => j !== i) })}
            >
              删除此项
            </ActionButton>
          ) : null}
        </View>
      ))}
      {d.matters.length < 30 ? (
        <View className='mt'>
          <ActionButton
            id='manage-add-matter'
            variant='secondary'
            onClick={() => set({ matters: [...d.matters, { category: null, text: '' }] })}
          >
            添加事项
          </ActionButton>
        </View>
      ) : null}

      <Text className='subtitle'>时间</Text>
      <DateTimeField
        id='manage-announced-at'
        label='公告时间'
        value={d.announcedAt}
        onChange={(v) => set({ announcedAt: v })}
      />
      <DateTimeField id='manage-opens-at' label='开始投票' value={d.opensAt} onChange={(v) => set({ opensAt: v })} />
      <DateTimeField id='manage-closes-at' label='投票截止' value={d.closesAt} onChange={(v) => set({ closesAt: v })} />
      {notice?.short ? (
        <Notice kind='warn' id='manage-notice-warning'>
          公告距开始投票只有 {notice.days} 天，法定应至少提前 {MIN_NOTICE_DAYS} 天公告（{NOTICE_LAW}
          ）。如确需这样安排，发布时须确认并说明原因，原因会记入表决日志并向业主公示。
        </Notice>
      ) : null}

      <Toggle
        id='manage-hide-results'
        label='截止前不公开各选项票数'
        description='打开时，表决期间只显示参与情况；关闭时实时显示同意、反对票数。'
        checked={d.hideResultsUntilClose}
        onChange={(hideResultsUntilClose) => set({ hideResultsUntilClose })}
      />

      {invalid || error ? (
        <Notice kind='error' id='manage-form-error'>
          {invalid ?? error}
        </Notice>
      ) : null}
      <View className='btn-row'>
        <ActionButton id='manage-form-cancel' variant='secondary' onClick={onCancel}>
          取消
        </ActionButton>
        <ActionButton
          id='manage-save'
          loading={busy}
          onClick={() => {
            const r = checkVoteDraft(d)
            if (!r.ok) setInvalid(r.error)
            else onSave(r.body)
          }}
        >
          保存草稿
        </ActionButton>
      </View>
    </View>
  )
}
