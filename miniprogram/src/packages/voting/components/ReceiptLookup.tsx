import { useEffect, useRef, useState } from 'react'
import { View, Text, Input } from '@tarojs/components'
import type { Matter, PublicBallot, ReceiptCheck } from '@linli/shared/schemas'
import { choiceLabels, choiceVisibilityLabels, type ChoiceVisibility } from '@linli/shared/voting/rules'
import { checkReceiptCode } from '@linli/shared/voting/receipts'
import { ActionButton, Notice } from '../../../components'
import { errorText } from '../../../services/http'
import type { KeptReceipt } from '../lib/receipts'

/** Why a ballot's choices are not shown to this person: the vote's rule, in words. */
export const hiddenChoicesText = (visibility: ChoiceVisibility) =>
  `各户的选择仅${choiceVisibilityLabels[visibility]}可以查看`

/** "第1项 同意　第2项 反对" */
export function choicesLine(
  matters: readonly Matter[],
  choices: NonNullable<PublicBallot['choices']>,
  sep: string,
): string {
  return matters
    .map((m, i) => {
      const c = choices.find((x) => x.matterId === m.id)
      return `${i ? sep : ''}第${i + 1}项 ${c ? choiceLabels[c.choice] : '—'}`
    })
    .join('')
}

/**
 * "Did my ballot count?": the receipt is checked with the shared rule (the BFF applies the same) before asking,
 * and an answer only ever stands beside the code it answers: typing, picking another receipt or a new lookup
 * clears it at once, and a late answer to an earlier code is dropped.
 */
export function ReceiptLookup({
  kept,
  matters,
  visibility,
  closed,
  lookup,
}: {
  /** receipts kept on this phone for this vote (the latest one prefills the field) */
  kept: readonly KeptReceipt[]
  matters: readonly Matter[]
  visibility: ChoiceVisibility
  closed: boolean
  lookup: (code: string) => Promise<ReceiptCheck>
}) {
  const latestKept = kept[kept.length - 1]?.receipt ?? ''
  const [receipt, setReceipt] = useState('')
  // prefill with the receipt kept for this person, once we know who is signed in
  useEffect(() => {
    if (latestKept) setReceipt((r) => r || latestKept)
  }, [latestKept])
  const [check, setCheck] = useState<{ receipt: string; result: ReceiptCheck } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [checking, setChecking] = useState(false)
  const asked = useRef(0)

  const type = (value: string) => {
    asked.current++
    setReceipt(value)
    setCheck(null)
    setError(null)
    setChecking(false)
  }
  const run = async () => {
    const id = ++asked.current
    setCheck(null)
    setError(null)
    const code = checkReceiptCode(receipt)
    if (!code.ok) {
      setError(code.message)
      return
    }
    setChecking(true)
    try {
      const result = await lookup(code.code)
      if (id === asked.current) setCheck({ receipt: code.code, result })
    } catch (e) {
      if (id === asked.current) setError(errorText(e))
    } finally {
      if (id === asked.current) setChecking(false)
    }
  }

  const answer = (c: { receipt: string; result: ReceiptCheck }) =>
    !c.result.found
      ? `未找到回执码 ${c.receipt} 对应的选票${closed ? '' : '（表决截止前只能查到您可以投票的房屋的选票）'}，请核对后重试；如有疑问请联系业委会。`
      : c.result.counted
        ? `已计入：回执码 ${c.receipt} 对应的选票已计入本次表决的统计。`
        : `找到回执码 ${c.receipt} 的选票，但它没有被计入：同一房屋之后提交的选票取代了它。`

  return (
    <View>
      <Text className='hint'>输入投票后得到的回执码{kept.length ? '（已填入本机保存的回执码）' : ''}：</Text>
      <View className='field-row mt'>
        <Input
          id='receipt-check-input'
          className='field'
          value={receipt}
          maxlength={80}
          placeholder='8 位字母和数字'
          onInput={(e) => type(e.detail.value)}
        />
        <ActionButton id='receipt-check-submit' block={false} loading={checking} onClick={() => void run()}>
          查询
        </ActionButton>
      </View>
      {kept.length > 1 ? (
        <View className='grid mt'>
          {kept.map((k) => (
            <View
              key={k.receipt}
              className={`option ${receipt === k.receipt ? 'option--selected' : ''}`}
              onClick={() => type(k.receipt)}
            >
              {k.rooms.join('、') || k.receipt}
            </View>
          ))}
        </View>
      ) : null}
      {error ? (
        <Notice kind='error' id='receipt-check-error'>
          {error}
        </Notice>
      ) : null}
      {check ? (
        <View
          className={`notice mt ${check.result.found && check.result.counted ? 'notice--success' : 'notice--warn'}`}
          id='receipt-check-result'
          data-found={check.result.found ? 'true' : 'false'}
          data-counted={check.result.counted ? 'true' : 'false'}
        >
          <Text className='text'>{answer(check)}</Text>
          {check.result.ballot ? (
            <Text
              className='hint'
              id='receipt-check-ballot'
              data-choices={check.result.ballot.choices ? 'shown' : 'hidden'}
            >
              {check.result.ballot.rooms.join('、')}：
              {check.result.ballot.choices
                ? choicesLine(matters, check.result.ballot.choices, '，')
                : `${hiddenChoicesText(visibility)}。`}
            </Text>
          ) : null}
        </View>
      ) : null}
    </View>
  )
}
