import { useEffect, useRef, useState } from 'react'
import { View, Text } from '@tarojs/components'
import type { Matter } from '@linli/shared/schemas'
import {
  CHOICES,
  choiceLabels,
  choiceVisibilityNotice,
  matterCategoryLabels,
  thresholdShort,
  type Choice,
  type ChoiceVisibility,
} from '@linli/shared/voting/rules'
import { ActionButton, Notice } from '../../../components'
import { newIdempotencyKey } from '../../../services/api/voting'

export interface BallotChoice {
  matterId: number
  choice: Choice
}

/**
 * Pick 同意/反对/弃权 for EVERY matter → confirmation listing the choices, and who will see them → submit.
 * Presentational: the page sends. One idempotency key per confirmation: a retry from the same confirmation reuses
 * it; going back to edit and confirming again makes a new one.
 */
export function BallotForm({
  matters,
  allowChange,
  visibility,
  busy,
  error,
  entryLabel,
  onSubmit,
  onCancel,
  onDirty,
}: {
  matters: readonly Matter[]
  allowChange: boolean
  /** the vote's rule on who sees each flat's choices after the close (said before the owner confirms) */
  visibility: ChoiceVisibility
  busy: boolean
  error?: string | null
  /** whose ballot, e.g. "1栋 101（代理）" */
  entryLabel?: string
  onSubmit: (choices: BallotChoice[], idempotencyKey: string) => void
  onCancel?: () => void
  /** whether a choice has been made (the page asks before leaving a half-filled ballot) */
  onDirty?: (dirty: boolean) => void
}) {
  const [choices, setChoices] = useState<Record<number, Choice>>({})
  const [step, setStep] = useState<'choose' | 'confirm'>('choose')
  const key = useRef<string | null>(null)
  const dirty = Object.keys(choices).length > 0
  // biome-ignore lint/correctness/useExhaustiveDependencies: reruns only when the inputs listed change; the loader is redefined each render
  useEffect(() => onDirty?.(dirty), [dirty])
  const ordered = [...matters].sort((a, b) => a.position - b.position)
  const missing = ordered.filter((m) => !choices[m.id]).length
  const complete = ordered.length > 0 && missing === 0
  const list = (): BallotChoice[] => ordered.map((m) => ({ matterId: m.id, choice: choices[m.id]! }))

  if (step === 'confirm') {
    return (
      <View className='ballot' id='vote-confirm-step'>
        <Text className='subtitle'>请确认您的选票{entryLabel ? `（${entryLabel}）` : ''}</Text>
        <View id='vote-confirm-list'>
          {ordered.map((m, i) => (
            <View key={m.id} className='kv' id={`vote-confirm-${m.id}`}>
              <Text className='kv__k'>第{i + 1}项</Text>
              <Text className='kv__v'>
                {m.text}：
                <Text className={`choice-text choice-text--${choices[m.id]}`}>{choiceLabels[choices[m.id]!]}</Text>
              </Text>
            </View>
          ))}
        </View>
        <Notice kind='info' id='vote-visibility'>
          {choiceVisibilityNotice[visibility]}
        </Notice>
        {allowChange ? (
          <Notice kind='info' id='vote-change-hint'>
            截止前可以重新投票，以最后一次提交的选票为准。
          </Notice>
        ) : (
          <Notice kind='warn' id='vote-final-warning'>
            一经提交不可修改，请核对后再提交。
          </Notice>
        )}
        {error ? (
          <Notice kind='error' id='vote-error'>
            {error}
          </Notice>
        ) : null}
        <View className='btn-row'>
          <ActionButton id='vote-back' variant='secondary' disabled={busy} onClick={() => setStep('choose')}>
            返回修改
          </ActionButton>
          <ActionButton
            id='vote-confirm'
            loading={busy}
            onClick={() => {
              if (!key.current) key.current = newIdempotencyKey()
              onSubmit(list(), key.current)
            }}
          >
            确认提交
          </ActionButton>
        </View>
      </View>
    )
  }

  return (
    <View className='ballot' id='vote-ballot'>
      {entryLabel ? <Text className='hint'>为 {entryLabel} 投票</Text> : null}
      {ordered.map((m, i) => (
        <View key={m.id} className='ballot__matter' id={`vote-ballot-matter-${m.id}`}>
          <Text className='ballot__title'>
            第{i + 1}项　{m.text}
          </Text>
          <Text className='matter__cat'>{matterCategoryLabels[m.category]}</Text>
          <Text className='hint' id={`vote-ballot-matter-${m.id}-rule`}>
            {thresholdShort[m.threshold]}
          </Text>
          <View className='choices' role='radiogroup' aria-label={`第${i + 1}项的选择`}>
            {CHOICES.map((c) => {
              const selected = choices[m.id] === c
              return (
                <View
                  key={c}
                  id={`vote-choice-${m.id}-${c}`}
                  className={`option choice choice--${c} ${selected ? 'option--selected' : ''}`}
                  role='radio'
                  aria-checked={selected}
                  data-selected={selected ? 'true' : 'false'}
                  onClick={() => {
                    if (busy) return
                    setChoices((s) => ({ ...s, [m.id]: c }))
                    key.current = null
                  }}
                >
                  {selected ? '● ' : '○ '}
                  {choiceLabels[c]}
                </View>
              )
            })}
          </View>
        </View>
      ))}
      <Text className='hint' id='vote-missing' data-missing={missing}>
        {complete ? '每一项都已选择，请提交后确认。' : `还有 ${missing} 项未选择：每一项都要选择同意、反对或弃权。`}
      </Text>
      <View className='btn-row'>
        {onCancel ? (
          <ActionButton id='vote-cancel' variant='secondary' onClick={onCancel}>
            取消
          </ActionButton>
        ) : null}
        <ActionButton
          id='vote-submit'
          disabled={!complete}
          onClick={() => {
            if (!complete) return
            key.current = null
            setStep('confirm')
          }}
        >
          提交选票
        </ActionButton>
      </View>
    </View>
  )
}
