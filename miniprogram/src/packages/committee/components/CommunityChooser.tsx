import { useState } from 'react'
import { View, Input } from '@tarojs/components'
import type { CommunitySummary } from '@linli/shared/schemas'
import { ActionButton, Card, LoadError } from '../../../components'
import { useAsync } from '../../../hooks/useAsync'
import { searchCommunities } from '../../../services/api/communities'

export interface ChosenCommunity {
  id: number
  name: string
}

/**
 * Which community a committee page works on: the ones the person holds a role in, and for a platform admin a
 * search over all. Shown only when there is a choice to make.
 */
export function CommunityChooser({
  idPrefix,
  mine,
  current,
  isPlatformAdmin,
  onPick,
}: {
  idPrefix: string
  mine: { communityId: number; communityName: string }[]
  current: ChosenCommunity | null
  isPlatformAdmin: boolean
  onPick: (c: ChosenCommunity) => void
}) {
  const [q, setQ] = useState('')
  const found = useAsync<CommunitySummary[]>()
  const search = () => void found.run(() => searchCommunities(q))
  if (mine.length <= 1 && !isPlatformAdmin) return null
  const option = (id: number, name: string, extra = '') => (
    <View
      key={id}
      id={`${idPrefix}-community-${id}`}
      className={`option ${extra} ${current?.id === id ? 'option--selected' : ''}`}
      onClick={() => onPick({ id, name })}
    >
      {name}
    </View>
  )
  return (
    <Card title='选择小区'>
      <View className='grid'>{mine.map((c) => option(c.communityId, c.communityName))}</View>
      {isPlatformAdmin ? (
        <View className='mt'>
          <View className='field-row'>
            <Input
              id={`${idPrefix}-community-search`}
              className='field'
              value={q}
              placeholder='平台管理员：搜索小区'
              onInput={(e) => setQ(e.detail.value)}
            />
            <ActionButton id={`${idPrefix}-community-search-submit`} block={false} onClick={search}>
              搜索
            </ActionButton>
          </View>
          {found.error ? <LoadError message={found.error} onRetry={search} /> : null}
          {found.data?.map((c) => option(c.id, c.name, 'mt'))}
        </View>
      ) : null}
    </Card>
  )
}
