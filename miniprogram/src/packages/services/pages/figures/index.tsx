import { useEffect, useState } from 'react'
import { View, Text } from '@tarojs/components'
import type { FiguresReport, ServiceFigures } from '@linli/shared/schemas'
import { Card, LoadError, PageShell } from '../../../../components'
import { figures } from '../../../../services/api/service-requests'
import { useAsync } from '../../../../hooks/useAsync'
import { useRefresh } from '../../../../hooks/useRefresh'
import { useSession } from '../../../../hooks/useSession'
import { formatDateTime } from '../../../../utils/format'
import { CommunityPicker, NotMember } from '../../components'
import { bpLabel, durationLabel } from '../../lib/form'
import { useSrCommunity } from '../../lib/useSrCommunity'
import './index.scss'

/** A labelled bar: `share` 0–1 (null: no data, empty bar). */
function Bar({ id, label, value, share }: { id: string; label: string; value: string; share: number | null }) {
  const pct = share === null ? 0 : Math.max(0, Math.min(100, share * 100))
  return (
    <View className='bar' id={id} data-share={share === null ? '' : share.toFixed(4)}>
      <View className='bar__head'>
        <Text>{label}</Text>
        <Text id={`${id}-value`}>{value}</Text>
      </View>
      <View className='bar__track'>
        <View className='bar__fill' style={{ width: `${pct}%` }} />
      </View>
    </View>
  )
}

function Figures({ f, id }: { f: ServiceFigures; id: string }) {
  const rating = (k: 'overall' | 'speed' | 'attitude', label: string) => (
    <Bar
      id={`${id}-rating-${k}`}
      label={`${label}（${f.ratings.count} 人评价）`}
      value={f.ratings[k].mean === null ? '—' : `${f.ratings[k].mean!.toFixed(2)} 分`}
      share={f.ratings[k].mean === null ? null : f.ratings[k].mean! / 5}
    />
  )
  return (
    <View id={id}>
      <View className='kv'>
        <Text className='kv__k'>报事数</Text>
        <Text className='kv__v' id={`${id}-requests`}>
          {f.requests}（已受理 {f.accepted}，已处理 {f.resolved}）
        </Text>
      </View>
      <View className='kv'>
        <Text className='kv__k'>受理用时</Text>
        <Text className='kv__v' id={`${id}-accept`}>
          中位数 {durationLabel(f.medianAcceptSeconds)}
        </Text>
      </View>
      <View className='kv'>
        <Text className='kv__k'>处理用时</Text>
        <Text className='kv__v' id={`${id}-resolve`}>
          中位数 {durationLabel(f.medianResolveSeconds)}
        </Text>
      </View>
      <Bar
        id={`${id}-ontime`}
        label={`按时办结率（${f.onTime.count}/${f.onTime.of}）`}
        value={bpLabel(f.onTime.basisPoints)}
        share={f.onTime.basisPoints === null ? null : f.onTime.basisPoints / 10000}
      />
      <Bar
        id={`${id}-reopened`}
        label={`重新打开率（${f.reopened.count}/${f.reopened.of}）`}
        value={bpLabel(f.reopened.basisPoints)}
        share={f.reopened.basisPoints === null ? null : f.reopened.basisPoints / 10000}
      />
      {rating('overall', '总体满意度')}
      {rating('speed', '处理速度')}
      {rating('attitude', '服务态度')}
    </View>
  )
}

/** 公众评价: the community's and its property company's service figures, last 30 / 90 days. */
export default function FiguresPage() {
  const { me } = useSession({ requireLogin: true })
  const { communities, current, member, pick } = useSrCommunity(me)
  const cid = member ? (current?.communityId ?? null) : null
  const [days, setDays] = useState<30 | 90>(30)
  const report = useAsync<FiguresReport>()
  const load = () => (cid !== null ? report.run(() => figures(cid, days)) : undefined)
  // biome-ignore lint/correctness/useExhaustiveDependencies: reruns only when the inputs listed change; the loader is redefined each render
  useEffect(() => void load(), [cid, days])
  useRefresh(load)
  const r = report.data
  return (
    <PageShell>
      <Text className='title' id='sr-figures-title'>
        服务评价{current?.communityName ? ` · ${current.communityName}` : ''}
      </Text>
      <CommunityPicker communities={communities} currentId={cid} onPick={pick} />
      <View className='grid'>
        {([30, 90] as const).map((d) => (
          <View
            key={d}
            id={`sr-figures-days-${d}`}
            className={`option ${days === d ? 'option--selected' : ''}`}
            onClick={() => setDays(d)}
          >
            近 {d} 天
          </View>
        ))}
      </View>
      {member === false ? <NotMember id='sr-figures-not-member' /> : null}
      {report.error ? (
        <LoadError id='sr-figures-error' message={report.error} busy={report.loading} onRetry={() => void load()} />
      ) : null}
      {report.loading && !r ? <Text className='hint'>正在加载…</Text> : null}
      {r ? (
        <View>
          <Text className='hint'>
            统计 {formatDateTime(r.since)} 以来提交的报事。按时办结：在受理时限内受理、在处理时限内处理完成。
          </Text>
          <Card title='本小区' id='sr-figures-community-card'>
            <Figures f={r.community} id='sr-figures-community' />
          </Card>
          {r.propertyCompany ? (
            <Card title={`物业服务企业：${r.propertyCompany.name}`} id='sr-figures-company-card'>
              <Text className='hint'>该企业服务的所有小区中由物业处理的报事。</Text>
              <Figures f={r.propertyCompany.figures} id='sr-figures-company' />
            </Card>
          ) : (
            <Text className='hint'>本小区目前没有在约的物业服务企业。</Text>
          )}
        </View>
      ) : null}
    </PageShell>
  )
}
