import { useEffect, useRef, useState, type ReactElement } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import { View, Text, Input } from '@tarojs/components'
import type { CreateVoteBody, Proxy, RollSummary, VoteDetail, VoteSummary } from '@linli/shared/schemas'
import { voteStateLabels } from '@linli/shared/voting/rules'
import { ActionButton, Card, EmptyState, Notice, PageShell, PhotoStrip } from '../../../../components'
import {
  announceVote,
  cancelVote,
  closeVote,
  createVote,
  extendVote,
  getRoll,
  getVote,
  listProxies,
  listVotes,
  publishVote,
  revokeProxy,
  updateVote,
} from '../../../../services/api/voting'
import { ApiError, errorText } from '../../../../services/http'
import { useAsync } from '../../../../hooks/useAsync'
import { useSession } from '../../../../hooks/useSession'
import { formatDateTime } from '../../../../utils/format'
import { open, routes, withQuery } from '../../../../utils/routes'
import { CommunityPicker, DateTimeField, Fingerprints, QuorumBars, VoteForm, VoteStateBadge, emptyDraft, voteDateLine } from '../../components'
import { useVoteCommunity } from '../../lib/useVoteCommunity'
import { parseLocalDateTime, toLocalInput, windowText } from '../../lib/datetime'
import { participationFigures, formatArea } from '../../lib/tally'
import { validateReason, type VoteDraft } from '../../lib/validation'
import './index.scss'

type Panel =
  | { kind: 'publish' | 'close' | 'announce'; voteId: number }
  | { kind: 'cancel'; voteId: number; reason: string }
  | { kind: 'extend'; voteId: number; closesAt: string; reason: string }
  | { kind: 'revoke'; voteId: number; proxyId: number; reason: string }

const panelText: Record<'publish' | 'cancel' | 'close' | 'announce', { ask: string; ok: string; done: string; danger?: boolean }> = {
  publish: {
    ask: '发布后表决事项和业主名册即被冻结并生成指纹，不能再修改；到开始时间自动开放投票。确认发布？',
    ok: '确认发布',
    done: '已发布',
  },
  cancel: { ask: '取消后本次表决作废（记录保留）。确认取消？', ok: '确认取消表决', done: '已取消', danger: true },
  close: { ask: '提前结束后不能再投票，并开始计票。确认提前结束？', ok: '确认结束', done: '已结束投票', danger: true },
  announce: { ask: '公示后全体业主可以看到各事项的结果和选票公示名单。确认公示？', ok: '确认公示', done: '已公示结果' },
}

const draftOf = (v: VoteDetail): VoteDraft => ({
  title: v.title,
  noticeText: v.noticeText,
  matters: [...v.matters].sort((a, b) => a.position - b.position).map((m) => ({ category: m.category, text: m.text })),
  announcedAt: toLocalInput(v.announcedAt),
  opensAt: toLocalInput(v.opensAt),
  closesAt: toLocalInput(v.closesAt),
  hideResultsUntilClose: v.hideResultsUntilClose,
})

/** 业委会: create, publish, watch, extend, close and announce the community's votes; proxies. */
export default function VoteManagePage() {
  const { me } = useSession({ requireLogin: true })
  const { communities, current, pick } = useVoteCommunity(me)
  const committees = communities.filter((c) => c.committee)
  const cid = current?.communityId ?? null
  const isCommittee = !!current?.committee

  const list = useAsync<VoteSummary[]>()
  const [editing, setEditing] = useState<{ voteId: number | null; draft: VoteDraft } | null>(null)
  const [formError, setFormError] = useState<string | null>(null)
  const [focus, setFocus] = useState<VoteDetail | null>(null)
  const [proxies, setProxies] = useState<Proxy[] | null>(null)
  const [roll, setRoll] = useState<RollSummary | null>(null)
  const [panel, setPanel] = useState<Panel | null>(null)
  const [panelError, setPanelError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<{ text: string; code: string | null } | null>(null)
  const [result, setResult] = useState<string | null>(null)

  const reloadList = () => {
    if (cid !== null) void list.run(() => listVotes(cid))
  }
  useEffect(() => {
    setFocus(null)
    setEditing(null)
    reloadList()
  }, [cid]) // eslint-disable-line react-hooks/exhaustive-deps
  const shown = useRef(false)
  useDidShow(() => {
    if (shown.current) reloadList()
    shown.current = true
  })

  const showDetail = async (voteId: number, keep?: VoteDetail) => {
    if (cid === null) return
    setProxies(null)
    setRoll(null)
    try {
      const v = keep ?? (await getVote(cid, voteId))
      setFocus(v)
      if (v.state !== 'draft' && v.state !== 'cancelled') setProxies(await listProxies(cid, voteId))
    } catch (e) {
      setError({ text: errorText(e), code: (e instanceof ApiError ? e.code : null) })
    }
  }

  const act = async (fn: () => Promise<VoteDetail | Proxy | void>, done: string, kind: 'close' | 'other' = 'other') => {
    setBusy(true)
    setError(null)
    setPanelError(null)
    setResult(null)
    try {
      const r = await fn()
      setPanel(null)
      setResult(done)
      void Taro.showToast({ title: done, icon: 'none' })
      reloadList()
      if (r && 'matters' in r) await showDetail(r.id, r)
      else if (focus) await showDetail(focus.id)
    } catch (e) {
      const text = errorText(e)
      setPanelError(text)
      setError({ text, code: (e instanceof ApiError ? e.code : null) })
    } finally {
      setBusy(false)
    }
  }

  const save = async (body: CreateVoteBody) => {
    if (cid === null || !editing) return
    setBusy(true)
    setFormError(null)
    try {
      const v = editing.voteId === null ? await createVote(cid, body) : await updateVote(cid, editing.voteId, body)
      setEditing(null)
      setResult(editing.voteId === null ? `已保存草稿「${v.title}」，核对无误后请发布。` : `已更新草稿「${v.title}」`)
      reloadList()
      await showDetail(v.id, v)
    } catch (e) {
      setFormError(errorText(e))
    } finally {
      setBusy(false)
    }
  }

  const confirmPanel = () => {
    if (!panel || cid === null) return
    const id = panel.voteId
    switch (panel.kind) {
      case 'publish':
        return void act(() => publishVote(cid, id), panelText.publish.done)
      case 'cancel': {
        const invalid = validateReason(panel.reason, 2, 200)
        if (invalid) return setPanelError(invalid)
        const reason = panel.reason.trim()
        return void act(() => cancelVote(cid, id, reason), panelText.cancel.done)
      }
      case 'close':
        return void act(() => closeVote(cid, id), panelText.close.done, 'close')
      case 'announce':
        return void act(() => announceVote(cid, id), panelText.announce.done)
      case 'extend': {
        const closesAt = parseLocalDateTime(panel.closesAt)
        const invalid = !closesAt ? '新的截止时间格式应为 YYYY-MM-DD HH:mm' : validateReason(panel.reason)
        if (invalid) return setPanelError(invalid)
        return void act(() => extendVote(cid, id, { closesAt: closesAt!, reason: panel.reason.trim() }), `已延期至 ${panel.closesAt.trim()}`)
      }
      case 'revoke': {
        const invalid = validateReason(panel.reason, 2, 200)
        if (invalid) return setPanelError(invalid)
        const pid = panel.proxyId
        return void act(() => revokeProxy(cid, id, pid, panel.reason.trim()), '已撤销委托')
      }
    }
  }

  const openPanel = (p: Panel) => {
    setPanel(p)
    setPanelError(null)
    setError(null)
  }

  const panelView = (voteId: number) => {
    if (!panel || panel.voteId !== voteId || panel.kind === 'revoke') return null
    return (
      <View className='panel' id='manage-panel'>
        {panel.kind === 'extend' ? (
          <View>
            <DateTimeField
              id='manage-extend-closes-at'
              label='新的截止时间'
              value={panel.closesAt}
              onChange={(closesAt) => setPanel({ ...panel, closesAt })}
            />
            <Text className='flabel'>延期原因（会向业主公示）</Text>
            <Input
              id='manage-extend-reason'
              className='field'
              value={panel.reason}
              maxlength={500}
              placeholder='例如：参与人数未达三分之二，延长一周'
              onInput={(e) => setPanel({ ...panel, reason: e.detail.value })}
            />
          </View>
        ) : (
          <Text className='text'>{panelText[panel.kind].ask}</Text>
        )}
        {panel.kind === 'cancel' ? (
          <View>
            <Text className='flabel'>取消原因（会记录在案）</Text>
            <Input
              id='manage-cancel-reason'
              className='field'
              value={panel.reason}
              maxlength={200}
              onInput={(e) => setPanel({ ...panel, reason: e.detail.value })}
            />
          </View>
        ) : null}
        {panelError ? (
          <Notice kind='error' id='manage-panel-error'>
            <Text data-code={error?.code ?? ''}>{panelError}</Text>
          </Notice>
        ) : null}
        <View className='btn-row'>
          <ActionButton id='manage-panel-cancel' variant='secondary' onClick={() => setPanel(null)}>
            返回
          </ActionButton>
          <ActionButton
            id='manage-confirm'
            variant={panel.kind !== 'extend' && panelText[panel.kind].danger ? 'danger' : 'primary'}
            loading={busy}
            onClick={confirmPanel}
          >
            {panel.kind === 'extend' ? '确认延期' : panelText[panel.kind].ok}
          </ActionButton>
        </View>
      </View>
    )
  }

  const actions = (v: VoteSummary) => {
    const id = v.id
    const btn = (name: string, label: string, onClick: () => void, variant: 'primary' | 'secondary' | 'danger' = 'secondary') => (
      <ActionButton key={name} id={`manage-${name}-${id}`} variant={variant} block={false} onClick={onClick}>
        {label}
      </ActionButton>
    )
    const list: ReactElement[] = [btn('details', '详情', () => void showDetail(id))]
    if (v.state === 'draft') {
      list.push(
        btn('edit', '编辑', () => {
          void getVote(cid!, id)
            .then((d) => {
              setFormError(null)
              setEditing({ voteId: id, draft: draftOf(d) })
            })
            .catch((e: unknown) => setError({ text: errorText(e), code: (e instanceof ApiError ? e.code : null) }))
        }),
        btn('publish', '发布', () => openPanel({ kind: 'publish', voteId: id }), 'primary'),
        btn('cancel', '取消表决', () => openPanel({ kind: 'cancel', voteId: id, reason: '' }), 'danger'),
      )
    }
    if (v.state === 'published') list.push(btn('cancel', '取消表决', () => openPanel({ kind: 'cancel', voteId: id, reason: '' }), 'danger'))
    if (v.state === 'open') {
      list.push(
        btn('extend', '延期', () => openPanel({ kind: 'extend', voteId: id, closesAt: toLocalInput(v.closesAt), reason: '' })),
        btn('close', '提前结束', () => openPanel({ kind: 'close', voteId: id }), 'danger'),
      )
    }
    if (v.state === 'closed') list.push(btn('announce', '公示结果', () => openPanel({ kind: 'announce', voteId: id }), 'primary'))
    if (v.state === 'open' || v.state === 'closed' || v.state === 'announced') {
      list.push(btn('results', '结果', () => open(withQuery(routes.voteResults, { communityId: cid, voteId: id }))))
    }
    return list
  }

  if (me && !isCommittee) {
    return (
      <PageShell>
        <CommunityPicker communities={committees} currentId={cid} onPick={pick} />
        <EmptyState id='manage-not-committee' title='您不是本小区的业委会委员' description='业主大会表决由业委会发起和管理。' />
      </PageShell>
    )
  }

  const votes = list.data ?? []

  return (
    <PageShell>
      <Text className='title' id='manage-community-name'>
        {current?.communityName ? `${current.communityName} · ` : ''}表决管理
      </Text>
      <CommunityPicker communities={committees} currentId={cid} onPick={pick} />

      {result ? (
        <Notice kind='success' id='manage-result'>
          {result}
        </Notice>
      ) : null}
      {error && !panel ? (
        <Notice kind='error' id='manage-error'>
          <Text data-code={error.code ?? ''}>{error.text}</Text>
        </Notice>
      ) : null}

      {editing ? (
        <Card title={editing.voteId === null ? '发起表决（草稿）' : '编辑草稿'}>
          <VoteForm
            key={editing.voteId ?? 'new'}
            initial={editing.draft}
            busy={busy}
            error={formError}
            onSave={(body) => void save(body)}
            onCancel={() => setEditing(null)}
          />
        </Card>
      ) : (
        <ActionButton
          id='manage-create'
          onClick={() => {
            setFormError(null)
            setResult(null)
            setEditing({ voteId: null, draft: emptyDraft() })
          }}
        >
          发起表决
        </ActionButton>
      )}

      {focus ? (
        <Card title={`当前查看：${focus.title}`} extra={<VoteStateBadge state={focus.state} />} id='manage-focus'>
          <Text className='hint'>
            {windowText(focus.opensAt, focus.closesAt)} · 公告于 {formatDateTime(focus.announcedAt)}（提前 {focus.noticeDays} 天）
          </Text>
          {focus.noticeTooShort ? (
            <Notice kind='warn' id='manage-focus-notice-short'>
              公告期不足 15 天。
            </Notice>
          ) : null}
          {focus.fingerprints ? (
            <View className='mt'>
              <Fingerprints roll={focus.fingerprints.roll} items={focus.fingerprints.items} idPrefix='manage-fingerprint' />
            </View>
          ) : (
            <Text className='hint'>发布后生成名册和事项的指纹。</Text>
          )}
          {focus.participation ? (
            <View id='manage-participation'>
              <Text className='subtitle'>参与情况</Text>
              <QuorumBars figures={participationFigures(focus.participation)} idPrefix='manage-participation' />
            </View>
          ) : null}
          {focus.extensions.map((x, i) => (
            <Text key={i} className='hint'>
              延期：{formatDateTime(x.from)} → {formatDateTime(x.to)}（{x.reason}）
            </Text>
          ))}
          {focus.state !== 'draft' && focus.state !== 'cancelled' ? (
            <View className='mt'>
              <ActionButton
                id={`manage-roll-${focus.id}`}
                variant='secondary'
                onClick={() => {
                  if (cid === null) return
                  void getRoll(cid, focus.id)
                    .then(setRoll)
                    .catch((e: unknown) => setError({ text: errorText(e), code: (e instanceof ApiError ? e.code : null) }))
                }}
              >
                查看冻结的业主名册
              </ActionButton>
            </View>
          ) : null}
          {roll ? (
            <View className='panel' id='manage-roll'>
              <Text className='text'>
                共 {roll.totalOwners} 位业主（按解释第九条计），专有部分面积 {formatArea(roll.totalArea)}
              </Text>
              <Text className='hint fp__hash'>名册指纹 {roll.fingerprint}</Text>
              {roll.entries.slice(0, 50).map((e) => (
                <Text key={e.ownerKey} className='hint'>
                  {e.units.map((u) => u.label).join('、')} · {e.holders.join('、')} · {formatArea(e.areaCenti)}
                  {e.isDeveloper ? ' · 开发建设单位' : ''}
                </Text>
              ))}
              {roll.entries.length > 50 ? <Text className='hint'>……共 {roll.entries.length} 条</Text> : null}
            </View>
          ) : null}

          {proxies ? (
            <View id='manage-proxies'>
              <Text className='subtitle'>委托代理（{proxies.length}）</Text>
              {proxies.length === 0 ? <Text className='hint'>没有委托。</Text> : null}
              {proxies.map((p) => (
                <View key={p.id} className='matter' id={`manage-proxy-${p.id}`} data-state={p.state}>
                  <Text className='matter__title'>
                    {p.rooms.join('、')}：{p.grantorName} 委托 {p.proxyName}（{p.proxyPhoneMasked}）
                  </Text>
                  <Text className='hint'>
                    {p.state === 'active' ? '有效' : p.state === 'used' ? '代理人已投票' : `已撤销${p.revokeReason ? `：${p.revokeReason}` : ''}`} ·{' '}
                    {formatDateTime(p.createdAt)}
                  </Text>
                  {p.authorizationText ? <Text className='hint'>委托书：{p.authorizationText}</Text> : null}
                  {p.authorizationPhotos.length ? (
                    <View className='mt'>
                      <Text className='hint'>委托书照片（点击放大核对签字）</Text>
                      <PhotoStrip id={`manage-proxy-${p.id}-photos`} photos={p.authorizationPhotos} />
                    </View>
                  ) : null}
                  {p.state === 'active' ? (
                    panel?.kind === 'revoke' && panel.proxyId === p.id ? (
                      <View className='panel'>
                        <Text className='flabel'>撤销原因（委托人和代理人会看到）</Text>
                        <Input
                          id='manage-proxy-reason'
                          className='field'
                          value={panel.reason}
                          maxlength={200}
                          onInput={(e) => setPanel({ ...panel, reason: e.detail.value })}
                        />
                        {panelError ? (
                          <Notice kind='error' id='manage-panel-error'>
                            {panelError}
                          </Notice>
                        ) : null}
                        <View className='btn-row'>
                          <ActionButton id='manage-panel-cancel' variant='secondary' onClick={() => setPanel(null)}>
                            返回
                          </ActionButton>
                          <ActionButton id='manage-proxy-revoke-confirm' variant='danger' loading={busy} onClick={confirmPanel}>
                            确认撤销
                          </ActionButton>
                        </View>
                      </View>
                    ) : (
                      <ActionButton
                        id={`manage-proxy-${p.id}-revoke`}
                        variant='danger'
                        onClick={() => openPanel({ kind: 'revoke', voteId: focus.id, proxyId: p.id, reason: '' })}
                      >
                        撤销委托
                      </ActionButton>
                    )
                  ) : null}
                </View>
              ))}
            </View>
          ) : null}
        </Card>
      ) : null}

      {list.error ? (
        <Notice kind='error' id='manage-load-error'>
          {list.error}
        </Notice>
      ) : null}
      {list.loading && !list.data ? <Text className='hint'>正在加载…</Text> : null}
      {list.data && votes.length === 0 ? (
        <Card>
          <EmptyState id='manage-empty' title='还没有表决' description='点击“发起表决”创建草稿，发布后业主即可看到公告。' />
        </Card>
      ) : null}

      <View className='mt'>
        {votes.map((v) => (
          <Card key={v.id} id={`manage-vote-${v.id}`} title={v.title} extra={<VoteStateBadge state={v.state} id={`manage-vote-${v.id}-state`} />}>
            <Text className='hint'>
              {voteDateLine(v)} · {v.matterCount} 项事项 · {voteStateLabels[v.state]}
            </Text>
            <View className='grid mt'>{actions(v)}</View>
            {panelView(v.id)}
          </Card>
        ))}
      </View>
    </PageShell>
  )
}
