import { View, Text } from '@tarojs/components'
import type { SrEvent } from '@linli/shared/schemas'
import { srActionLabels, srActorLabels } from '@linli/shared/service-requests/labels'
import { formatDateTime } from '../../../utils/format'
import { SrBadge } from './SrBadge'

/** Every event of a request: what, who, when, the note. */
export function Timeline({ events, idPrefix }: { events: readonly SrEvent[]; idPrefix: string }) {
  return (
    <View className='timeline' id={idPrefix}>
      {events.map((e) => (
        <View
          key={e.seq}
          className='timeline__item'
          id={`${idPrefix}-${e.seq}`}
          data-action={e.action}
          data-status={e.toStatus}
        >
          <View className='timeline__dot' />
          <View className='timeline__body'>
            <View className='timeline__head'>
              <Text className='timeline__action'>{srActionLabels[e.action]}</Text>
              <SrBadge status={e.toStatus} />
            </View>
            <Text className='hint'>
              {formatDateTime(e.at)} · {srActorLabels[e.actorKind]}
              {e.actorName ? ` ${e.actorName}` : ''}
            </Text>
            {e.note ? <Text className='timeline__note'>{e.note}</Text> : null}
          </View>
        </View>
      ))}
    </View>
  )
}
