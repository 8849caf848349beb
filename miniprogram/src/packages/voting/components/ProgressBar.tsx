import { View, Text } from '@tarojs/components'
import { basisPoints, formatBasisPoints } from '@linli/shared/voting/rules'

export interface LegalLine {
  /** where the line sits, as a fraction num/den of the bar */
  num: number
  den: number
  /** e.g. 三分之二（含本数） */
  text: string
}

/**
 * A bar drawn with plain Views (no canvas): filled share, the legal line as a mark, and the same figures as text
 * next to it (screen readers and care mode read the text; colour is never the only signal).
 */
export function ProgressBar({
  id,
  label,
  part,
  whole,
  figureText,
  line,
  met,
}: {
  id?: string
  label: string
  part: number
  whole: number
  /** e.g. "905 / 1152 户" */
  figureText: string
  line: LegalLine
  met: boolean
}) {
  const bp = basisPoints(part, whole)
  const pct = formatBasisPoints(bp)
  const linePct = `${((line.num * 100) / line.den).toFixed(3)}%`
  return (
    <View
      className={`pbar ${met ? 'pbar--met' : 'pbar--unmet'}`}
      id={id}
      data-met={met ? 'true' : 'false'}
      data-bp={bp}
    >
      <View className='pbar__head'>
        <Text className='pbar__label'>{label}</Text>
        <Text className='pbar__pct'>{pct}</Text>
      </View>
      <View
        className='pbar__track'
        role='progressbar'
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={bp / 100}
        aria-label={`${label} ${pct}，${line.text}，${met ? '已达到' : '未达到'}`}
      >
        <View className='pbar__fill' style={{ width: `${Math.min(bp, 10000) / 100}%` }} />
        <View className='pbar__line' style={{ left: linePct }} />
      </View>
      <Text className='pbar__detail'>
        {figureText} · 法定线 {line.text} · <Text className='pbar__state'>{met ? '已达到' : '未达到'}</Text>
      </Text>
    </View>
  )
}
