import type { PropsWithChildren } from 'react'
import { useDidShow } from '@tarojs/taro'
import { careModeStore } from './stores/careMode'
import './app.scss'

function App({ children }: PropsWithChildren) {
  // the person may have changed WeChat's font size while we were in the background
  useDidShow(() => careModeStore.reload())
  return children
}

export default App
