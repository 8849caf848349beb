import { View, Text, Input } from '@tarojs/components'
import type { AttributeDef } from '@linli/shared/service-requests/attributes'

/** A category's extra questions: text, number, single or multi choice; required ones marked 必填. */
export function AttributeFields({
  defs,
  answers,
  errors,
  onChange,
}: {
  defs: readonly AttributeDef[]
  answers: Record<string, string | string[]>
  errors: Record<string, string>
  onChange: (code: string, value: string | string[]) => void
}) {
  return (
    <View className='attrs'>
      {defs.map((d) => {
        const id = `sr-attr-${d.code}`
        const v = answers[d.code]
        const err = errors[`answers.${d.code}`]
        return (
          <View key={d.code} className='attr' id={id} data-required={d.required ? 'true' : 'false'}>
            <Text className='flabel'>
              {d.label}
              {d.required ? <Text className='req'>（必填）</Text> : <Text className='hint'>（选填）</Text>}
              {d.type === 'multi_choice' ? <Text className='hint'> 可多选</Text> : null}
            </Text>
            {d.type === 'text' || d.type === 'number' ? (
              <Input
                id={`${id}-input`}
                className='field'
                type={d.type === 'number' ? 'digit' : 'text'}
                value={typeof v === 'string' ? v : ''}
                maxlength={d.type === 'text' ? (d.maxLength ?? 200) : 20}
                onInput={(e) => onChange(d.code, e.detail.value)}
              />
            ) : (
              <View className='grid'>
                {(d.options ?? []).map((o) => {
                  const selected = d.type === 'single_choice' ? v === o.key : Array.isArray(v) && v.includes(o.key)
                  return (
                    <View
                      key={o.key}
                      id={`${id}-${o.key}`}
                      role={d.type === 'single_choice' ? 'radio' : 'checkbox'}
                      aria-checked={selected}
                      data-selected={selected ? 'true' : 'false'}
                      className={`option ${selected ? 'option--selected' : ''}`}
                      onClick={() => {
                        if (d.type === 'single_choice') onChange(d.code, selected ? '' : o.key)
                        else {
                          const list = Array.isArray(v) ? v : []
                          onChange(d.code, selected ? list.filter((k) => k !== o.key) : [...list, o.key])
                        }
                      }}
                    >
                      {o.label}
                    </View>
                  )
                })}
              </View>
            )}
            {err ? (
              <Text className='ferror' id={`${id}-error`}>
                {err}
              </Text>
            ) : null}
          </View>
        )
      })}
    </View>
  )
}
