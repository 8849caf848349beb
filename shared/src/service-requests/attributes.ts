/**
 * A category's extra questions, Open311-style attributes: text, number, single or multi choice, required or not.
 * The definitions are data on the category; answers are validated against them on both sides with this one
 * function (the mini-program to show errors, the BFF to refuse).
 */
export const ATTRIBUTE_TYPES = ['text', 'number', 'single_choice', 'multi_choice'] as const
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number]

export interface AttributeOption {
  key: string
  label: string
}

export interface AttributeDef {
  /** stable key of the answer, e.g. "room" */
  code: string
  label: string
  type: AttributeType
  required: boolean
  /** choices (single_choice, multi_choice only) */
  options?: AttributeOption[]
  /** text: max length; number: bounds */
  maxLength?: number
  min?: number
  max?: number
  /** number: whole numbers only */
  integer?: boolean
}

export type AttributeAnswer = string | number | string[]
export type AttributeAnswers = Record<string, AttributeAnswer>

export interface AttributeError {
  field: string
  message: string
}

export const TEXT_ANSWER_MAX = 200
export const MAX_ATTRIBUTES = 10
export const MAX_OPTIONS = 20

/** Checks the definitions themselves (when a category is saved). */
export function validateAttributeDefs(defs: readonly AttributeDef[]): AttributeError[] {
  const errors: AttributeError[] = []
  const codes = new Set<string>()
  if (defs.length > MAX_ATTRIBUTES) errors.push({ field: 'attributes', message: `at most ${MAX_ATTRIBUTES} questions` })
  defs.forEach((d, i) => {
    const f = `attributes.${i}`
    if (codes.has(d.code)) errors.push({ field: `${f}.code`, message: `duplicate code ${d.code}` })
    codes.add(d.code)
    const choice = d.type === 'single_choice' || d.type === 'multi_choice'
    if (choice) {
      const keys = new Set((d.options ?? []).map((o) => o.key))
      if (!d.options || d.options.length < 2)
        errors.push({ field: `${f}.options`, message: 'a choice needs at least two options' })
      else if (d.options.length > MAX_OPTIONS)
        errors.push({ field: `${f}.options`, message: `at most ${MAX_OPTIONS} options` })
      else if (keys.size !== d.options.length)
        errors.push({ field: `${f}.options`, message: 'option keys must be unique' })
    } else if (d.options !== undefined) {
      errors.push({ field: `${f}.options`, message: `only choices have options, not ${d.type}` })
    }
    if (d.type === 'number' && d.min !== undefined && d.max !== undefined && d.min > d.max)
      errors.push({ field: `${f}.min`, message: 'min is above max' })
    if (d.type !== 'number' && (d.min !== undefined || d.max !== undefined || d.integer !== undefined))
      errors.push({ field: `${f}.min`, message: 'only numbers have bounds' })
    if (d.type !== 'text' && d.maxLength !== undefined)
      errors.push({ field: `${f}.maxLength`, message: 'only text has a maximum length' })
  })
  return errors
}

/**
 * Checks answers against the definitions: required ones present, each of its type, within bounds, choices among
 * the options, nothing unknown. Returns the answers normalised (text trimmed, empty optional answers dropped,
 * multi-choice keys de-duplicated in option order) or the errors, each naming its field.
 */
export function validateAnswers(
  defs: readonly AttributeDef[],
  answers: Readonly<Record<string, unknown>>,
): { ok: true; answers: AttributeAnswers } | { ok: false; errors: AttributeError[] } {
  const errors: AttributeError[] = []
  const out: AttributeAnswers = {}
  const known = new Set(defs.map((d) => d.code))
  for (const key of Object.keys(answers))
    if (!known.has(key)) errors.push({ field: `answers.${key}`, message: 'no such question in this category' })
  for (const d of defs) {
    const field = `answers.${d.code}`
    const raw = answers[d.code]
    const empty =
      raw === undefined ||
      raw === null ||
      (typeof raw === 'string' && raw.trim() === '') ||
      (Array.isArray(raw) && raw.length === 0)
    if (empty) {
      if (d.required) errors.push({ field, message: `${d.label}: required` })
      continue
    }
    switch (d.type) {
      case 'text': {
        if (typeof raw !== 'string') {
          errors.push({ field, message: `${d.label}: must be text` })
          break
        }
        const v = raw.trim()
        const max = d.maxLength ?? TEXT_ANSWER_MAX
        if (Array.from(v).length > max) errors.push({ field, message: `${d.label}: at most ${max} characters` })
        else out[d.code] = v
        break
      }
      case 'number': {
        const v =
          typeof raw === 'number'
            ? raw
            : typeof raw === 'string' && /^-?\d+(\.\d+)?$/.test(raw.trim())
              ? Number(raw)
              : NaN
        if (!Number.isFinite(v)) errors.push({ field, message: `${d.label}: must be a number` })
        else if (d.integer && !Number.isInteger(v))
          errors.push({ field, message: `${d.label}: must be a whole number` })
        else if (d.min !== undefined && v < d.min) errors.push({ field, message: `${d.label}: at least ${d.min}` })
        else if (d.max !== undefined && v > d.max) errors.push({ field, message: `${d.label}: at most ${d.max}` })
        else out[d.code] = v
        break
      }
      case 'single_choice': {
        if (typeof raw !== 'string' || !(d.options ?? []).some((o) => o.key === raw))
          errors.push({ field, message: `${d.label}: not one of the options` })
        else out[d.code] = raw
        break
      }
      case 'multi_choice': {
        const list = Array.isArray(raw) ? raw : [raw]
        const keys = (d.options ?? []).map((o) => o.key)
        if (!list.every((k) => typeof k === 'string' && keys.includes(k)))
          errors.push({ field, message: `${d.label}: not among the options` })
        else out[d.code] = keys.filter((k) => list.includes(k))
        break
      }
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, answers: out }
}

/** Answers as label/value pairs in question order, for people and for the property company. */
export function describeAnswers(
  defs: readonly AttributeDef[],
  answers: AttributeAnswers,
): { code: string; label: string; value: string }[] {
  return defs
    .filter((d) => answers[d.code] !== undefined)
    .map((d) => {
      const a = answers[d.code]!
      const label = (k: string) => d.options?.find((o) => o.key === k)?.label ?? k
      const value =
        d.type === 'single_choice'
          ? label(String(a))
          : d.type === 'multi_choice'
            ? (a as string[]).map(label).join('、')
            : String(a)
      return { code: d.code, label: d.label, value }
    })
}
