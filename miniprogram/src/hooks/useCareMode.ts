import { useEffect, useState } from 'react'
import { careModeStore } from '../stores/careMode'

/** Whether care mode (适老化) is on; re-renders when the setting changes on any page. */
export function useCareMode(): boolean {
  const [on, setOn] = useState(() => careModeStore.isOn())
  useEffect(() => {
    setOn(careModeStore.isOn())
    return careModeStore.subscribe(setOn)
  }, [])
  return on
}
