import { useEffect, useState } from 'react'
import Taro from '@tarojs/taro'
import { View, Text, Input } from '@tarojs/components'
import { DISPLAY_NAME_MAX, cleanName, nameLength, nameProblem } from '@linli/shared/households/names'
import { ActionButton, Card, LoadError, Notice, PageShell } from '../../../../components'
import { updateDisplayName } from '../../../../services/api/me'
import { errorText } from '../../../../services/http'
import { useLeaveGuard } from '../../../../hooks/useLeaveGuard'
import { useSession } from '../../../../hooks/useSession'
import { sessionStore } from '../../../../stores/session'
import { backOrHome } from '../../../../utils/routes'
import './index.scss'

/** The display name others see; checked by the same rule as the BFF (shared/src/households/names.ts). */
export default function ProfilePage() {
  const { me, loading, error: loadError } = useSession({ requireLogin: true })
  const [name, setName] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)

  // the field starts from the current name once it has loaded
  useEffect(() => {
    if (me && name === null) setName(me.displayName)
  }, [me, name])

  const value = name ?? ''
  const changed = me !== null && name !== null && cleanName(value) !== me.displayName
  useLeaveGuard(changed && !saving)

  const save = async () => {
    const problem = nameProblem(value, DISPLAY_NAME_MAX, '昵称')
    setError(problem?.message ?? null)
    if (problem) return
    setSaving(true)
    try {
      const updated = await updateDisplayName(cleanName(value))
      sessionStore.setMe(updated)
      setName(updated.displayName)
      void Taro.showToast({ title: '昵称已保存', icon: 'none' })
      backOrHome()
    } catch (e) {
      setError(errorText(e))
    } finally {
      setSaving(false)
    }
  }

  return (
    <PageShell>
      {loadError && !me ? (
        <LoadError
          id='profile-load-error'
          message={errorText(loadError)}
          onRetry={() => void sessionStore.reload()}
          busy={loading}
        />
      ) : null}
      <Card title='昵称'>
        <Input
          id='profile-name'
          className='field'
          value={value}
          maxlength={DISPLAY_NAME_MAX + 10}
          placeholder='例如：李明、3栋王阿姨'
          onInput={(e) => {
            setName(e.detail.value)
            setError(null)
          }}
        />
        <View className='profile__meta'>
          {error ? (
            <Text className='profile__error profile__grow' id='profile-name-error'>
              {error}
            </Text>
          ) : (
            <Text className='hint profile__grow'>邻居、业委会和社区工作者看到的名字</Text>
          )}
          <Text className='hint profile__count' id='profile-name-count'>
            {nameLength(value.trim())}/{DISPLAY_NAME_MAX}
          </Text>
        </View>
      </Card>
      <Notice kind='info'>申请绑定房屋时另填真实姓名，只给审核人看，昵称不必是真名。</Notice>
      <View className='mt'>
        <ActionButton id='profile-save' loading={saving} disabled={!changed} onClick={() => void save()}>
          保存
        </ActionButton>
      </View>
    </PageShell>
  )
}
