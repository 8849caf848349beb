import { useState } from 'react'
import { View, Text, Input } from '@tarojs/components'
import { normalizePhone, phoneProblem } from '@linli/shared/privacy/phone'
import { ActionButton, Card } from '../../../../components'
import { demoPhoneCode } from '../../../../services/api/demo'

/**
 * Demo builds only (H5 has no getPhoneNumber button): the BFF's WeChat stand-in issues the code that
 * WeChat's 手机号快速验证 would, and the page binds with it exactly as the mini-program does.
 */
export default function DemoPhoneForm({
  busy,
  onCode,
  onInvalid,
}: {
  busy: boolean
  onCode: (getCode: () => Promise<string>) => void
  onInvalid: (message: string) => void
}) {
  const [phone, setPhone] = useState('')
  const submit = () => {
    const normalized = normalizePhone(phone)
    if (!normalized) {
      // the one phone rule says what is wrong (too short, not starting with 1, …), not just "11 digits"
      onInvalid(phoneProblem(phone)?.message ?? '请填写手机号')
      return
    }
    onCode(async () => (await demoPhoneCode(normalized)).code)
  }
  return (
    <Card title='演示：输入手机号'>
      <Text className='hint'>演示环境没有微信授权，输入手机号代替“微信手机号快速验证”。</Text>
      <View className='field-row mt'>
        <Input
          id='phone-input'
          className='field'
          type='number'
          maxlength={11}
          value={phone}
          placeholder='11 位手机号'
          onInput={(e) => setPhone(e.detail.value)}
        />
      </View>
      <View className='mt'>
        <ActionButton id='phone-submit' loading={busy} onClick={submit}>
          绑定
        </ActionButton>
      </View>
    </Card>
  )
}
