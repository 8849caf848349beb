import { useEffect, useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import { View, Text, Input, Textarea } from '@tarojs/components'
import type {
  BuildingSummary,
  ServiceCategory,
  ServiceRequestDetail,
  ServiceRequestSummary,
} from '@linli/shared/schemas'
import type { AttributeDef } from '@linli/shared/service-requests/attributes'
import { srHandlerLabels, srLocationLabels, srUrgencyLabels } from '@linli/shared/service-requests/labels'
import { followRefusal, MAX_PHOTOS } from '@linli/shared/service-requests/rules'
import {
  ActionButton,
  Card,
  EmptyState,
  LoadError,
  Notice,
  PageShell,
  PhotoPicker,
  Toggle,
} from '../../../../components'
import { listBuildings } from '../../../../services/api/communities'
import { newIdempotencyKey } from '../../../../services/api/voting'
import {
  fileRequest,
  follow,
  listCategories,
  similarRequests,
  viewerRoles,
} from '../../../../services/api/service-requests'
import { errorText } from '../../../../services/http'
import { useLeaveGuard } from '../../../../hooks/useLeaveGuard'
import { usePhotoUploads } from '../../../../hooks/usePhotoUploads'
import { useSession } from '../../../../hooks/useSession'
import { formatDateTime } from '../../../../utils/format'
import { backOrHome, open, routes, withQuery } from '../../../../utils/routes'
import { AttributeFields, CommunityPicker, SrRow } from '../../components'
import { checkFileForm, emptyFileForm, minutesLabel, type FileForm } from '../../lib/form'
import { useIdParam, useSrCommunity } from '../../lib/useSrCommunity'
import './index.scss'

const LOCATION_KINDS = ['unit', 'building', 'public'] as const

/** File a request: category (handler, SLA), extra questions, location, description, photos, contact time, consent. */
export default function FileRequestPage() {
  const { me } = useSession({ requireLogin: true })
  const { communities, current, pick } = useSrCommunity(me)
  // only residents file (a committee member files as one); the form loads once that is known
  const canFile = me !== null && viewerRoles(me, current?.communityId ?? null).has('resident')
  const cid = canFile ? (current?.communityId ?? null) : null
  const wantedCategory = useIdParam('categoryId')

  const [categories, setCategories] = useState<ServiceCategory[] | null>(null)
  const [buildings, setBuildings] = useState<BuildingSummary[]>([])
  const [loadError, setLoadError] = useState<string | null>(null)
  const [form, setFormState] = useState<FileForm>(emptyFileForm)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [similar, setSimilar] = useState<ServiceRequestSummary[] | null>(null)
  const [followed, setFollowed] = useState<number | null>(null)
  const [loading, setLoading] = useState(false)
  const [busy, setBusy] = useState(false)
  const [sendError, setSendError] = useState<string | null>(null)
  const [filed, setFiled] = useState<ServiceRequestDetail | null>(null)
  const idemKey = useRef<string | null>(null)
  // a photo added or removed makes it a new submission too
  const uploads = usePhotoUploads(cid, MAX_PHOTOS, () => (idemKey.current = null))
  const { photos, photoIds, uploading } = uploads
  const failedPhotos = photos.filter((p) => p.state === 'failed').length
  const myUnits = (me?.households ?? [])
    .filter((m) => m.state === 'verified' && m.unit.communityId === cid)
    .map((m) => m.unit)
  const roles = viewerRoles(me, cid)

  // a half-filled form asks before it is left behind; not once it is filed, nor after "me too" instead of filing
  const filledIn =
    form.description.trim() !== '' ||
    form.location.detail.trim() !== '' ||
    form.contactTime.trim() !== '' ||
    Object.keys(form.answers).length > 0 ||
    photos.length > 0
  useLeaveGuard(filledIn && !filed && followed === null)

  /** Any edit makes it a new submission (new Idempotency-Key) and re-checks similar requests. */
  const setForm = (f: FileForm) => {
    idemKey.current = null
    setSimilar(null)
    setFormState(f)
    // once errors are shown, each one goes away as soon as its field is fixed
    if (Object.keys(errors).length) {
      const again = checkFileForm(
        { ...f, photoIds, uploading, failed: failedPhotos },
        categories?.find((c) => c.id === f.categoryId) ?? null,
      )
      const still = again.ok ? {} : again.errors
      setErrors(Object.fromEntries(Object.entries(still).filter(([k]) => k in errors)))
    }
  }

  /** The categories and buildings to choose from; a failure shows why, with 重试. */
  const load = async () => {
    if (cid === null) return
    setLoadError(null)
    setLoading(true)
    try {
      const [items, list] = await Promise.all([listCategories(cid), listBuildings(cid)])
      setCategories(items)
      setBuildings(list)
      const pre = items.find((c) => c.id === wantedCategory)
      if (pre) setFormState((f) => (f.categoryId === null ? { ...f, categoryId: pre.id } : f))
    } catch (e) {
      setLoadError(errorText(e))
    } finally {
      setLoading(false)
    }
  }
  // biome-ignore lint/correctness/useExhaustiveDependencies: reruns only when the inputs listed change; the loader is redefined each render
  useEffect(() => {
    void load()
  }, [cid])

  // the first verified unit is the default location
  // biome-ignore lint/correctness/useExhaustiveDependencies: reruns only when the inputs listed change; the loader is redefined each render
  useEffect(() => {
    if (form.location.kind === 'unit' && !form.location.unitId && myUnits[0])
      setFormState((f) => ({ ...f, location: { ...f.location, unitId: myUnits[0]!.id } }))
  }, [myUnits.length, cid])

  const category = categories?.find((c) => c.id === form.categoryId) ?? null
  const current_ = { ...form, photoIds, uploading, failed: failedPhotos }

  async function submit(skipSimilar = false) {
    if (cid === null) return
    setSendError(null)
    const checked = checkFileForm(current_, category)
    if (!checked.ok) {
      setErrors(checked.errors)
      return
    }
    setErrors({})
    setBusy(true)
    try {
      // shared parts: suggest following an open request of the same category and building first
      const loc = checked.body.location
      if (!skipSimilar && loc.kind !== 'unit' && similar === null) {
        const found = await similarRequests(
          cid,
          checked.body.categoryId,
          loc.kind === 'building' ? { buildingId: loc.buildingId! } : { place: loc.detail! },
        )
        if (found.length) {
          setSimilar(found)
          // the suggestions replace the submit button at the bottom: bring their top into view
          setTimeout(
            () => void Taro.pageScrollTo({ selector: '#sr-similar', duration: 300 }).catch(() => undefined),
            50,
          )
          return
        }
        setSimilar([])
      }
      idemKey.current ??= newIdempotencyKey()
      const detail = await fileRequest(cid, checked.body, idemKey.current)
      setFiled(detail)
      idemKey.current = null
    } catch (e) {
      setSendError(errorText(e))
    } finally {
      setBusy(false)
    }
  }

  async function meToo(requestId: number) {
    if (cid === null) return
    setSendError(null)
    try {
      await follow(cid, requestId, true)
      setFollowed(requestId)
    } catch (e) {
      setSendError(errorText(e))
    }
  }

  if (filed) {
    return (
      <PageShell>
        <Card title='已提交' id='sr-result'>
          <View data-request-id={filed.id} id='sr-result-id'>
            <Text className='text'>
              您的报事（{filed.category.name}）已提交，编号 {filed.id}。{srHandlerLabels[filed.handler]}应在{' '}
              {formatDateTime(filed.acceptDueAt)} 前受理。
            </Text>
          </View>
          <View className='btn-row'>
            <ActionButton
              id='sr-result-open'
              onClick={() =>
                Taro.redirectTo({
                  url: withQuery(routes.srDetail, { communityId: filed.communityId, requestId: filed.id }),
                })
              }
            >
              查看进度
            </ActionButton>
          </View>
        </Card>
      </PageShell>
    )
  }

  return (
    <PageShell>
      <Text className='title' id='sr-file-title'>
        {current?.communityName ? `${current.communityName} · ` : ''}报事报修
      </Text>
      <CommunityPicker communities={communities} currentId={cid} onPick={pick} />
      {me && !canFile ? (
        <Card>
          <EmptyState id='sr-no-community' title='暂不能报事' description='认证房屋后，可向物业和社区报事报修。'>
            <ActionButton onClick={() => open(routes.bindHousehold)}>绑定房屋</ActionButton>
          </EmptyState>
        </Card>
      ) : null}
      {loadError ? (
        <LoadError id='sr-load-error' message={loadError} busy={loading} onRetry={() => void load()} />
      ) : null}
      {loading && !categories && !loadError ? <Text className='hint'>正在加载…</Text> : null}

      {categories ? (
        <Card title='1. 报事类别' id='sr-categories'>
          <View className='grid'>
            {categories.map((c) => (
              <View
                key={c.id}
                id={`sr-category-${c.id}`}
                data-name={c.name}
                className={`option ${form.categoryId === c.id ? 'option--selected' : ''}`}
                onClick={() => setForm({ ...form, categoryId: c.id, answers: {} })}
              >
                {c.name}
              </View>
            ))}
          </View>
          {category ? (
            <View className='mt' id='sr-category-sla' data-handler={category.handler}>
              <View className='kv'>
                <Text className='kv__k'>处理方</Text>
                <Text className='kv__v'>{srHandlerLabels[category.handler]}</Text>
              </View>
              <View className='kv'>
                <Text className='kv__k'>紧急程度</Text>
                <Text className='kv__v'>{srUrgencyLabels[category.urgency]}</Text>
              </View>
              <View className='kv'>
                <Text className='kv__k'>受理时限</Text>
                <Text className='kv__v'>{minutesLabel(category.acceptMinutes)}内受理</Text>
              </View>
              <View className='kv'>
                <Text className='kv__k'>处理时限</Text>
                <Text className='kv__v'>受理后{minutesLabel(category.resolveMinutes)}内处理</Text>
              </View>
            </View>
          ) : null}
          {errors.category ? (
            <Text className='ferror' id='sr-category-error'>
              {errors.category}
            </Text>
          ) : null}
          {category?.attributes.length ? (
            <AttributeFields
              defs={category.attributes as AttributeDef[]}
              answers={form.answers}
              errors={errors}
              onChange={(code, value) => setForm({ ...form, answers: { ...form.answers, [code]: value } })}
            />
          ) : null}
        </Card>
      ) : null}

      {categories ? (
        <Card title='2. 位置' id='sr-location'>
          <View className='grid'>
            {LOCATION_KINDS.map((k) => (
              <View
                key={k}
                id={`sr-location-${k}`}
                className={`option ${form.location.kind === k ? 'option--selected' : ''}`}
                onClick={() =>
                  setForm({
                    ...form,
                    location: { ...form.location, kind: k, unitId: k === 'unit' ? (myUnits[0]?.id ?? null) : null },
                  })
                }
              >
                {srLocationLabels[k]}
              </View>
            ))}
          </View>
          {form.location.kind === 'unit' ? (
            myUnits.length ? (
              <View className='grid mt'>
                {myUnits.map((u) => (
                  <View
                    key={u.id}
                    id={`sr-unit-${u.id}`}
                    className={`option ${form.location.unitId === u.id ? 'option--selected' : ''}`}
                    onClick={() => setForm({ ...form, location: { ...form.location, unitId: u.id } })}
                  >
                    {u.buildingName} {u.number}
                  </View>
                ))}
              </View>
            ) : (
              <Text className='hint'>您在本小区还没有已认证的房屋，可选择楼栋或公共区域。</Text>
            )
          ) : null}
          {form.location.kind === 'building' ? (
            <View className='grid mt'>
              {buildings.map((b) => (
                <View
                  key={b.id}
                  id={`sr-building-${b.id}`}
                  className={`option ${form.location.buildingId === b.id ? 'option--selected' : ''}`}
                  onClick={() => setForm({ ...form, location: { ...form.location, buildingId: b.id } })}
                >
                  {b.name}
                </View>
              ))}
            </View>
          ) : null}
          <Text className='flabel'>{form.location.kind === 'public' ? '具体位置（必填）' : '具体位置（选填）'}</Text>
          <Input
            id='sr-location-detail'
            className='field'
            value={form.location.detail}
            maxlength={100}
            placeholder={
              form.location.kind === 'unit'
                ? '例如：卫生间'
                : form.location.kind === 'building'
                  ? '例如：2单元电梯'
                  : '例如：北门岗亭'
            }
            onInput={(e) => setForm({ ...form, location: { ...form.location, detail: e.detail.value } })}
          />
          {errors.location ? (
            <Text className='ferror' id='sr-location-error'>
              {errors.location}
            </Text>
          ) : null}
          {form.location.kind !== 'unit' ? (
            <Text className='hint'>公共部位的报事会在本楼公共报修中公开（不显示报事人）。</Text>
          ) : null}
        </Card>
      ) : null}

      {categories ? (
        <Card title='3. 问题描述' id='sr-describe'>
          <Textarea
            id='sr-description'
            className='field field--area'
            value={form.description}
            maxlength={1000}
            placeholder='请描述问题（至少 5 个字），例如：厨房水管接口漏水，地面有积水。'
            onInput={(e) => setForm({ ...form, description: e.detail.value })}
          />
          <Text className='hint' id='sr-description-count'>
            {Array.from(form.description.trim()).length}/1000
          </Text>
          {errors.description ? (
            <Text className='ferror' id='sr-description-error'>
              {errors.description}
            </Text>
          ) : null}

          <Text className='flabel'>
            照片（最多 {MAX_PHOTOS} 张，{photos.length}/{MAX_PHOTOS}）
          </Text>
          <PhotoPicker id='sr-photos' item='sr-photo' uploads={uploads} />
          {errors.photos ? (
            <Text className='ferror' id='sr-photos-error'>
              {errors.photos}
            </Text>
          ) : null}

          <Text className='flabel'>方便联系/上门的时间（选填）</Text>
          <Input
            id='sr-contact-time'
            className='field'
            value={form.contactTime}
            maxlength={64}
            placeholder='例如：工作日18:00后'
            onInput={(e) => setForm({ ...form, contactTime: e.detail.value })}
          />
          <View className='mt'>
            <Toggle
              id='sr-share-phone'
              label='向处理人员提供我的手机号'
              description='关闭时处理方只看到打码的号码（如 138****0001）'
              checked={form.sharePhone}
              onChange={(v) => setForm({ ...form, sharePhone: v })}
            />
          </View>
        </Card>
      ) : null}

      {similar?.length ? (
        <Card title='附近已有相同问题的报事' id='sr-similar'>
          <Text className='hint'>
            {similar.some(
              (s) =>
                followRefusal(
                  { status: s.status, locationKind: s.location.kind, handler: s.handler },
                  { isReporter: s.mine, roles },
                ) === null,
            )
              ? '同一地点的以下报事还在处理中。如果是同一个问题，点“我也遇到了”即可跟进进度，不必重复提交。'
              : '同一地点的以下报事还在处理中。如果是同一个问题，不必重复提交。'}
          </Text>
          {similar.map((s) => {
            const refusal = followRefusal(
              { status: s.status, locationKind: s.location.kind, handler: s.handler },
              { isReporter: s.mine, roles },
            )
            const openIt = () => open(withQuery(routes.srDetail, { communityId: s.communityId, requestId: s.id }))
            return (
              <SrRow key={s.id} item={s} id={`sr-similar-${s.id}`}>
                <View className='mt'>
                  {followed === s.id || s.following ? (
                    <Text className='text' id={`sr-similar-${s.id}-followed`}>
                      已关注，处理进展会通知您，不必再提交。
                    </Text>
                  ) : refusal === null ? (
                    <ActionButton id={`sr-similar-${s.id}-metoo`} variant='secondary' onClick={() => void meToo(s.id)}>
                      我也遇到了
                    </ActionButton>
                  ) : refusal === 'reporter' || refusal === 'handler' ? (
                    <View>
                      <Text className='hint' id={`sr-similar-${s.id}-own`}>
                        {refusal === 'reporter'
                          ? '这是您报过的问题。'
                          : '您是这条报事的处理方（业委会/社区），可以直接处理。'}
                      </Text>
                      <ActionButton id={`sr-similar-${s.id}-open`} variant='plain' onClick={openIt}>
                        {refusal === 'reporter' ? '查看进度' : '去处理'}
                      </ActionButton>
                    </View>
                  ) : null}
                </View>
              </SrRow>
            )
          })}
          {followed !== null ? (
            <View className='mt'>
              <ActionButton id='sr-similar-done' onClick={backOrHome}>
                不用提交了，返回
              </ActionButton>
            </View>
          ) : null}
          <View className='btn-row'>
            <ActionButton id='sr-submit-anyway' variant='plain' loading={busy} onClick={() => void submit(true)}>
              不是同一问题，继续提交
            </ActionButton>
          </View>
        </Card>
      ) : null}

      {sendError ? (
        <Notice kind='error' id='sr-error'>
          {sendError}
        </Notice>
      ) : null}
      {Object.keys(errors).length ? (
        <Notice kind='error' id='sr-form-error'>
          还有 {Object.keys(errors).length} 项需要填写或修改
        </Notice>
      ) : null}
      {categories && !similar?.length ? (
        <ActionButton id='sr-submit' loading={busy} disabled={uploading > 0} onClick={() => void submit(false)}>
          {uploading > 0 ? `照片上传中（${uploading}）…` : '提交报事'}
        </ActionButton>
      ) : null}
    </PageShell>
  )
}
