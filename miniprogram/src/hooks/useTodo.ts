import { useEffect, useState } from 'react'
import { useDidShow } from '@tarojs/taro'
import type { Todo } from '@linli/shared/schemas'
import { todoStore } from '../stores/todo'

/** What waits for the person, refreshed each time the page shows (this also redraws the tab badges). */
export function useTodo(): Todo | null {
  const [todo, setTodo] = useState<Todo | null>(() => todoStore.get())
  useEffect(() => {
    const off = todoStore.subscribe(setTodo)
    // an answer that came between the first render and this subscription
    setTodo(todoStore.get())
    return off
  }, [])
  useDidShow(() => {
    void todoStore.refresh()
  })
  return todo
}
