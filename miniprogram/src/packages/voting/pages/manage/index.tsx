import { useEffect, useState, type ReactElement } from 'react'
import Taro from '@tarojs/taro'
import { View, Text, Input, Textarea } from '@tarojs/components'
import type { CreateVoteBody, VoteProxy, RollSummary, VoteDetail, VoteSummary } from '@linli/shared/schemas'
import {
  choiceVisibilityLabels,
  MIN_NOTICE_DAYS,
  NOTICE_LAW,
  noticePeriod,
  voteStateLabels,
} from '@linli/shared/voting/rules'
import { committeeActions, remindedThisRound } from '@linli/shared/voting/actions'
import {
  ActionButton,
  Card,
  EmptyState,
  LoadError,
  Notice,
  PageShell,
  PhotoStrip,
  Toggle,
} from '../../../../components'
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
  remindVoters,
  revokeProxy,
  updateVote,
} from '../../../../services/api/voting'
import { ApiError, errorText } from '../../../../services/http'
import { useAsync } from '../../../../hooks/useAsync'
import { useLeaveGuard } from '../../../../hooks/useLeaveGuard'
import { useRefresh, useReshow } from '../../../../hooks/useRefresh'
import { useSession } from '../../../../hooks/useSession'
import { confirm } from '../../../../utils/confirm'
import { formatDateTime } from '../../../../utils/format'
import { open, routes, withQuery } from '../../../../utils/routes'
import {
  CommunityPicker,
  DateTimeField,
  Fingerprints,
  QuorumBars,
  VoteForm,
  VoteStateBadge,
  emptyDraft,
  voteDateLine,
} from '../../components'
import { useVoteCommunity } from '../../lib/useVoteCommunity'
import { parseLocalDateTime, toLocalInput, windowText } from '../../lib/datetime'
import { participationFigures, formatArea } from '../../lib/tally'
import { validateReason, type VoteDraft } from '../../lib/validation'
import './index.scss'

type Panel =
  | { kind: 'publish'; voteId: number; reason: string; confirmed: boolean }
  | { kind: 'close' | 'announce' | 'remind'; voteId: number }
  | { kind: 'cancel'; voteId: number; reason: string }
  | { kind: 'extend'; voteId: number; closesAt: string; reason: string }
  | { kind: 'revoke'; voteId: number; proxyId: number; reason: string }

const panelText: Record<
  'publish' | 'cancel' | 'close' | 'announce' | 'remind',
  { ask: string; ok: string; done: string; danger?: boolean }
> = {
  publish: {
    ask: '发布后表决事项和业主名册即被冻结并生成指纹，不能再修改；到开始时间自动开放投票。确认发布？',
    ok: '确认发布',
    done: '已发布',
  },
  cancel: { ask: '取消后本次表决作废（记录保留）。确认取消？', ok: '确认取消表决', done: '已取消', danger: true },
  close: { ask: '提前结束后不能再投票，并开始计票。确认提前结束？', ok: '确认结束', done: '已结束投票', danger: true },
  announce: { ask: '公示后全体业主可以看到各事项的结果和选票公示名单。确认公示？', ok: '确认公示', done: '已公示结果' },
  remind: {
    ask: '给还没有投票的业主（及其代理人）发送截止前提醒，每天最多提醒一次。确认提醒？',
    ok: '确认提醒',
    done: '已发送提醒',
  },
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

const errorOf = (e: unknown) => ({ text: errorText(e), code: e instanceof ApiError ? e.code : null })

/** 业委会: create, publish, watch, extend, remind, close and announce the community's votes; proxies. */
export default function VoteManagePage() {
  const { me } = useSession({ requireLogin: true })
  const { communities, current, pick } = useVoteCommunity(me)
  const committees = communities.filter((c) => c.committee)
  const cid = current?.communityId ?? null
  const isCommittee = !!current?.committee

  const list = useAsync<VoteSummary[]>()
  const [editing, setEditing] = useState<{ voteId: number | null; draft: VoteDraft } | null>(null)
  const [formDirty, setFormDirty] = useState(false)
  const [formError, setFormError] = useState<string | null>(null)
  const [focus, setFocus] = useState<VoteDetail | null>(null)
  const [focusError, setFocusError] = useState<{ voteId: number; text: string } | null>(null)
  const [proxies, setProxies] = useState<VoteProxy[] | null>(null)
  const [roll, setRoll] = useState<RollSummary | null>(null)
  const [panel, setPanel] = useState<Panel | null>(null)
  const [panelError, setPanelError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<{ text: string; code: string | null } | null>(null)
  const [result, setResult] = useState<string | null>(null)

  // a draft being written is not left behind without asking (saving it ends the form)
  useLeaveGuard(!!editing && formDirty)

  const reloadList = () => (cid === null ? undefined : list.run(() => listVotes(cid)))
  // biome-ignore lint/correctness/useExhaustiveDependencies: reruns only when the inputs listed change; the loader is redefined each render
  useEffect(() => {
    setFocus(null)
    setEditing(null)
    void reloadList()
  }, [cid])
  useReshow(reloadList)

  const showDetail = async (voteId: number, keep?: VoteDetail) => {
    if (cid === null) return
    setProxies(null)
    setRoll(null)
    setFocusError(null)
    try {
      const v = keep ?? (await getVote(cid, voteId))
      setFocus(v)
      if (v.state !== 'draft' && v.state !== 'cancelled') setProxies(await listProxies(cid, voteId))
    } catch (e) {
      setFocusError({ voteId, text: errorText(e) })
    }
  }
  useRefresh(() => Promise.all([reloadList(), focus ? showDetail(focus.id) : undefined]))

  const act = async <T,>(fn: () => Promise<T>, done: string | ((r: T) => string)) => {
    setBusy(true)
    setError(null)
    setPanelError(null)
    setResult(null)
    try {
      const r = await fn()
      const text = typeof done === 'string' ? done : done(r)
      setPanel(null)
      setResult(text)
      void Taro.showToast({ title: text, icon: 'none' })
      void reloadList()
      const detail = r && typeof r === 'object' && 'matters' in r ? (r as unknown as VoteDetail) : null
      if (detail) await showDetail(detail.id, detail)
      else if (focus) await showDetail(focus.id)
    } catch (e) {
      setPanelError(errorText(e))
      setError(errorOf(e))
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
      setFormDirty(false)
      setResult(editing.voteId === null ? `已保存草稿「${v.title}」，核对无误后请发布。` : `已更新草稿「${v.title}」`)
      void reloadList()
      await showDetail(v.id, v)
    } catch (e) {
      setFormError(errorText(e))
    } finally {
      setBusy(false)
    }
  }

  const closeForm = async () => {
    if (
      formDirty &&
      !(await confirm({
        title: '放弃这份草稿？',
        content: '填写的内容还没有保存，放弃后不会保留。',
        confirmText: '放弃',
        cancelText: '继续填写',
        danger: true,
      }))
    )
      return
    setEditing(null)
    setFormDirty(false)
  }

  const confirmPanel = () => {
    if (!panel || cid === null) return
    const id = panel.voteId
    switch (panel.kind) {
      case 'publish': {
        const v = list.data?.find((x) => x.id === id)
        const notice = v ? noticePeriod(v.announcedAt, v.opensAt) : null
        if (!notice?.short) return void act(() => publishVote(cid, id), panelText.publish.done)
        // less than the legal notice: the committee confirms it, with its reason, for the log and the owners
        if (!panel.confirmed) return setPanelError(`请先确认：公告期不足 ${MIN_NOTICE_DAYS} 天仍要发布`)
        const invalid = validateReason(panel.reason, 4, 500)
        if (invalid) return setPanelError(invalid)
        const shortNotice = { confirmed: true as const, noticeDays: notice.days, reason: panel.reason.trim() }
        return void act(() => publishVote(cid, id, { shortNotice }), panelText.publish.done)
      }
      case 'cancel': {
        const invalid = validateReason(panel.reason, 2, 200)
        if (invalid) return setPanelError(invalid)
        const reason = panel.reason.trim()
        return void act(() => cancelVote(cid, id, reason), panelText.cancel.done)
      }
      case 'close':
        return void act(() => closeVote(cid, id), panelText.close.done)
      case 'announce':
        return void act(() => announceVote(cid, id), panelText.announce.done)
      case 'remind':
        return void act(
          () => remindVoters(cid, id),
          (r) => (r.reminded > 0 ? `已提醒 ${r.reminded} 位还没有投票的业主` : '所有业主都已投票，无需提醒'),
        )
      case 'extend': {
        const closesAt = parseLocalDateTime(panel.closesAt)
        const invalid = !closesAt ? '新的截止时间格式应为 YYYY-MM-DD HH:mm' : validateReason(panel.reason)
        if (invalid) return setPanelError(invalid)
        return void act(
          () => extendVote(cid, id, { closesAt: closesAt!, reason: panel.reason.trim() }),
          `已延期至 ${formatDateTime(closesAt)}`,
        )
      }
      case 'revoke': {
        const invalid = validateReason(panel.reason, 2, 200)
        if (invalid) return setPanelError(invalid)
        const pid = panel.proxyId
        return void act(() => revokeProxy(cid, id, pid, panel.reason.trim()), '已撤销委托')
      }
    }
  }

  /** typing in a panel clears its last error: an old complaint never stands beside new input */
  const editPanel = (next: Panel) => {
    setPanel(next)
    setPanelError(null)
  }

  const openPanel = (p: Panel) => {
    setPanel(p)
    setPanelError(null)
    setError(null)
    setResult(null)
  }

  const panelView = (v: VoteSummary) => {
    if (!panel || panel.voteId !== v.id || panel.kind === 'revoke') return null
    const notice = noticePeriod(v.announcedAt, v.opensAt)
    return (
      <View className='panel' id='manage-panel'>
        {panel.kind === 'extend' ? (
          <View>
            <DateTimeField
              id='manage-extend-closes-at'
              label='新的截止时间'
              value={panel.closesAt}
              onChange={(closesAt) => editPanel({ ...panel, closesAt })}
            />
            <Text className='flabel'>延期原因（会向业主公示）</Text>
            <Input
              id='manage-extend-reason'
              className='field'
              value={panel.reason}
              maxlength={500}
              placeholder='例如：参与人数未达三分之二，延长一周'
              onInput={(e) => editPanel({ ...panel, reason: e.detail.value })}
            />
          </View>
        ) : (
          <Text className='text'>{panelText[panel.kind].ask}</Text>
        )}
        {panel.kind === 'publish' && notice.short ? (
          <View id='manage-short-notice' data-days={notice.days}>
            <Notice kind='warn' id='manage-short-notice-warning'>
              公告期不足：公告距开始投票只有 {notice.days} 天，比{NOTICE_LAW}规定的 {MIN_NOTICE_DAYS} 天少{' '}
              {notice.shortByDays} 天，业主可能来不及了解方案。如确需发布，请说明原因并确认。
            </Notice>
            <Text className='flabel'>为什么不足 {MIN_NOTICE_DAYS} 天就发布（记入表决日志，并向业主公示）</Text>
            <Textarea
              id='manage-short-notice-reason'
              className='field field--area'
              value={panel.reason}
              maxlength={500}
              placeholder='例如：3号楼电梯停运，维修方案须尽快表决'
              onInput={(e) => editPanel({ ...panel, reason: e.detail.value })}
            />
            <Toggle
              id='manage-short-notice-confirm'
              label={`我确认：公告期不足 ${MIN_NOTICE_DAYS} 天仍要发布`}
              description='确认人和原因会记入表决日志，业主在表决页上可以看到。'
              checked={panel.confirmed}
              onChange={(confirmed) => editPanel({ ...panel, confirmed })}
            />
          </View>
        ) : null}
        {panel.kind === 'cancel' ? (
          <View>
            <Text className='flabel'>取消原因（会记录在案）</Text>
            <Input
              id='manage-cancel-reason'
              className='field'
              value={panel.reason}
              maxlength={200}
              onInput={(e) => editPanel({ ...panel, reason: e.detail.value })}
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

  /** The buttons the shared rule allows for this vote now (the BFF decides with the same rule), and why not others. */
  const actions = (v: VoteSummary) => {
    const id = v.id
    const can = committeeActions(v)
    const btn = (
      name: string,
      label: string,
      onClick: () => void,
      variant: 'primary' | 'secondary' | 'danger' = 'secondary',
    ) => (
      <ActionButton key={name} id={`manage-${name}-${id}`} variant={variant} block={false} onClick={onClick}>
        {label}
      </ActionButton>
    )
    const buttons: ReactElement[] = [btn('details', '详情', () => void showDetail(id))]
    if (can.edit.allowed) {
      buttons.push(
        btn('edit', '编辑', () => {
          void getVote(cid!, id)
            .then((d) => {
              setFormError(null)
              setFormDirty(false)
              setEditing({ voteId: id, draft: draftOf(d) })
            })
            .catch((e: unknown) => setError(errorOf(e)))
        }),
      )
    }
    if (can.publish.allowed)
      buttons.push(
        btn(
          'publish',
          '发布',
          () => openPanel({ kind: 'publish', voteId: id, reason: '', confirmed: false }),
          'primary',
        ),
      )
    if (can.extend.allowed)
      buttons.push(
        btn('extend', '延期', () =>
          openPanel({ kind: 'extend', voteId: id, closesAt: toLocalInput(v.closesAt), reason: '' }),
        ),
      )
    // a second round the same day would send nobody anything: not offered, and said why
    const reminded = remindedThisRound(v)
    if (can.remind.allowed && !reminded)
      buttons.push(btn('remind', '提醒未投票', () => openPanel({ kind: 'remind', voteId: id })))
    if (can.close.allowed)
      buttons.push(btn('close', '提前结束', () => openPanel({ kind: 'close', voteId: id }), 'danger'))
    if (can.announce.allowed)
      buttons.push(btn('announce', '公示结果', () => openPanel({ kind: 'announce', voteId: id }), 'primary'))
    if (can.cancel.allowed)
      buttons.push(btn('cancel', '取消表决', () => openPanel({ kind: 'cancel', voteId: id, reason: '' }), 'danger'))
    if (v.state === 'open' || v.state === 'closed' || v.state === 'announced') {
      buttons.push(btn('results', '结果', () => open(withQuery(routes.voteResults, { communityId: cid, voteId: id }))))
    }
    // what is not offered, where the committee would look for it
    const hints: { key: string; text: string }[] = []
    if (!can.close.allowed && can.close.code === 'EARLY_CLOSE_NOT_ALLOWED')
      hints.push({ key: 'close', text: can.close.why })
    if (can.remind.allowed && reminded && v.lastRemindedAt)
      hints.push({
        key: 'remind',
        text: `今天已于 ${formatDateTime(v.lastRemindedAt)} 提醒过未投票的业主，每天提醒一次，明天可以再提醒。`,
      })
    if (!can.publish.allowed && can.publish.code === 'VOTE_WINDOW_PASSED')
      hints.push({ key: 'publish', text: can.publish.why })
    if (v.state === 'draft' && can.publish.allowed && noticePeriod(v.announcedAt, v.opensAt).short) {
      hints.push({ key: 'notice', text: `公告期不足 ${MIN_NOTICE_DAYS} 天：发布时须确认并说明原因。` })
    }
    return { buttons, hints }
  }

  if (me && !isCommittee) {
    return (
      <PageShell>
        <CommunityPicker communities={committees} currentId={cid} onPick={pick} />
        <EmptyState
          id='manage-not-committee'
          title='您不是本小区的业委会委员'
          description='业主大会表决由业委会发起和管理。'
        />
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
            onCancel={() => void closeForm()}
            onDirty={setFormDirty}
          />
        </Card>
      ) : (
        <ActionButton
          id='manage-create'
          onClick={() => {
            setFormError(null)
            setResult(null)
            setFormDirty(false)
            setEditing({ voteId: null, draft: emptyDraft() })
          }}
        >
          发起表决
        </ActionButton>
      )}

      {focusError ? (
        <LoadError
          id='manage-focus-error'
          message={focusError.text}
          onRetry={() => void showDetail(focusError.voteId)}
        />
      ) : null}
      {focus ? (
        <Card title={`当前查看：${focus.title}`} extra={<VoteStateBadge state={focus.state} />} id='manage-focus'>
          <Text className='hint'>
            {windowText(focus.opensAt, focus.closesAt)} · 公告于 {formatDateTime(focus.announcedAt)}（距开始投票{' '}
            {focus.noticeDays} 天）
          </Text>
          {focus.noticeTooShort ? (
            <Notice kind='warn' id='manage-focus-notice-short'>
              公告期不足 {MIN_NOTICE_DAYS} 天（少 {noticePeriod(focus.announcedAt, focus.opensAt).shortByDays} 天）。
              {focus.state === 'draft'
                ? '发布时须确认并说明原因。'
                : focus.shortNoticeReason
                  ? `发布时说明的原因：${focus.shortNoticeReason}`
                  : ''}
            </Notice>
          ) : null}
          {focus.state !== 'draft' ? (
            <Text className='hint' id='manage-focus-rules'>
              发布时冻结的规则：{focus.allowChange ? '截止前可改票' : '投票后不可改票'} ·{' '}
              {focus.earlyCloseAllowed ? '可以提前结束' : '不可提前结束'} · 各户选择对
              {choiceVisibilityLabels[focus.choicesVisibleTo]}可见
            </Text>
          ) : null}
          {focus.fingerprints ? (
            <View className='mt'>
              <Fingerprints
                roll={focus.fingerprints.roll}
                items={focus.fingerprints.items}
                idPrefix='manage-fingerprint'
              />
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
          {focus.extensions.map((x) => (
            <Text key={x.to} className='hint'>
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
                    .catch((e: unknown) =>
                      setError({ text: errorText(e), code: e instanceof ApiError ? e.code : null }),
                    )
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
                    {p.state === 'active'
                      ? '有效'
                      : p.state === 'used'
                        ? '代理人已投票'
                        : `已撤销${p.revokeReason ? `：${p.revokeReason}` : ''}`}{' '}
                    · {formatDateTime(p.createdAt)}
                  </Text>
                  {p.authorizationText ? <Text className='hint'>委托书：{p.authorizationText}</Text> : null}
                  {p.authorizationPhotos.length ? (
                    <View className='mt'>
                      <Text className='hint'>委托书照片（点击放大核对签字）</Text>
                      <PhotoStrip id={`manage-proxy-${p.id}-photos`} photos={p.authorizationPhotos} />
                    </View>
                  ) : null}
                  {p.state === 'active' && committeeActions(focus).revokeProxy.allowed ? (
                    panel?.kind === 'revoke' && panel.proxyId === p.id ? (
                      <View className='panel'>
                        <Text className='flabel'>撤销原因（委托人和代理人会看到）</Text>
                        <Input
                          id='manage-proxy-reason'
                          className='field'
                          value={panel.reason}
                          maxlength={200}
                          onInput={(e) => editPanel({ ...panel, reason: e.detail.value })}
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
                          <ActionButton
                            id='manage-proxy-revoke-confirm'
                            variant='danger'
                            loading={busy}
                            onClick={confirmPanel}
                          >
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
        <LoadError id='manage-load-error' message={list.error} busy={list.loading} onRetry={() => void reloadList()} />
      ) : null}
      {list.loading && !list.data ? <Text className='hint'>正在加载…</Text> : null}
      {list.data && votes.length === 0 ? (
        <Card>
          <EmptyState
            id='manage-empty'
            title='还没有表决'
            description='点击“发起表决”创建草稿，发布后业主即可看到公告。'
          />
        </Card>
      ) : null}

      <View className='mt'>
        {votes.map((v) => {
          const { buttons, hints } = actions(v)
          return (
            <Card
              key={v.id}
              id={`manage-vote-${v.id}`}
              title={v.title}
              extra={<VoteStateBadge state={v.state} id={`manage-vote-${v.id}-state`} />}
            >
              <Text className='hint'>
                {voteDateLine(v)} · {v.matterCount} 项事项 · {voteStateLabels[v.state]}
              </Text>
              <View className='grid mt'>{buttons}</View>
              {hints.map((h) => (
                <Text key={h.key} className='hint mt' id={`manage-${h.key}-hint-${v.id}`}>
                  {h.text}
                </Text>
              ))}
              {panelView(v)}
            </Card>
          )
        })}
      </View>
    </PageShell>
  )
}
