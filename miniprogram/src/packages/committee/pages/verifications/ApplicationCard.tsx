import { View, Text, Textarea } from '@tarojs/components'
import type { MembershipApplication } from '@linli/shared/schemas'
import { relationLabels } from '@linli/shared/households/rules'
import { ActionButton, Card, Notice } from '../../../../components'
import { formatDateTime, unitLabel } from '../../../../utils/format'

export type Panel = { kind: 'approve' } | { kind: 'reject'; reason: string; error: string | null }

/** One pending application, with the inline approve / reject confirmation (presentational). */
export function ApplicationCard({
  app,
  panel,
  busy,
  onOpen,
  onClose,
  onReasonChange,
  onApprove,
  onReject,
}: {
  app: MembershipApplication
  panel: Panel | null
  busy: boolean
  onOpen: (kind: 'approve' | 'reject') => void
  onClose: () => void
  onReasonChange: (reason: string) => void
  onApprove: () => void
  onReject: () => void
}) {
  const id = app.id
  return (
    <Card id={`verif-item-${id}`} title={app.applicant.displayName}>
      <View className='kv'>
        <Text className='kv__k'>手机号</Text>
        <Text className='kv__v' id={`verif-item-${id}-phone`}>
          {app.applicant.phoneMasked ?? '未绑定'}
        </Text>
      </View>
      <View className='kv'>
        <Text className='kv__k'>房屋</Text>
        <Text className='kv__v' id={`verif-item-${id}-unit`}>
          {unitLabel(app.unit)}
        </Text>
      </View>
      <View className='kv'>
        <Text className='kv__k'>关系</Text>
        <Text className='kv__v' id={`verif-item-${id}-relation`}>
          {relationLabels[app.relation]}
        </Text>
      </View>
      <View className='kv'>
        <Text className='kv__k'>申请时间</Text>
        <Text className='kv__v'>{formatDateTime(app.createdAt)}</Text>
      </View>
      <View className='roster' id={`verif-item-${id}-roster`}>
        <Text className='roster__title'>名册登记的业主</Text>
        {app.rosterOwners.length === 0 ? (
          <Text className='hint'>名册中没有该房屋的业主记录，请线下核实。</Text>
        ) : (
          app.rosterOwners.map((o, i) => (
            <Text key={i} className='roster__line'>
              {o.nameMasked}　{o.phoneMasked ?? '无手机号'}
            </Text>
          ))
        )}
      </View>

      {panel?.kind === 'approve' ? (
        <View className='mt'>
          <Text className='text'>
            确认 {app.applicant.displayName} 是该房屋的{relationLabels[app.relation]}？通过后即成为认证住户。
          </Text>
          <View className='btn-row'>
            <ActionButton id='verif-cancel' variant='secondary' onClick={onClose}>
              取消
            </ActionButton>
            <ActionButton id='verif-approve-confirm' loading={busy} onClick={onApprove}>
              确认通过
            </ActionButton>
          </View>
        </View>
      ) : panel?.kind === 'reject' ? (
        <View className='mt'>
          <Text className='text'>请填写不通过的原因（2–200 字），申请人会看到：</Text>
          <Textarea
            id='verif-reason-input'
            className='field field--area mt'
            value={panel.reason}
            maxlength={200}
            placeholder='例如：名册中的业主与申请人不一致，请携带房产证到居委会核实'
            onInput={(e) => onReasonChange(e.detail.value)}
          />
          <Text className='hint' id='verif-reason-count'>
            {panel.reason.trim().length}/200
          </Text>
          {panel.error ? (
            <Notice kind='error' id='verif-reason-error'>
              {panel.error}
            </Notice>
          ) : null}
          <View className='btn-row'>
            <ActionButton id='verif-cancel' variant='secondary' onClick={onClose}>
              取消
            </ActionButton>
            <ActionButton id='verif-reject-confirm' variant='danger' loading={busy} onClick={onReject}>
              确认不通过
            </ActionButton>
          </View>
        </View>
      ) : (
        <View className='btn-row'>
          <ActionButton id={`verif-reject-${id}`} variant='danger' onClick={() => onOpen('reject')}>
            不通过
          </ActionButton>
          <ActionButton id={`verif-approve-${id}`} onClick={() => onOpen('approve')}>
            通过
          </ActionButton>
        </View>
      )}
    </Card>
  )
}
