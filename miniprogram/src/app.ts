import type { PropsWithChildren } from 'react'
import { useDidShow } from '@tarojs/taro'
import { careModeStore } from './stores/careMode'
import './app.scss'

// the tab bar, modals and toasts Taro draws in H5 (a build-time constant: not in the weapp bundle)
if (process.env.TARO_ENV === 'h5') require('./h5-care.scss')

function App({ children }: PropsWithChildren) {
  careModeStore.get() // marks <html> at start, before the first page renders
  // the person may have changed WeChat's font size while we were in the background
  useDidShow(() => careModeStore.reload())
  return children
}

export default App
