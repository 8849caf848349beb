import { View, Text, Textarea } from '@tarojs/components'
import type { MembershipApplication, NameCheck } from '@linli/shared/schemas'
import { isOwnerRelation, relationLabels, REJECT_REASON_MAX, type Relation } from '@linli/shared/households/rules'
import { proofKindLabels } from '@linli/shared/households/proof'
import { ActionButton, Card, Notice, PhotoStrip } from '../../../../components'
import { formatDateTime } from '../../../../utils/format'
import { useCareMode } from '../../../../hooks/useCareMode'

export interface RejectPanel {
  id: number
  reason: string
  error: string | null
}

/** What the name check means for this relation: an owner should be on the roster, family and tenants are not. */
function nameCheckText(check: NameCheck, relation: Relation): { text: string; tone: 'ok' | 'bad' | 'plain' } {
  if (check === 'no_name') return { text: '申请人没有填写姓名', tone: 'bad' }
  if (check === 'no_roster') return { text: '名册中没有这套房屋的业主，请线下核实', tone: 'plain' }
  if (isOwnerRelation(relation))
    return check === 'match'
      ? { text: '✓ 与名册业主姓名一致', tone: 'ok' }
      : { text: '✗ 与名册业主姓名不一致', tone: 'bad' }
  return check === 'match'
    ? { text: '与名册业主同名', tone: 'plain' }
    : { text: '不是名册上的业主（家庭成员、租户通常如此）', tone: 'plain' }
}

function Row({ k, v, id, tone }: { k: string; v: string; id?: string; tone?: 'ok' | 'bad' | 'plain' }) {
  return (
    <View className='claim__row'>
      <Text className='claim__k'>{k}</Text>
      <Text className={`claim__v ${tone ? `claim__v--${tone}` : ''}`} id={id}>
        {v}
      </Text>
    </View>
  )
}

/**
 * The pending claims on one unit, side by side, with the roster owners (masked) and who is already verified
 * there, so a reviewer compares competing claims before deciding any (presentational).
 */
export function UnitClaims({
  unitTitle,
  apps,
  reject,
  busyId,
  onApprove,
  onOpenReject,
  onReasonChange,
  onCancelReject,
  onReject,
}: {
  unitTitle: string
  apps: MembershipApplication[]
  reject: RejectPanel | null
  busyId: number | null
  onApprove: (app: MembershipApplication) => void
  onOpenReject: (app: MembershipApplication) => void
  onReasonChange: (reason: string) => void
  onCancelReject: () => void
  onReject: (app: MembershipApplication) => void
}) {
  const care = useCareMode()
  const first = apps[0]!
  const verified = first.unitMembers.filter((m) => m.state === 'verified')
  const rejecting = reject ? apps.find((a) => a.id === reject.id) : undefined
  const competing = apps.length > 1
  return (
    <Card
      id={`verif-unit-${first.unit.id}`}
      title={unitTitle}
      extra={competing ? <Text className='claims__count'>{apps.length} 份申请</Text> : undefined}
    >
      <View className='roster' id={`verif-unit-${first.unit.id}-roster`}>
        <Text className='roster__title'>名册登记的业主</Text>
        {first.rosterOwners.length === 0 ? (
          <Text className='hint'>名册中没有该房屋的业主记录，请线下核实。</Text>
        ) : (
          first.rosterOwners.map((o, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a read-only list shown once, never reordered
            <Text key={i} className='roster__line'>
              {o.nameMasked}　{o.phoneMasked ?? '无手机号'}
            </Text>
          ))
        )}
        <Text className='roster__title mt-s'>已认证住户</Text>
        {verified.length === 0 ? (
          <Text className='roster__line' id={`verif-unit-${first.unit.id}-verified`}>
            暂无
          </Text>
        ) : (
          <View id={`verif-unit-${first.unit.id}-verified`}>
            {verified.map((m) => (
              <Text key={m.membershipId} className='roster__line'>
                {m.statedName ?? m.displayName}（{relationLabels[m.relation]}）
              </Text>
            ))}
          </View>
        )}
      </View>
      {competing ? (
        <Notice kind='warn' id={`verif-unit-${first.unit.id}-competing`}>
          这套房屋同时有 {apps.length} 份申请，请对照后逐一处理。
          {apps.length > 2 && !care ? '左右滑动查看全部申请。' : ''}
        </Notice>
      ) : null}

      <View className={`claims ${competing ? 'claims--side' : ''}`}>
        {apps.map((app) => {
          const check = nameCheckText(app.nameCheck, app.relation)
          return (
            <View key={app.id} className='claim' id={`verif-item-${app.id}`}>
              <Text className='claim__name' id={`verif-item-${app.id}-name`}>
                {app.applicant.statedName ?? app.applicant.displayName}
              </Text>
              <Text className={`claim__check claim__v--${check.tone}`} id={`verif-item-${app.id}-namecheck`}>
                {check.text}
              </Text>
              <Row k='关系' v={relationLabels[app.relation]} id={`verif-item-${app.id}-relation`} />
              <Row k='昵称' v={app.applicant.displayName} />
              <Row k='手机' v={app.applicant.phoneMasked ?? '未绑定'} id={`verif-item-${app.id}-phone`} />
              <Row k='申请' v={formatDateTime(app.createdAt)} />
              <View className='claim__proof' id={`verif-item-${app.id}-proof`}>
                {app.proof ? (
                  <View>
                    <Text className='claim__k'>{proofKindLabels[app.proof.kind]}</Text>
                    <PhotoStrip id={`verif-item-${app.id}-photos`} photos={app.proof.photos} />
                  </View>
                ) : (
                  <Text className='claim__v claim__v--bad'>未上传证明材料</Text>
                )}
              </View>
              {reject?.id === app.id ? null : (
                <View className='claim__actions'>
                  <ActionButton id={`verif-reject-${app.id}`} variant='danger' onClick={() => onOpenReject(app)}>
                    不通过
                  </ActionButton>
                  <ActionButton
                    id={`verif-approve-${app.id}`}
                    loading={busyId === app.id}
                    onClick={() => onApprove(app)}
                  >
                    通过
                  </ActionButton>
                </View>
              )}
            </View>
          )
        })}
      </View>

      {rejecting && reject ? (
        <View className='mt' id='verif-reject-panel'>
          <Text className='text'>
            不通过 {rejecting.applicant.statedName ?? rejecting.applicant.displayName} 的申请，请写明原因（2–
            {REJECT_REASON_MAX} 字），申请人会看到：
          </Text>
          <Textarea
            id='verif-reason-input'
            className='field field--area mt'
            value={reject.reason}
            maxlength={REJECT_REASON_MAX}
            placeholder='例如：产权证上的姓名与申请人不一致，请携带原件到居委会核实'
            onInput={(e) => onReasonChange(e.detail.value)}
          />
          <Text className='hint' id='verif-reason-count'>
            {reject.reason.trim().length}/{REJECT_REASON_MAX}
          </Text>
          {reject.error ? (
            <Notice kind='error' id='verif-reason-error'>
              {reject.error}
            </Notice>
          ) : null}
          <View className='btn-row'>
            <ActionButton id='verif-cancel' variant='secondary' onClick={onCancelReject}>
              取消
            </ActionButton>
            <ActionButton
              id='verif-reject-confirm'
              variant='danger'
              loading={busyId === rejecting.id}
              onClick={() => onReject(rejecting)}
            >
              确认不通过
            </ActionButton>
          </View>
        </View>
      ) : null}
    </Card>
  )
}
