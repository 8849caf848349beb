import { useState } from 'react'
import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { ActionButton, Notice } from '../../../components'
import { addSubscriptions, getSubscriptions } from '../../../services/api/me'
import { errorText } from '../../../services/http'

const DEMO_H5 = process.env.TARO_ENV === 'h5' && process.env.TARO_APP_DEMO === '1'

/**
 * "Remind me before it closes": WeChat allows one message per acceptance, so the person is asked at the moment
 * it matters (wx.requestSubscribeMessage needs a tap) and the BFF is told what was accepted. H5 has no
 * subscribe messages; the demo build records the acceptance so the flow can be tried.
 */
export function RemindMe() {
  const [state, setState] = useState<{ busy: boolean; done: string | null; error: string | null }>({
    busy: false,
    done: null,
    error: null,
  })
  if (process.env.TARO_ENV !== 'weapp' && !DEMO_H5) return null

  const subscribe = async () => {
    setState({ busy: true, done: null, error: null })
    try {
      const { templates } = await getSubscriptions()
      const reminder = templates.find((t) => t.key === 'vote_reminder')
      if (!reminder) throw new Error('no reminder template')
      let accepted = DEMO_H5
      if (process.env.TARO_ENV === 'weapp') {
        const res = (await Taro.requestSubscribeMessage({
          tmplIds: [reminder.templateId],
          entityIds: [],
        } as never)) as unknown as Record<string, string>
        accepted = res[reminder.templateId] === 'accept'
      }
      if (!accepted) return setState({ busy: false, done: '您没有允许提醒，截止前不会收到通知。', error: null })
      const after = await addSubscriptions(['vote_reminder'])
      const left = after.templates.find((t) => t.key === 'vote_reminder')?.remaining ?? 0
      setState({
        busy: false,
        done: `好的，截止前会提醒您一次（可用提醒 ${left} 次）${DEMO_H5 ? '（演示环境）' : ''}。`,
        error: null,
      })
    } catch (e) {
      setState({ busy: false, done: null, error: errorText(e) })
    }
  }

  return (
    <View className='mt' id='vote-remind'>
      <ActionButton id='vote-remind-me' variant='secondary' loading={state.busy} onClick={() => void subscribe()}>
        截止前提醒我
      </ActionButton>
      {state.done ? (
        <Text className='hint' id='vote-remind-result'>
          {state.done}
        </Text>
      ) : null}
      {state.error ? (
        <Notice kind='error' id='vote-remind-error'>
          {state.error}
        </Notice>
      ) : null}
    </View>
  )
}
