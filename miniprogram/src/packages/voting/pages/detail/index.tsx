import { useEffect, useState } from 'react'
import Taro from '@tarojs/taro'
import { View, Text, Input, Textarea } from '@tarojs/components'
import type { BallotReceipt, MyEntry, VoteDetail } from '@linli/shared/schemas'
import {
  formatBasisPoints,
  MAX_AUTHORIZATION_PHOTOS,
  MIN_NOTICE_DAYS,
  NOTICE_LAW,
  noticePeriod,
} from '@linli/shared/voting/rules'
import { ActionButton, Card, LoadError, Notice, PageShell, PhotoPicker } from '../../../../components'
import { castBallot, getVote, grantProxy, listMyEntries, withdrawProxy } from '../../../../services/api/voting'
import { ApiError, errorText } from '../../../../services/http'
import { useAsync } from '../../../../hooks/useAsync'
import { useLeaveGuard } from '../../../../hooks/useLeaveGuard'
import { usePhotoUploads } from '../../../../hooks/usePhotoUploads'
import { useRefresh, useReshow } from '../../../../hooks/useRefresh'
import { useSession } from '../../../../hooks/useSession'
import { confirm } from '../../../../utils/confirm'
import { formatDateTime } from '../../../../utils/format'
import { open, routes, withQuery } from '../../../../utils/routes'
import {
  BallotForm,
  Fingerprints,
  MatterRule,
  QuorumBars,
  QuorumRule,
  ReceiptNote,
  RemindMe,
  TallyView,
  VoteHeader,
  type BallotChoice,
} from '../../components'
import { useVoteCommunity, useVoteId } from '../../lib/useVoteCommunity'
import { keepReceipt, keptReceipts, type KeptReceipt } from '../../lib/receipts'
import { figuresOf, formatArea, participationFigures } from '../../lib/tally'
import { domId } from '../../lib/ids'
import { validateProxyForm } from '../../lib/validation'
import './index.scss'

const roomsOf = (e: MyEntry) => e.entry.units.map((u) => u.label)

interface ProxyForm {
  ownerKey: string | null
  name: string
  phone: string
  text: string
  error: string | null
}
const emptyProxyForm: ProxyForm = { ownerKey: null, name: '', phone: '', text: '', error: null }

export default function VoteDetailPage() {
  const { me } = useSession({ requireLogin: true })
  const { current } = useVoteCommunity(me)
  const cid = current?.communityId ?? null
  const voteId = useVoteId()

  const vote = useAsync<VoteDetail>()
  const [entries, setEntries] = useState<MyEntry[] | null>(null)
  const [entriesNote, setEntriesNote] = useState<string | null>(null)
  const [entriesError, setEntriesError] = useState<string | null>(null)
  const [kept, setKept] = useState<KeptReceipt[]>([])
  const [last, setLast] = useState<BallotReceipt | null>(null)
  // undefined = automatic (the only entry that can still vote); null = none; else the owner key
  const [selected, setSelected] = useState<string | null | undefined>(undefined)
  const [busy, setBusy] = useState(false)
  const [castError, setCastError] = useState<string | null>(null)
  const [pageError, setPageError] = useState<string | null>(null)
  const [proxyForm, setProxyForm] = useState<ProxyForm | null>(null)
  const [proxyResult, setProxyResult] = useState<string | null>(null)
  const [withdrawing, setWithdrawing] = useState<number | null>(null)
  const [ballotDirty, setBallotDirty] = useState(false)
  const authorizationPhotos = usePhotoUploads(cid, MAX_AUTHORIZATION_PHOTOS)

  const loadEntries = async () => {
    if (cid === null || voteId === null) return
    try {
      setEntries(await listMyEntries(cid, voteId))
      setEntriesNote(null)
      setEntriesError(null)
    } catch (e) {
      const code = e instanceof ApiError ? e.code : null
      if (code === 'FORBIDDEN') {
        setEntries([])
        setEntriesNote(
          '您不在本次表决的业主名册中：业主大会表决由登记的业主（或其委托的代理人）参加，您可以查看表决信息和结果。',
        )
      } else setEntriesError(errorText(e))
    }
  }
  const load = () => {
    if (cid === null || voteId === null) return undefined
    return Promise.all([vote.run(() => getVote(cid, voteId)), loadEntries()])
  }
  useRefresh(load)
  // receipts are kept per person, so they are read once we know who is signed in
  // biome-ignore lint/correctness/useExhaustiveDependencies: reruns only when the inputs listed change; the loader is redefined each render
  useEffect(() => {
    setKept(me && voteId !== null ? keptReceipts(me.id, voteId) : [])
  }, [me?.id, voteId])

  // biome-ignore lint/correctness/useExhaustiveDependencies: reruns only when the inputs listed change; the loader is redefined each render
  useEffect(() => void load(), [cid, voteId])
  useReshow(load)

  const v = vote.data
  const isOpen = v?.state === 'open'
  const matters = v ? [...v.matters].sort((a, b) => a.position - b.position) : []
  const list = entries ?? []
  const canVote = (e: MyEntry) =>
    !!v && isOpen && (!e.ballot || v.allowChange) && !(e.via === 'owner' && e.proxy && e.proxy.state !== 'revoked')
  const castable = list.filter(canVote)
  const autoKey = castable.length === 1 && !castable[0]!.ballot ? castable[0]!.entry.ownerKey : null
  const votingKey = selected === undefined ? autoKey : selected
  const votingEntry = list.find((e) => e.entry.ownerKey === votingKey && canVote(e)) ?? null
  const grantable = list.filter(
    (e) =>
      e.via === 'owner' &&
      !e.ballot &&
      (!e.proxy || e.proxy.state === 'revoked') &&
      (v?.state === 'published' || isOpen),
  )

  const receiptFor = (e: MyEntry): string | null =>
    e.ballot?.receipt ?? kept.find((k) => k.ownerKey === e.entry.ownerKey)?.receipt ?? null
  const latest = last
    ? { receipt: last.receipt, castAt: last.castAt, rooms: kept.find((k) => k.receipt === last.receipt)?.rooms ?? [] }
    : (kept[kept.length - 1] ?? null)
  const notice = v ? noticePeriod(v.announcedAt, v.opensAt) : null
  // the app published the notice later than the date the committee gave for it (e.g. a paper notice): say both
  const publishedLater = !!v?.publishedAt && Date.parse(v.publishedAt) - Date.parse(v.announcedAt) > 60 * 60 * 1000
  const proxyDirty =
    !!proxyForm &&
    (!!proxyForm.name.trim() ||
      !!proxyForm.phone.trim() ||
      !!proxyForm.text.trim() ||
      authorizationPhotos.photos.length > 0)
  useLeaveGuard((!!votingEntry && ballotDirty) || proxyDirty)

  const cast = async (entry: MyEntry, choices: BallotChoice[], key: string) => {
    if (cid === null || voteId === null) return
    setBusy(true)
    setCastError(null)
    setPageError(null)
    try {
      const r = await castBallot(cid, voteId, { ownerKey: entry.entry.ownerKey, choices }, key)
      if (me)
        setKept(
          keepReceipt(me.id, voteId, {
            ownerKey: r.ownerKey,
            receipt: r.receipt,
            revision: r.revision,
            castAt: r.castAt,
            viaProxy: r.viaProxy,
            rooms: roomsOf(entry),
          }),
        )
      setLast(r)
      setSelected(null)
      void Taro.showToast({ title: '投票成功', icon: 'none' })
      // the receipt takes the ballot's place on the page: bring it into view
      setTimeout(() => {
        try {
          void Taro.pageScrollTo({ selector: '#vote-receipt-card', duration: 300 })
        } catch {
          /* not supported: the receipt is still on the page */
        }
      }, 0)
      void load()
    } catch (e) {
      const code = e instanceof ApiError ? e.code : null
      const text = errorText(e)
      if (
        code === 'BALLOT_ALREADY_CAST' ||
        code === 'VOTE_NOT_OPEN' ||
        code === 'FORBIDDEN' ||
        code === 'PROXY_ACTIVE'
      ) {
        setSelected(null)
        setPageError(text)
        void load()
      } else setCastError(text)
    } finally {
      setBusy(false)
    }
  }

  const submitProxy = async () => {
    if (!proxyForm || cid === null || voteId === null) return
    const ownerKey = proxyForm.ownerKey ?? (grantable.length === 1 ? grantable[0]!.entry.ownerKey : null)
    const invalid = validateProxyForm({
      ...proxyForm,
      ownerKey,
      photoIds: authorizationPhotos.photoIds,
      uploading: authorizationPhotos.uploading,
    })
    if (invalid) {
      setProxyForm({ ...proxyForm, error: invalid })
      return
    }
    setBusy(true)
    try {
      const p = await grantProxy(cid, voteId, {
        ownerKey: ownerKey!,
        proxyName: proxyForm.name.trim(),
        proxyPhone: proxyForm.phone.trim(),
        ...(proxyForm.text.trim() ? { authorizationText: proxyForm.text.trim() } : {}),
        ...(authorizationPhotos.photoIds.length ? { authorizationPhotoIds: authorizationPhotos.photoIds } : {}),
      })
      setProxyForm(null)
      setProxyResult(
        `已委托 ${p.proxyName}（${p.proxyPhoneMasked}）代为投票。对方用该手机号登录邻里后即可为您投票；对方投票前您可以撤回。`,
      )
      void loadEntries()
    } catch (e) {
      setProxyForm({ ...proxyForm, error: errorText(e) })
    } finally {
      setBusy(false)
    }
  }

  const withdraw = async (proxyId: number) => {
    if (cid === null || voteId === null) return
    setBusy(true)
    setPageError(null)
    try {
      await withdrawProxy(cid, voteId, proxyId)
      setWithdrawing(null)
      setProxyResult('已撤回委托，您可以自己投票。')
      void loadEntries()
    } catch (e) {
      setPageError(errorText(e))
    } finally {
      setBusy(false)
    }
  }

  if (voteId === null) {
    return (
      <PageShell>
        <Notice kind='error' id='vote-error'>
          缺少表决编号，请从表决列表进入。
        </Notice>
      </PageShell>
    )
  }

  return (
    <PageShell>
      <VoteHeader vote={vote} idPrefix='vote' onRetry={() => void load()} />

      {v && notice ? (
        <View>
          <Card title='表决时间' id='vote-window'>
            <Text className='text' id='vote-opens-at'>
              开始投票　{formatDateTime(v.opensAt)}
            </Text>
            <Text className='text' id='vote-closes-at'>
              投票截止　{formatDateTime(v.closesAt)}
            </Text>
            <Text className='hint' id='vote-notice-line'>
              公告于 {formatDateTime(v.announcedAt)}，距开始投票 {notice.days} 天
              {publishedLater ? `；在邻里发布于 ${formatDateTime(v.publishedAt)}` : ''}
            </Text>
            <Text className='hint'>
              {v.allowChange ? '截止前可以修改选票，以最后一次提交的为准。' : '选票提交后不可修改。'}
            </Text>
            {notice.short ? (
              <Notice kind='warn' id='vote-notice-short'>
                <Text
                  className='text'
                  id='vote-notice-short-days'
                  data-days={notice.days}
                  data-short-by={notice.shortByDays}
                >
                  公告期不足：本次公告距开始投票只有 {notice.days} 天，比法定的 {MIN_NOTICE_DAYS} 天少{' '}
                  {notice.shortByDays} 天（{NOTICE_LAW}）。
                </Text>
                <Text className='text' id='vote-notice-short-reason'>
                  {v.shortNoticeReason ? `业委会说明的原因：${v.shortNoticeReason}` : '业委会发布时未说明原因。'}
                </Text>
              </Notice>
            ) : null}
            {v.extensions.map((x, i) => (
              <Text key={x.to} className='hint' id={`vote-extension-${i}`}>
                已延期：截止时间由 {formatDateTime(x.from)} 改为 {formatDateTime(x.to)}，原因：{x.reason}
              </Text>
            ))}
            {castable.some((e) => !e.ballot) ? (
              <Text className='text mt' id='vote-read-first'>
                请先阅读下面的公告和表决事项，再在页面下方投票。
              </Text>
            ) : null}
            {(v.state === 'open' || v.state === 'published') && entries?.some((e) => !e.ballot) ? <RemindMe /> : null}
          </Card>

          <Card title='公告' id='vote-notice'>
            <Text className='text notice-text' userSelect>
              {v.noticeText}
            </Text>
          </Card>

          <Card title={`表决事项（共 ${matters.length} 项）`} id='vote-matters'>
            <QuorumRule />
            {matters.map((m, i) => (
              <MatterRule key={m.id} matter={m} index={i} />
            ))}
          </Card>

          {last || latest ? (
            <Card title={last ? '投票成功' : '我的投票回执'} id='vote-receipt-card'>
              {last ? <Notice kind='success'>您的选票已提交{last.viaProxy ? '（代理投票）' : ''}。</Notice> : null}
              {latest ? (
                <ReceiptNote id='vote-receipt' receipt={latest.receipt} castAt={latest.castAt} rooms={latest.rooms} />
              ) : null}
            </Card>
          ) : null}

          {pageError ? (
            <Notice kind='error' id='vote-page-error'>
              {pageError}
            </Notice>
          ) : null}
          {proxyResult ? (
            <Notice kind='success' id='proxy-result'>
              {proxyResult}
            </Notice>
          ) : null}

          <Card title='我的表决权' id='vote-entries'>
            {entriesError ? (
              <LoadError id='vote-entries-error' message={entriesError} onRetry={() => void loadEntries()} />
            ) : null}
            {entries === null && !entriesError ? <Text className='hint'>正在加载…</Text> : null}
            {entriesNote ? (
              <Text className='hint' id='vote-entries-note'>
                {entriesNote}
              </Text>
            ) : null}
            {entries && entries.length === 0 && !entriesNote ? (
              <Text className='hint' id='vote-entries-empty'>
                您在本次表决中没有可投票的房屋：业主大会由名册上的业主（或其委托的代理人）表决，家庭成员和租户可以查看表决信息和结果。
              </Text>
            ) : null}
            {list.map((e) => {
              const k = domId(e.entry.ownerKey)
              const receipt = receiptFor(e)
              const proxied = e.via === 'owner' && e.proxy && e.proxy.state !== 'revoked'
              const status = e.ballot ? 'voted' : proxied ? 'proxied' : 'not_voted'
              return (
                <View key={e.entry.ownerKey} className='matter' id={`vote-entry-${k}`} data-via={e.via}>
                  <View className='card__head'>
                    <Text className='matter__title'>{roomsOf(e).join('、')}</Text>
                    {e.via === 'proxy' ? (
                      <Text className='badge vbadge--open' id={`vote-entry-${k}-proxy`}>
                        代理
                      </Text>
                    ) : null}
                  </View>
                  {e.via === 'proxy' ? <Text className='hint'>委托人：{e.entry.holders.join('、')}</Text> : null}
                  <Text className='hint'>
                    面积 {formatArea(e.entry.areaCenti)} · 占总面积 {formatBasisPoints(e.weight.areaShare)} · 占总人数{' '}
                    {formatBasisPoints(e.weight.ownerShare)}
                  </Text>
                  <Text className='text' id={`vote-entry-${k}-status`} data-status={status}>
                    {status === 'voted'
                      ? `已投票${e.ballot && !e.ballot.castByMe ? '（由代理人投出）' : ''}`
                      : status === 'proxied'
                        ? `已委托 ${e.proxy!.proxyName} 代为投票${e.proxy!.state === 'used' ? '（代理人已投票）' : ''}`
                        : isOpen
                          ? '未投票'
                          : '未投票（不在投票时间内）'}
                  </Text>
                  {receipt ? (
                    <Text className='hint' id={`vote-entry-${k}-receipt`}>
                      回执码：{receipt}
                    </Text>
                  ) : null}
                  {canVote(e) && votingKey !== e.entry.ownerKey ? (
                    <View className='mt'>
                      <ActionButton
                        id={`vote-entry-${k}-vote`}
                        variant={e.ballot ? 'secondary' : 'primary'}
                        onClick={() => setSelected(e.entry.ownerKey)}
                      >
                        {e.ballot ? '重新投票' : e.via === 'proxy' ? '代理投票' : '投票'}
                      </ActionButton>
                    </View>
                  ) : null}
                  {proxied && e.proxy!.state === 'active' && (v.state === 'published' || isOpen) ? (
                    withdrawing === e.proxy!.id ? (
                      <View className='panel'>
                        <Text className='text'>撤回对 {e.proxy!.proxyName} 的委托？撤回后由您自己投票。</Text>
                        <View className='btn-row'>
                          <ActionButton
                            id='proxy-withdraw-cancel'
                            variant='secondary'
                            onClick={() => setWithdrawing(null)}
                          >
                            取消
                          </ActionButton>
                          <ActionButton
                            id='proxy-withdraw-confirm'
                            variant='danger'
                            loading={busy}
                            onClick={() => void withdraw(e.proxy!.id)}
                          >
                            确认撤回
                          </ActionButton>
                        </View>
                      </View>
                    ) : (
                      <View className='mt'>
                        <ActionButton
                          id={`proxy-withdraw-${e.proxy!.id}`}
                          variant='danger'
                          onClick={() => setWithdrawing(e.proxy!.id)}
                        >
                          撤回委托
                        </ActionButton>
                      </View>
                    )
                  ) : null}
                </View>
              )
            })}
          </Card>

          {votingEntry ? (
            <Card title='填写选票' id='vote-form'>
              <BallotForm
                key={votingEntry.entry.ownerKey}
                matters={matters}
                allowChange={v.allowChange}
                visibility={v.choicesVisibleTo}
                onDirty={setBallotDirty}
                busy={busy}
                error={castError}
                entryLabel={`${roomsOf(votingEntry).join('、')}${votingEntry.via === 'proxy' ? '（代理）' : ''}`}
                onSubmit={(choices, key) => void cast(votingEntry, choices, key)}
                onCancel={() =>
                  void (async () => {
                    if (
                      ballotDirty &&
                      !(await confirm({
                        title: '放弃这张选票？',
                        content: '您的选择还没有提交，放弃后不会保留。',
                        confirmText: '放弃',
                        cancelText: '继续投票',
                        danger: true,
                      }))
                    )
                      return
                    setSelected(null)
                    setCastError(null)
                  })()
                }
              />
            </Card>
          ) : null}

          {grantable.length > 0 ? (
            <Card title='委托代理人投票' id='proxy-card'>
              {proxyForm ? (
                <View>
                  {grantable.length > 1 ? (
                    <View>
                      <Text className='flabel'>为哪套房屋委托</Text>
                      {grantable.map((e) => (
                        <View
                          key={e.entry.ownerKey}
                          id={`proxy-entry-${domId(e.entry.ownerKey)}`}
                          className={`option ${proxyForm.ownerKey === e.entry.ownerKey ? 'option--selected' : ''}`}
                          onClick={() => setProxyForm({ ...proxyForm, ownerKey: e.entry.ownerKey, error: null })}
                        >
                          {roomsOf(e).join('、')}
                        </View>
                      ))}
                    </View>
                  ) : null}
                  <Text className='flabel'>代理人姓名</Text>
                  <Input
                    id='proxy-name'
                    className='field'
                    value={proxyForm.name}
                    maxlength={32}
                    onInput={(e) => setProxyForm({ ...proxyForm, name: e.detail.value, error: null })}
                  />
                  <Text className='flabel'>代理人手机号（对方用此号码登录邻里投票）</Text>
                  <Input
                    id='proxy-phone'
                    className='field'
                    type='number'
                    value={proxyForm.phone}
                    maxlength={11}
                    onInput={(e) => setProxyForm({ ...proxyForm, phone: e.detail.value, error: null })}
                  />
                  <Text className='flabel'>签字的授权委托书照片（最多 {MAX_AUTHORIZATION_PHOTOS} 张）</Text>
                  <PhotoPicker id='proxy-photos' item='proxy-photo' uploads={authorizationPhotos} />
                  <Text className='flabel'>
                    或填写委托书内容{authorizationPhotos.photoIds.length ? '（选填）' : ''}
                  </Text>
                  <Textarea
                    id='proxy-authorization'
                    className='field field--area'
                    value={proxyForm.text}
                    maxlength={5000}
                    placeholder='例如：本人张三（1栋101业主）委托李四代为参加本次业主大会表决，代为投票。'
                    onInput={(e) => setProxyForm({ ...proxyForm, text: e.detail.value, error: null })}
                  />
                  {proxyForm.error ? (
                    <Notice kind='error' id='proxy-error'>
                      {proxyForm.error}
                    </Notice>
                  ) : null}
                  <View className='btn-row'>
                    <ActionButton id='proxy-cancel' variant='secondary' onClick={() => setProxyForm(null)}>
                      取消
                    </ActionButton>
                    <ActionButton id='proxy-submit' loading={busy} onClick={() => void submitProxy()}>
                      确认委托
                    </ActionButton>
                  </View>
                </View>
              ) : (
                <View>
                  <Text className='hint'>
                    不方便自己投票的业主，可以书面委托代理人代为投票（《物业管理条例》第十二条）。委托后只有代理人可以投票；代理人投票前可以撤回。
                  </Text>
                  <View className='mt'>
                    <ActionButton
                      id='proxy-grant'
                      variant='secondary'
                      onClick={() => {
                        setProxyResult(null)
                        setProxyForm({
                          ...emptyProxyForm,
                          ownerKey: grantable.length === 1 ? grantable[0]!.entry.ownerKey : null,
                        })
                      }}
                    >
                      委托代理人
                    </ActionButton>
                  </View>
                </View>
              )}
            </Card>
          ) : null}

          <Card title='实时参与情况' id='vote-participation'>
            {v.participation ? (
              <QuorumBars figures={participationFigures(v.participation)} idPrefix='vote-participation' />
            ) : (
              <Text className='hint'>表决开始后显示实时参与情况。</Text>
            )}
            {v.results && isOpen ? (
              <View className='mt'>
                <Text className='hint'>本次表决公开实时票数（最终结果以截止后的统计为准）：</Text>
                {matters.map((m, i) => {
                  const r = v.results!.find((x) => x.matterId === m.id)
                  return r ? (
                    <View key={m.id} className='matter'>
                      <Text className='matter__title'>
                        第{i + 1}项　{m.text}
                      </Text>
                      <TallyView
                        figures={figuresOf(m.category, r.official)}
                        idPrefix={`vote-live-${m.id}`}
                        provisional
                        showQuorum={false}
                      />
                    </View>
                  ) : null
                })}
              </View>
            ) : isOpen && v.hideResultsUntilClose ? (
              <Text className='hint mt'>各事项的同意、反对票数在表决截止后公布。</Text>
            ) : null}
            {v.state === 'open' || v.state === 'closed' || v.state === 'announced' ? (
              <View className='mt'>
                <ActionButton
                  id='vote-results-link'
                  variant='secondary'
                  onClick={() => open(withQuery(routes.voteResults, { communityId: cid, voteId: v.id }))}
                >
                  {v.state === 'open' ? '查看参与情况与结果页' : '查看表决结果和公示名单'}
                </ActionButton>
              </View>
            ) : null}
          </Card>

          {v.fingerprints ? (
            <Card title='名册与事项指纹'>
              <Fingerprints roll={v.fingerprints.roll} items={v.fingerprints.items} idPrefix='vote-fingerprint' />
            </Card>
          ) : null}
        </View>
      ) : null}
    </PageShell>
  )
}
