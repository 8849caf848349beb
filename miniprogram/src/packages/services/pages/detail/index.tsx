import { useEffect, useState } from 'react'
import { View, Text, Input, Textarea } from '@tarojs/components'
import type { ServiceRequestDetail } from '@linli/shared/schemas'
import { srActionLabels, srHandlerLabels, srUrgencyLabels } from '@linli/shared/service-requests/labels'
import type { SrHandlerAction } from '@linli/shared/service-requests/rules'
import { ActionButton, Card, LoadError, Notice, PageShell, PhotoStrip } from '../../../../components'
import {
  cancelRequest,
  confirmRequest,
  follow,
  getRequest,
  reopenRequest,
  transition,
  urgeRequest,
} from '../../../../services/api/service-requests'
import { errorText } from '../../../../services/http'
import { useAsync } from '../../../../hooks/useAsync'
import { useRefresh, useReshow } from '../../../../hooks/useRefresh'
import { useSession } from '../../../../hooks/useSession'
import { formatDateTime } from '../../../../utils/format'
import { EscalationMark, locationText, NotMember, RatingPanel, SrBadge, Stars, Timeline } from '../../components'
import { handlerButtons, reporterButtons, urgeErrorText } from '../../lib/form'
import { useIdParam, useSrCommunity } from '../../lib/useSrCommunity'
import './index.scss'

type Panel = null | 'cancel' | 'rate' | 'reopen' | { handler: SrHandlerAction }

/** One request: state, SLA, photos, timeline; the reporter's and the handler side's actions by state. */
export default function RequestDetailPage() {
  const { me } = useSession({ requireLogin: true })
  const { current, member } = useSrCommunity(me)
  const cid = member ? (current?.communityId ?? null) : null
  const requestId = useIdParam('requestId')
  const req = useAsync<ServiceRequestDetail>()
  const [panel, setPanel] = useState<Panel>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [result, setResult] = useState<string | null>(null)
  const [reason, setReason] = useState('')
  const [assignee, setAssignee] = useState({ name: '', phone: '' })
  const [duplicateOf, setDuplicateOf] = useState('')

  const load = () => (cid !== null && requestId !== null ? req.run(() => getRequest(cid, requestId)) : undefined)
  // biome-ignore lint/correctness/useExhaustiveDependencies: reruns only when the inputs listed change; the loader is redefined each render
  useEffect(() => void load(), [cid, requestId])
  useRefresh(load)
  useReshow(load)

  const d = req.data
  const openPanel = (p: Panel) => {
    setPanel(p)
    setError(null)
    setResult(null)
    setReason('')
  }

  async function act(run: () => Promise<ServiceRequestDetail | string>, done: string) {
    setBusy(true)
    setError(null)
    try {
      const out = await run()
      if (typeof out === 'string') {
        setResult(out)
        void load()
      } else {
        req.setData(out)
        setResult(done)
      }
      setPanel(null)
    } catch (e) {
      setError(errorText(e))
    } finally {
      setBusy(false)
    }
  }

  async function urge() {
    if (!d) return
    setBusy(true)
    setError(null)
    setResult(null)
    try {
      const r = await urgeRequest(d.communityId, d.id)
      setResult(`已催办（第 ${r.count} 次），处理方会尽快处理。`)
      void load()
    } catch (e) {
      setError(urgeErrorText(e, errorText))
    } finally {
      setBusy(false)
    }
  }

  if (requestId === null)
    return (
      <PageShell>
        <Notice kind='error' id='sr-detail-error'>
          缺少报事编号
        </Notice>
      </PageShell>
    )

  const mine = !!d && d.view === 'full' && d.mine
  // the BFF's `actions` narrows the state machine to this caller (a follower may urge, only the reporter cancels / confirms / reopens)
  const buttons = d ? reporterButtons(d.status, d.actions) : []
  const handlerActs = d ? handlerButtons(d.status).filter((a) => d.actions.includes(a)) : []

  return (
    <PageShell>
      {member === false ? <NotMember id='sr-detail-not-member' /> : null}
      {req.error ? (
        <LoadError id='sr-detail-error' message={req.error} busy={req.loading} onRetry={() => void load()} />
      ) : null}
      {req.loading && !d ? <Text className='hint'>正在加载…</Text> : null}
      {d ? (
        <View id='sr-detail' data-request-id={d.id} data-status={d.status}>
          <Card
            title={
              <Text id='sr-detail-category'>
                {d.category.name}（{srUrgencyLabels[d.category.urgency]}）
              </Text>
            }
            extra={<SrBadge status={d.status} id='sr-detail-state' />}
          >
            <EscalationMark escalation={d.escalation} id='sr-detail-escalation' />
            <View className='kv'>
              <Text className='kv__k'>编号</Text>
              <Text className='kv__v'>{d.id}</Text>
            </View>
            <View className='kv'>
              <Text className='kv__k'>位置</Text>
              <Text className='kv__v' id='sr-detail-location'>
                {locationText(d.location)}
              </Text>
            </View>
            <View className='kv'>
              <Text className='kv__k'>处理方</Text>
              <Text className='kv__v'>{srHandlerLabels[d.handler]}</Text>
            </View>
            <View className='kv'>
              <Text className='kv__k'>提交时间</Text>
              <Text className='kv__v'>{formatDateTime(d.createdAt)}</Text>
            </View>
            <View className='kv'>
              <Text className='kv__k'>受理时限</Text>
              <Text className='kv__v' id='sr-detail-accept-due'>
                {formatDateTime(d.acceptDueAt)}前{d.acceptedAt ? `（${formatDateTime(d.acceptedAt)} 已受理）` : ''}
              </Text>
            </View>
            {d.resolveDueAt ? (
              <View className='kv'>
                <Text className='kv__k'>处理时限</Text>
                <Text className='kv__v' id='sr-detail-resolve-due'>
                  {formatDateTime(d.resolveDueAt)}前{d.resolvedAt ? `（${formatDateTime(d.resolvedAt)} 已处理）` : ''}
                </Text>
              </View>
            ) : null}
            {d.assignee ? (
              <View className='kv'>
                <Text className='kv__k'>处理人</Text>
                <Text className='kv__v' id='sr-detail-assignee'>
                  {d.assignee.name}
                  {d.assignee.phone ? ` ${d.assignee.phone}` : ''}
                </Text>
              </View>
            ) : null}
            {d.contactTime ? (
              <View className='kv'>
                <Text className='kv__k'>联系时间</Text>
                <Text className='kv__v'>{d.contactTime}</Text>
              </View>
            ) : null}
            {d.urges.count ? (
              <View className='kv'>
                <Text className='kv__k'>催办</Text>
                <Text className='kv__v' id='sr-detail-urges'>
                  {d.urges.count} 次
                </Text>
              </View>
            ) : null}
            {d.followerCount ? <Text className='hint'>{d.followerCount} 位邻居也遇到了这个问题</Text> : null}
            {d.duplicateOf ? <Text className='hint'>与报事 {d.duplicateOf} 重复</Text> : null}
            <Text className='flabel'>问题描述</Text>
            <Text className='text' id='sr-detail-description'>
              {d.description}
            </Text>
            {d.answers?.length ? (
              <View id='sr-detail-answers' className='mt'>
                {d.answers.map((a) => (
                  <View className='kv' key={a.code}>
                    <Text className='kv__k'>{a.label}</Text>
                    <Text className='kv__v'>{a.value}</Text>
                  </View>
                ))}
              </View>
            ) : null}
            {d.photos.length ? (
              <View className='mt'>
                <PhotoStrip id='sr-detail-photos' photos={d.photos} />
              </View>
            ) : null}
          </Card>

          {result ? (
            <Notice kind='success' id='sr-action-result'>
              {result}
            </Notice>
          ) : null}
          {error && panel === null ? (
            <Notice kind='error' id='sr-action-error'>
              {error}
            </Notice>
          ) : null}

          {d.rating ? (
            <Card title='我的评价' id='sr-rating'>
              <Stars id='sr-rating-overall' label='总体满意度' value={d.rating.overall} />
              <Stars id='sr-rating-speed' label='处理速度' value={d.rating.speed} />
              <Stars id='sr-rating-attitude' label='服务态度' value={d.rating.attitude} />
              {d.rating.text ? <Text className='text'>{d.rating.text}</Text> : null}
            </Card>
          ) : null}

          {panel === null && (buttons.length || d.actions.includes('follow') || d.actions.includes('unfollow')) ? (
            <Card title='操作' id='sr-actions'>
              {buttons.includes('confirm') ? (
                <View className='mt'>
                  <ActionButton id='sr-confirm' onClick={() => openPanel('rate')}>
                    确认解决并评价
                  </ActionButton>
                </View>
              ) : null}
              {buttons.includes('reopen') ? (
                <View className='mt'>
                  <ActionButton id='sr-reopen' variant='secondary' onClick={() => openPanel('reopen')}>
                    没有解决，重新打开
                  </ActionButton>
                </View>
              ) : null}
              {buttons.includes('urge') ? (
                <View className='mt'>
                  <ActionButton id='sr-urge' variant='secondary' loading={busy} onClick={() => void urge()}>
                    催办
                  </ActionButton>
                </View>
              ) : null}
              {buttons.includes('cancel') ? (
                <View className='mt'>
                  <ActionButton id='sr-cancel' variant='danger' onClick={() => openPanel('cancel')}>
                    撤销报事
                  </ActionButton>
                </View>
              ) : null}
              {!mine && d.actions.includes('follow') ? (
                <View className='mt'>
                  <ActionButton
                    id='sr-follow'
                    variant='secondary'
                    onClick={() =>
                      void act(async () => {
                        await follow(d.communityId, d.id, true)
                        return '已关注，处理进展会通知您'
                      }, '')
                    }
                  >
                    我也遇到了
                  </ActionButton>
                </View>
              ) : null}
              {!mine && d.actions.includes('unfollow') ? (
                <View className='mt'>
                  <ActionButton
                    id='sr-unfollow'
                    variant='plain'
                    onClick={() =>
                      void act(async () => {
                        await follow(d.communityId, d.id, false)
                        return '已取消关注'
                      }, '')
                    }
                  >
                    取消关注
                  </ActionButton>
                </View>
              ) : null}
            </Card>
          ) : null}

          {panel === 'rate' ? (
            <Card title='确认解决并评价' id='sr-rate-card'>
              <RatingPanel
                busy={busy}
                error={error}
                onCancel={() => openPanel(null)}
                onSubmit={(body) =>
                  void act(() => confirmRequest(d.communityId, d.id, body), '感谢您的评价，报事已完结。')
                }
              />
            </Card>
          ) : null}

          {panel === 'reopen' || panel === 'cancel' ? (
            <Card title={panel === 'reopen' ? '重新打开' : '撤销报事'} id='sr-panel'>
              <Text className='flabel'>{panel === 'reopen' ? '没有解决的原因（必填）' : '撤销原因（选填）'}</Text>
              <Textarea
                id='sr-reason'
                className='field field--area'
                value={reason}
                maxlength={panel === 'reopen' ? 500 : 200}
                onInput={(e) => setReason(e.detail.value)}
              />
              {error ? (
                <Notice kind='error' id='sr-panel-error'>
                  {error}
                </Notice>
              ) : null}
              <View className='btn-row'>
                <ActionButton id='sr-panel-cancel' variant='secondary' onClick={() => openPanel(null)}>
                  返回
                </ActionButton>
                <ActionButton
                  id='sr-panel-confirm'
                  variant={panel === 'cancel' ? 'danger' : 'primary'}
                  loading={busy}
                  onClick={() => {
                    const r = reason.trim()
                    if (panel === 'reopen') {
                      if (Array.from(r).length < 2) return setError('请说明没有解决的原因（至少 2 个字）')
                      void act(() => reopenRequest(d.communityId, d.id, r), '已重新打开，处理方会再次处理。')
                    } else void act(() => cancelRequest(d.communityId, d.id, r || undefined), '报事已撤销。')
                  }}
                >
                  {panel === 'reopen' ? '重新打开' : '确认撤销'}
                </ActionButton>
              </View>
            </Card>
          ) : null}

          {handlerActs.length ? (
            <Card title={`处理（${srHandlerLabels[d.handler]}）`} id='sr-handle'>
              {d.handler === 'property' ? (
                <Text className='hint'>本类别由物业处理；物业未响应时，业委会/社区可代为推进。</Text>
              ) : null}
              {panel !== null && typeof panel === 'object' ? (
                <View id='sr-handle-panel' data-action={panel.handler}>
                  <Text className='flabel'>{srActionLabels[panel.handler]}</Text>
                  {panel.handler === 'assign' ? (
                    <View>
                      <Text className='flabel'>处理人姓名</Text>
                      <Input
                        id='sr-handle-assignee-name'
                        className='field'
                        value={assignee.name}
                        maxlength={32}
                        onInput={(e) => setAssignee({ ...assignee, name: e.detail.value })}
                      />
                      <Text className='flabel'>处理人手机号（选填）</Text>
                      <Input
                        id='sr-handle-assignee-phone'
                        className='field'
                        type='number'
                        value={assignee.phone}
                        maxlength={11}
                        onInput={(e) => setAssignee({ ...assignee, phone: e.detail.value })}
                      />
                    </View>
                  ) : null}
                  {panel.handler === 'duplicate' ? (
                    <View>
                      <Text className='flabel'>与哪条报事重复（编号）</Text>
                      <Input
                        id='sr-handle-duplicate-of'
                        className='field'
                        type='number'
                        value={duplicateOf}
                        onInput={(e) => setDuplicateOf(e.detail.value)}
                      />
                    </View>
                  ) : null}
                  <Text className='flabel'>
                    {panel.handler === 'reject' ? '不予受理的原因（必填）' : '说明（选填，报事人可见）'}
                  </Text>
                  <Textarea
                    id='sr-handle-note'
                    className='field field--area'
                    value={reason}
                    maxlength={500}
                    onInput={(e) => setReason(e.detail.value)}
                  />
                  {error ? (
                    <Notice kind='error' id='sr-handle-error'>
                      {error}
                    </Notice>
                  ) : null}
                  <View className='btn-row'>
                    <ActionButton id='sr-handle-cancel' variant='secondary' onClick={() => openPanel(null)}>
                      返回
                    </ActionButton>
                    <ActionButton
                      id='sr-handle-confirm'
                      loading={busy}
                      onClick={() => {
                        const action = panel.handler
                        const note = reason.trim()
                        if (action === 'reject' && Array.from(note).length < 2) return setError('请填写不予受理的原因')
                        if (action === 'assign' && !assignee.name.trim()) return setError('请填写处理人姓名')
                        if (action === 'assign' && assignee.phone && !/^1\d{10}$/.test(assignee.phone))
                          return setError('手机号应为 11 位数字')
                        const dup = Number(duplicateOf)
                        if (action === 'duplicate' && !(Number.isInteger(dup) && dup > 0))
                          return setError('请填写重复的报事编号')
                        void act(
                          () =>
                            transition(d.communityId, d.id, {
                              action,
                              ...(note ? { note } : {}),
                              ...(action === 'assign'
                                ? {
                                    assignee: {
                                      name: assignee.name.trim(),
                                      ...(assignee.phone ? { phone: assignee.phone } : {}),
                                    },
                                  }
                                : {}),
                              ...(action === 'duplicate' ? { duplicateOf: dup } : {}),
                            }),
                          `已${srActionLabels[action]}`,
                        )
                      }}
                    >
                      确认{srActionLabels[panel.handler]}
                    </ActionButton>
                  </View>
                </View>
              ) : (
                <View className='grid'>
                  {handlerActs.map((a) => (
                    <View
                      key={a}
                      id={`sr-handle-${a}`}
                      className='option'
                      onClick={() => openPanel({ handler: a as SrHandlerAction })}
                    >
                      {srActionLabels[a]}
                    </View>
                  ))}
                </View>
              )}
            </Card>
          ) : null}

          <Card title='处理进度' id='sr-timeline-card'>
            <Timeline events={d.timeline} idPrefix='sr-timeline' />
          </Card>
        </View>
      ) : null}
    </PageShell>
  )
}
