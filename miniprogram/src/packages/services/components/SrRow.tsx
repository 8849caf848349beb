import { View, Text } from '@tarojs/components'
import type { ServiceRequestSummary } from '@linli/shared/schemas'
import { srLocationLabels } from '@linli/shared/service-requests/labels'
import { summaryOf } from '@linli/shared/text'
import { formatDateTime } from '../../../utils/format'
import { EscalationMark, SrBadge } from './SrBadge'

export function locationText(loc: ServiceRequestSummary['location']): string {
  const parts = [
    loc.kind === 'public' ? srLocationLabels.public : null,
    loc.buildingName,
    loc.unitNumber,
    loc.detail,
  ].filter(Boolean)
  return parts.length ? parts.join(' ') : srLocationLabels[loc.kind]
}

/** How much of a description a list shows: enough to recognise the problem; the whole text is on the request's page. */
export const SR_SUMMARY_CHARS = 40

/** One request in a list: category, where, a one-line summary, when, state; no reporter (boards never show who filed). */
export function SrRow({
  item,
  id,
  onClick,
  children,
}: {
  item: ServiceRequestSummary
  id: string
  onClick?: () => void
  children?: React.ReactNode
}) {
  return (
    <View className='srrow' id={id} onClick={onClick} hoverClass={onClick ? 'cell--hover' : 'none'}>
      <View className='srrow__head'>
        <Text className='srrow__title'>
          {item.category.name} · {locationText(item.location)}
        </Text>
        <SrBadge status={item.status} id={`${id}-state`} />
      </View>
      <Text className='srrow__desc' id={`${id}-summary`}>
        {summaryOf(item.description, SR_SUMMARY_CHARS)}
      </Text>
      <View className='srrow__meta'>
        <Text className='hint'>
          {formatDateTime(item.createdAt)}
          {item.photoCount ? ` · ${item.photoCount}张照片` : ''}
          {item.followerCount ? ` · ${item.followerCount}人也遇到了` : ''}
        </Text>
        <EscalationMark escalation={item.escalation} id={`${id}-escalation`} />
      </View>
      {children}
    </View>
  )
}
