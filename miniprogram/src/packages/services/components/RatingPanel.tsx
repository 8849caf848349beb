import { useState } from 'react'
import { View, Text, Textarea } from '@tarojs/components'
import { ActionButton, Notice } from '../../../components'
import { checkRating, RATING_DIMENSIONS, type RatingForm } from '../lib/form'
import { Stars } from './Stars'

/** Confirm-and-rate: 总体 / 速度 / 态度 (1–5, all three required) and an optional text. */
export function RatingPanel({
  busy,
  error,
  onSubmit,
  onCancel,
}: {
  busy?: boolean
  error?: string | null
  onSubmit: (body: { overall: number; speed: number; attitude: number; text?: string }) => void
  onCancel?: () => void
}) {
  const [form, setForm] = useState<RatingForm>({ overall: null, speed: null, attitude: null, text: '' })
  const [local, setLocal] = useState<string | null>(null)
  return (
    <View className='rating' id='rate-panel'>
      {RATING_DIMENSIONS.map((d) => (
        <Stars
          key={d.key}
          id={`rate-${d.key}`}
          label={d.label}
          value={form[d.key]}
          onChange={(v) => {
            setForm({ ...form, [d.key]: v })
            setLocal(null)
          }}
        />
      ))}
      <Text className='flabel'>评价内容（选填）</Text>
      <Textarea
        id='rate-text'
        className='field field--area'
        value={form.text}
        maxlength={500}
        placeholder='说说处理得怎么样'
        onInput={(e) => setForm({ ...form, text: e.detail.value })}
      />
      {local || error ? (
        <Notice kind='error' id='rate-error'>
          {local ?? error}
        </Notice>
      ) : null}
      <View className='btn-row'>
        {onCancel ? (
          <ActionButton id='rate-cancel' variant='secondary' onClick={onCancel}>
            取消
          </ActionButton>
        ) : null}
        <ActionButton
          id='rate-submit'
          loading={busy}
          onClick={() => {
            const r = checkRating(form)
            if (!r.ok) setLocal(r.error)
            else onSubmit(r.body)
          }}
        >
          确认解决并评价
        </ActionButton>
      </View>
    </View>
  )
}
