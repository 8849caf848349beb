import { useEffect, useState } from 'react'
import { View, Text, Input } from '@tarojs/components'
import type { Matter, MatterResult, PublicBallot, VoteDetail } from '@linli/shared/schemas'
import {
  choiceVisibilityLabels,
  matterCategoryLabels,
  nonVotersFollowMajority,
  ruleExplanations,
  thresholdShort,
  type ChoiceVisibility,
} from '@linli/shared/voting/rules'
import { ActionButton, Card, LoadError, Notice, PageShell } from '../../../../components'
import { checkReceipt, getVote, listPublicBallots } from '../../../../services/api/voting'
import { useAsync } from '../../../../hooks/useAsync'
import { useRefresh, useReshow } from '../../../../hooks/useRefresh'
import { useSession } from '../../../../hooks/useSession'
import { formatDateTime } from '../../../../utils/format'
import { choicesLine, hiddenChoicesText, QuorumBars, ReceiptLookup, TallyView, VoteHeader } from '../../components'
import { useVoteCommunity, useVoteId } from '../../lib/useVoteCommunity'
import { keptReceipts } from '../../lib/receipts'
import { figuresOf, participationFigures } from '../../lib/tally'
import { windowText } from '../../lib/datetime'
import { domId } from '../../lib/ids'
import './index.scss'

const PAGE = 100

const followedText = {
  yes: '未参与表决业主的面积和人数计入同意一方',
  no: '未参与表决业主的面积和人数计入反对一方',
  none: '同意与反对在面积和人数上的多数方不一致（或相等），未参与者不计入任何一方',
} as const

/** The separate tally some communities' rules ask for; always labelled, never the official result. */
function FollowMajority({ matter, result }: { matter: Matter; result: MatterResult }) {
  const nv = result.nonVotersFollowMajority
  if (!nv) return null
  let decision: { quorumMet: boolean; passed: boolean } | undefined
  try {
    decision = nonVotersFollowMajority(figuresOf(matter.category, result.official)).decision
  } catch {
    decision = { quorumMet: nv.tally.quorumMet, passed: nv.tally.passed }
  }
  return (
    <View className='panel' id={`result-matter-${matter.id}-nvfm`} data-followed={nv.followed}>
      <Text className='text'>另计（依本小区管理规约/议事规则，不是法定计票）</Text>
      <Text className='hint'>{followedText[nv.followed]}。法定参与人数仍按实际参与表决的业主计算。</Text>
      <TallyView
        figures={figuresOf(matter.category, nv.tally)}
        idPrefix={`result-matter-${matter.id}-nvfm`}
        showQuorum={false}
        decisionOverride={decision}
      />
    </View>
  )
}

function BallotRow({
  b,
  matters,
  mine,
  visibility,
}: {
  b: PublicBallot
  matters: readonly Matter[]
  mine: boolean
  visibility: ChoiceVisibility
}) {
  return (
    <View
      className='matter'
      id={`result-ballot-${domId(b.receipt)}`}
      data-receipt={b.receipt}
      data-mine={mine ? 'true' : 'false'}
    >
      <View className='card__head'>
        <Text className='matter__title'>{b.rooms.join('、')}</Text>
        <Text className='fp__hash'>{b.receipt}</Text>
      </View>
      <Text className='hint'>
        {b.holdersMasked.join('、')}
        {b.viaProxy ? ' · 代理投票' : ''}
        {mine ? ' · 我的选票' : ''}
      </Text>
      <Text className='hint' data-choices={b.choices ? 'shown' : 'hidden'}>
        {b.choices ? choicesLine(matters, b.choices, '　') : hiddenChoicesText(visibility)}
      </Text>
    </View>
  )
}

export default function VoteResultsPage() {
  const { me } = useSession({ requireLogin: true })
  const { current } = useVoteCommunity(me)
  const cid = current?.communityId ?? null
  const voteId = useVoteId()

  const vote = useAsync<VoteDetail>()
  const ballots = useAsync<PublicBallot[]>()
  const [filter, setFilter] = useState('')
  const [limit, setLimit] = useState(PAGE)
  const kept = me && voteId ? keptReceipts(me.id, voteId) : []
  const load = async () => {
    if (cid === null || voteId === null) return
    const v = await vote.run(() => getVote(cid, voteId))
    if (v && (v.state === 'closed' || v.state === 'announced')) await ballots.run(() => listPublicBallots(cid, voteId))
  }
  // biome-ignore lint/correctness/useExhaustiveDependencies: reruns only when the inputs listed change; the loader is redefined each render
  useEffect(() => void load(), [cid, voteId])
  useRefresh(load)
  useReshow(load)

  const v = vote.data
  const matters = v ? [...v.matters].sort((a, b) => a.position - b.position) : []
  const closed = v?.state === 'closed' || v?.state === 'announced'
  const q = filter.trim().toLowerCase()
  const shownBallots = (ballots.data ?? []).filter(
    (b) => !q || b.receipt.toLowerCase().includes(q) || b.rooms.some((r) => r.toLowerCase().includes(q)),
  )
  const myReceipts = new Set(kept.map((k) => k.receipt))

  return (
    <PageShell>
      <VoteHeader vote={vote} idPrefix='result' onRetry={() => void load()} />

      {v ? (
        <View>
          <Text className='hint'>表决时间：{windowText(v.opensAt, v.closesAt)}</Text>
          {v.resultsAnnouncedAt ? (
            <Text className='hint' id='result-announced'>
              结果已于 {formatDateTime(v.resultsAnnouncedAt)} 公示
            </Text>
          ) : null}

          <Card title='计票规则'>
            <Text className='hint'>{ruleExplanations.quorum}</Text>
            <Text className='hint'>· 一般事项（第1–5、9类）：{ruleExplanations.majority}</Text>
            <Text className='hint'>
              · 筹集维修资金、改建重建、改变共有部分用途或经营（第6–8类）：{ruleExplanations.three_quarters}
            </Text>
            <Text className='hint'>{ruleExplanations.source}</Text>
          </Card>

          {!closed ? (
            <Notice kind='info' id='result-provisional'>
              表决尚未截止，以下为目前的参与情况{v.results ? '和票数' : ''}，最终结果以截止后的统计为准。
            </Notice>
          ) : null}

          {!v.results ? (
            <Card title='参与情况' id='result-participation'>
              {v.participation ? (
                <QuorumBars figures={participationFigures(v.participation)} idPrefix='result-participation' />
              ) : (
                <Text className='hint'>表决开始后显示参与情况。</Text>
              )}
              <Text className='hint mt' id='result-hidden'>
                各事项的同意、反对票数在表决截止后公布。
              </Text>
            </Card>
          ) : (
            matters.map((m, i) => {
              const r = v.results!.find((x) => x.matterId === m.id)
              return (
                <Card key={m.id} title={`第${i + 1}项`} id={`result-matter-${m.id}`}>
                  <Text className='matter__title'>{m.text}</Text>
                  <Text className='matter__cat'>{matterCategoryLabels[m.category]}</Text>
                  <Text className='hint'>{thresholdShort[m.threshold]}</Text>
                  {r ? (
                    <View>
                      <TallyView
                        figures={figuresOf(m.category, r.official)}
                        idPrefix={`result-matter-${m.id}`}
                        provisional={!closed}
                      />
                      <FollowMajority matter={m} result={r} />
                    </View>
                  ) : (
                    <Text className='hint'>暂无该事项的统计。</Text>
                  )}
                </Card>
              )
            })
          )}

          <Card title='我的选票是否被计入' id='receipt-check'>
            {cid !== null && voteId !== null ? (
              <ReceiptLookup
                kept={kept}
                matters={matters}
                visibility={v.choicesVisibleTo}
                closed={closed}
                lookup={(code) => checkReceipt(cid, voteId, code)}
              />
            ) : null}
          </Card>

          {closed ? (
            <Card title={`公示名单（${ballots.data?.length ?? 0} 张选票）`} id='result-ballots'>
              <Text className='hint' id='result-ballots-rule' data-visibility={v.choicesVisibleTo}>
                公示房号、回执码和打码的姓名，您可以按回执码找到自己的选票。按本次表决的规则，各户的选择对
                {choiceVisibilityLabels[v.choicesVisibleTo]}可见
                {v.choicesVisibleTo === 'owners' ? '（业主有权查阅表决票）' : ''}。
              </Text>
              <Input
                id='result-ballot-filter'
                className='field mt'
                value={filter}
                placeholder='按房号或回执码查找'
                onInput={(e) => setFilter(e.detail.value)}
              />
              {ballots.error ? (
                <LoadError
                  id='result-ballots-error'
                  message={ballots.error}
                  busy={ballots.loading}
                  onRetry={() => void load()}
                />
              ) : null}
              {ballots.loading && !ballots.data ? <Text className='hint'>正在加载…</Text> : null}
              {shownBallots.slice(0, limit).map((b) => (
                <BallotRow
                  key={b.receipt}
                  b={b}
                  matters={matters}
                  mine={myReceipts.has(b.receipt)}
                  visibility={v.choicesVisibleTo}
                />
              ))}
              {shownBallots.length > limit ? (
                <ActionButton id='result-ballots-more' variant='plain' onClick={() => setLimit(limit + PAGE)}>
                  显示更多（还有 {shownBallots.length - limit} 张）
                </ActionButton>
              ) : null}
              {ballots.data && shownBallots.length === 0 ? <Text className='hint'>没有符合条件的选票。</Text> : null}
            </Card>
          ) : null}
        </View>
      ) : null}
    </PageShell>
  )
}
