import { useState } from 'react'
import { useDidShow } from '@tarojs/taro'
import { View, Text, Input } from '@tarojs/components'
import type { BuildingSummary, CommunitySummary, Membership, UnitOption } from '@linli/shared/schemas'
import { RELATIONS, canAutoVerifyByRoster, relationLabels, type Relation } from '@linli/shared/households/rules'
import {
  PROOF_PHOTOS_MAX,
  proofHints,
  proofKindLabels,
  proofKindsFor,
  type ProofKind,
} from '@linli/shared/households/proof'
import { REAL_NAME_MAX, nameProblem } from '@linli/shared/households/names'
import { unitKindLabels } from '@linli/shared/units/area'
import {
  ActionButton,
  Card,
  EmptyState,
  LoadError,
  Notice,
  PageShell,
  PhotoPicker,
  StateBadge,
} from '../../../../components'
import { listBuildings, listUnits, searchCommunities } from '../../../../services/api/communities'
import { applyMembership } from '../../../../services/api/memberships'
import { errorText } from '../../../../services/http'
import { useAsync, type AsyncState } from '../../../../hooks/useAsync'
import { useLeaveGuard } from '../../../../hooks/useLeaveGuard'
import { usePhotoUploads } from '../../../../hooks/usePhotoUploads'
import { useSession } from '../../../../hooks/useSession'
import { sessionStore } from '../../../../stores/session'
import { open, routes } from '../../../../utils/routes'
import { unitLabel } from '../../../../utils/format'
import './index.scss'

const relationHints: Record<Relation, string> = {
  owner: '不动产登记簿上的产权人',
  co_owner: '与产权人共同登记的共有人',
  family: '与业主同住的家庭成员',
  tenant: '租住该房屋的承租人',
}

/** A loaded list of choices as a grid of tappable options (buildings, then units). */
function OptionGrid<T extends { id: number }>(props: {
  state: AsyncState<T[]>
  empty: string
  idPrefix: string
  selectedId: number | undefined
  label: (item: T) => string
  onPick: (item: T) => void
  onRetry: () => void
}) {
  const { state, empty, idPrefix, selectedId, label, onPick, onRetry } = props
  return (
    <View>
      {state.error ? (
        <LoadError id={`${idPrefix}-error`} message={state.error} onRetry={onRetry} busy={state.loading} />
      ) : null}
      {state.loading ? <Text className='hint'>正在加载…</Text> : null}
      {state.data?.length === 0 ? <Text className='hint'>{empty}</Text> : null}
      <View className='grid'>
        {state.data?.map((item) => (
          <View
            key={item.id}
            id={`${idPrefix}-${item.id}`}
            className={`option ${selectedId === item.id ? 'option--selected' : ''}`}
            onClick={() => onPick(item)}
          >
            {label(item)}
          </View>
        ))}
      </View>
    </View>
  )
}

/**
 * Pick community (search) → building → unit → relation, then give one's real name and photos of proof for the
 * reviewers; submit and see the result. Leaving half-filled asks first.
 */
export default function BindHouseholdPage() {
  const { me, loggedIn } = useSession({ requireLogin: true })
  const [q, setQ] = useState('')
  const communities = useAsync<CommunitySummary[]>()
  const buildings = useAsync<BuildingSummary[]>()
  const units = useAsync<UnitOption[]>()
  const [community, setCommunity] = useState<CommunitySummary | null>(null)
  const [building, setBuilding] = useState<BuildingSummary | null>(null)
  const [unit, setUnit] = useState<UnitOption | null>(null)
  const [relation, setRelation] = useState<Relation | null>(null)
  const [name, setName] = useState('')
  const [nameError, setNameError] = useState<string | null>(null)
  const [proofKind, setProofKind] = useState<ProofKind | null>(null)
  const [submitting, setSubmitting] = useState(false)
  const [submitError, setSubmitError] = useState<string | null>(null)
  const [result, setResult] = useState<Membership | null>(null)
  // proof photos are uploaded to the chosen community as soon as they are picked (kept a day unless attached)
  const proof = usePhotoUploads(community?.id ?? null, PROOF_PHOTOS_MAX, undefined, 'membership')
  const clearProof = () => {
    for (const p of proof.photos) proof.remove(p.key)
  }

  useLeaveGuard(!result && (unit !== null || name.trim() !== '' || proof.photos.length > 0))

  useDidShow(() => {
    if (loggedInNow() && communities.data === undefined && !communities.loading)
      void communities.run(() => searchCommunities(q))
  })

  const search = () => void communities.run(() => searchCommunities(q))

  const pickCommunity = (c: CommunitySummary) => {
    if (community?.id !== c.id) clearProof()
    setCommunity(c)
    setBuilding(null)
    setUnit(null)
    units.setData(undefined)
    void buildings.run(() => listBuildings(c.id))
  }
  const pickRelation = (r: Relation) => {
    setRelation(r)
    // keep the chosen paper if it still proves the new relation
    if (!proofKind || !proofKindsFor(r).includes(proofKind)) setProofKind(proofKindsFor(r)[0]!)
  }
  const pickBuilding = (b: BuildingSummary) => {
    if (!community) return
    setBuilding(b)
    setUnit(null)
    void units.run(() => listUnits(community.id, b.id))
  }

  const submit = async () => {
    if (!unit || !relation) return
    const problem = nameProblem(name, REAL_NAME_MAX, '您的姓名')
    setNameError(problem?.message ?? null)
    if (problem) return
    setSubmitting(true)
    setSubmitError(null)
    try {
      const photoIds = proof.photoIds
      const m = await applyMembership({
        unitId: unit.id,
        relation,
        name: name.trim(),
        ...(photoIds.length > 0 && proofKind ? { proof: { kind: proofKind, photoIds } } : {}),
      })
      setResult(m)
      void sessionStore.reload()
    } catch (e) {
      setSubmitError(errorText(e))
    } finally {
      setSubmitting(false)
    }
  }

  const restart = () => {
    setResult(null)
    setUnit(null)
    setRelation(null)
    setProofKind(null)
    clearProof()
  }

  if (result) {
    return (
      <PageShell>
        <Card title='申请结果' id='bind-result'>
          <View className='kv'>
            <Text className='kv__k'>房屋</Text>
            <Text className='kv__v'>{unitLabel(result.unit)}</Text>
          </View>
          <View className='kv'>
            <Text className='kv__k'>关系</Text>
            <Text className='kv__v'>{relationLabels[result.relation]}</Text>
          </View>
          {result.statedName ? (
            <View className='kv'>
              <Text className='kv__k'>姓名</Text>
              <Text className='kv__v'>{result.statedName}</Text>
            </View>
          ) : null}
          {result.proof ? (
            <View className='kv'>
              <Text className='kv__k'>证明材料</Text>
              <Text className='kv__v' id='bind-result-proof'>
                {proofKindLabels[result.proof.kind]} {result.proof.photos.length} 张
              </Text>
            </View>
          ) : null}
          <View className='kv'>
            <Text className='kv__k'>状态</Text>
            <View className='kv__v'>
              <StateBadge state={result.state} id='bind-result-state' />
            </View>
          </View>
          <Text className='text mt' id='bind-result-text'>
            {result.state === 'verified'
              ? '您的手机号与业主名册一致，房屋已自动认证。'
              : result.state === 'pending'
                ? '申请已提交，业委会或社区工作者核对后会处理，结果可在“我的房屋”查看。证明材料在审核结束后即删除。'
                : `申请未通过${result.rejectReason ? `：${result.rejectReason}` : ''}`}
          </Text>
          <View className='btn-row'>
            <ActionButton id='bind-result-households' variant='secondary' onClick={() => open(routes.households)}>
              查看我的房屋
            </ActionButton>
            <ActionButton id='bind-result-again' variant='secondary' onClick={restart}>
              继续绑定
            </ActionButton>
          </View>
        </Card>
      </PageShell>
    )
  }

  if (!loggedIn) {
    return (
      <PageShell>
        <EmptyState title='请先登录' description='登录后即可绑定房屋。'>
          <ActionButton id='bind-login' onClick={() => open(routes.login)}>
            登录
          </ActionButton>
        </EmptyState>
      </PageShell>
    )
  }

  return (
    <PageShell>
      {/* 1. community */}
      <Card title='① 选择小区'>
        {community ? (
          <View className='option option--selected' id='bind-community-selected'>
            <Text>
              {community.name}
              <Text className='option__sub'> {community.district}</Text>
            </Text>
            <Text
              id='bind-community-change'
              className='link'
              onClick={() => {
                setCommunity(null)
                setBuilding(null)
                setUnit(null)
              }}
            >
              更换
            </Text>
          </View>
        ) : (
          <View>
            <View className='field-row'>
              <Input
                id='bind-community-search'
                className='field'
                value={q}
                placeholder='输入小区名称搜索'
                confirmType='search'
                onInput={(e) => setQ(e.detail.value)}
                onConfirm={search}
              />
              <ActionButton id='bind-community-search-submit' block={false} onClick={search}>
                搜索
              </ActionButton>
            </View>
            <View className='mt'>
              {communities.error ? (
                <LoadError
                  id='bind-community-error'
                  message={communities.error}
                  onRetry={search}
                  busy={communities.loading}
                />
              ) : null}
              {communities.loading ? <Text className='hint'>正在搜索…</Text> : null}
              {communities.data?.length === 0 ? (
                <Text className='hint'>没有找到匹配的小区，请换个名称试试。</Text>
              ) : null}
              {communities.data?.map((c) => (
                <View key={c.id} id={`bind-community-${c.id}`} className='option' onClick={() => pickCommunity(c)}>
                  <Text>{c.name}</Text>
                  <Text className='option__sub'>{c.district}</Text>
                </View>
              ))}
            </View>
          </View>
        )}
      </Card>

      {/* 2. building */}
      {community ? (
        <Card title='② 选择楼栋'>
          <OptionGrid
            state={buildings}
            empty='该小区还没有录入楼栋。'
            idPrefix='bind-building'
            selectedId={building?.id}
            label={(b) => b.name}
            onPick={pickBuilding}
            onRetry={() => pickCommunity(community)}
          />
        </Card>
      ) : null}

      {/* 3. unit */}
      {building ? (
        <Card title='③ 选择房号'>
          <OptionGrid
            state={units}
            empty='该楼栋还没有录入房屋。'
            idPrefix='bind-unit'
            selectedId={unit?.id}
            label={(u) => `${u.number}${u.kind === 'residence' ? '' : `（${unitKindLabels[u.kind]}）`}`}
            onPick={setUnit}
            onRetry={() => pickBuilding(building)}
          />
        </Card>
      ) : null}

      {/* 4. relation */}
      {unit ? (
        <Card title='④ 您与房屋的关系'>
          {RELATIONS.map((r) => (
            <View
              key={r}
              id={`bind-relation-${r}`}
              className={`option ${relation === r ? 'option--selected' : ''}`}
              onClick={() => pickRelation(r)}
            >
              <Text>{relationLabels[r]}</Text>
              <Text className='option__sub'>{relationHints[r]}</Text>
            </View>
          ))}
          {relation && canAutoVerifyByRoster(relation) ? (
            me?.phoneMasked ? (
              <Text className='hint'>
                若您绑定的手机号 {me.phoneMasked} 与业主名册一致，将自动认证；否则由业委会审核。
              </Text>
            ) : (
              <Notice kind='warn' id='bind-phone-hint'>
                <Text>绑定与业主名册一致的手机号后可自动认证；不绑定则由业委会审核。</Text>
                <ActionButton id='bind-phone-link' variant='plain' onClick={() => open(routes.phone)}>
                  去绑定手机号
                </ActionButton>
              </Notice>
            )
          ) : relation ? (
            <Text className='hint'>家庭成员和租户的申请由业委会或社区工作者审核。</Text>
          ) : null}
        </Card>
      ) : null}

      {/* 5. who you are and what proves it: seen only by the community's reviewers, deleted once decided */}
      {unit && relation ? (
        <Card title='⑤ 您的姓名与证明材料'>
          <Text className='label'>真实姓名</Text>
          <Input
            id='bind-name'
            className='field'
            value={name}
            maxlength={REAL_NAME_MAX + 10}
            placeholder='与产权证、合同上一致的姓名'
            onInput={(e) => {
              setName(e.detail.value)
              setNameError(null)
            }}
          />
          {nameError ? (
            <Text className='ferror' id='bind-name-error'>
              {nameError}
            </Text>
          ) : null}

          <Text className='label mt'>证明材料（拍照上传，最多 {PROOF_PHOTOS_MAX} 张）</Text>
          <View className='grid'>
            {proofKindsFor(relation).map((k) => (
              <View
                key={k}
                id={`bind-proof-kind-${k}`}
                className={`option ${proofKind === k ? 'option--selected' : ''}`}
                onClick={() => setProofKind(k)}
              >
                {proofKindLabels[k]}
              </View>
            ))}
          </View>
          <Text className='hint'>{proofHints[relation]}</Text>
          <View className='mt'>
            <PhotoPicker id='bind-proof' item='bind-proof-photo' uploads={proof} />
          </View>
          <Text className='hint mt' id='bind-privacy'>
            姓名和证明材料只给本小区业委会委员、社区工作者审核时查看；审核结束（通过或不通过）或您撤回申请后，照片立即删除。
            {canAutoVerifyByRoster(relation) ? '手机号与名册一致的业主会自动认证，无需证明。' : ''}
          </Text>
          {proof.photos.length === 0 && !canAutoVerifyByRoster(relation) ? (
            <Notice kind='warn' id='bind-proof-missing'>
              没有证明材料时，业委会可能请您带上原件到居委会当面核实。
            </Notice>
          ) : null}
        </Card>
      ) : null}

      {submitError ? (
        <Notice kind='error' id='bind-error'>
          {submitError}
        </Notice>
      ) : null}
      {unit ? (
        <ActionButton
          id='bind-submit'
          disabled={!relation || proof.uploading > 0}
          loading={submitting}
          onClick={() => void submit()}
        >
          {proof.uploading > 0 ? '照片上传中…' : '提交申请'}
        </ActionButton>
      ) : null}
    </PageShell>
  )
}

function loggedInNow(): boolean {
  return sessionStore.isLoggedIn()
}
