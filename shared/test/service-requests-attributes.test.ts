import { describe, expect, it } from 'vitest'
import {
  describeAnswers,
  validateAnswers,
  validateAttributeDefs,
  type AttributeDef,
} from '../src/service-requests/attributes'

const DEFS: AttributeDef[] = [
  { code: 'room', label: '房间', type: 'text', required: true, maxLength: 10 },
  { code: 'floor', label: '楼层', type: 'number', required: false, integer: true, min: -3, max: 60 },
  {
    code: 'kind',
    label: '类型',
    type: 'single_choice',
    required: true,
    options: [
      { key: 'water', label: '水' },
      { key: 'power', label: '电' },
    ],
  },
  {
    code: 'parts',
    label: '部位',
    type: 'multi_choice',
    required: false,
    options: [
      { key: 'a', label: '甲' },
      { key: 'b', label: '乙' },
      { key: 'c', label: '丙' },
    ],
  },
]

describe('validateAnswers (Open311 attributes)', () => {
  it('accepts complete answers and normalises them', () => {
    const r = validateAnswers(DEFS, { room: '  厨房 ', floor: '12', kind: 'water', parts: ['c', 'a', 'a'] })
    expect(r).toEqual({ ok: true, answers: { room: '厨房', floor: 12, kind: 'water', parts: ['a', 'c'] } })
  })

  it('drops empty optional answers and requires the required ones', () => {
    expect(validateAnswers(DEFS, { room: '卫生间', kind: 'power', parts: [], floor: '' })).toEqual({
      ok: true,
      answers: { room: '卫生间', kind: 'power' },
    })
    const r = validateAnswers(DEFS, { room: '   ' })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.errors.map((e) => e.field)).toEqual(['answers.room', 'answers.kind'])
  })

  it('names each wrong answer', () => {
    const r = validateAnswers(DEFS, {
      room: '一二三四五六七八九十十一',
      floor: 2.5,
      kind: 'gas',
      parts: ['z'],
      extra: 'x',
    })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.errors.map((e) => e.field)).toEqual([
      'answers.extra',
      'answers.room',
      'answers.floor',
      'answers.kind',
      'answers.parts',
    ])
    expect(r.errors.find((e) => e.field === 'answers.floor')!.message).toContain('whole number')
  })

  it('checks number bounds and types', () => {
    expect(validateAnswers(DEFS, { room: 'a', kind: 'water', floor: 61 }).ok).toBe(false)
    expect(validateAnswers(DEFS, { room: 'a', kind: 'water', floor: -3 }).ok).toBe(true)
    expect(validateAnswers(DEFS, { room: 'a', kind: 'water', floor: '12楼' }).ok).toBe(false)
    expect(validateAnswers(DEFS, { room: 7, kind: 'water' }).ok).toBe(false)
    expect(validateAnswers(DEFS, { room: 'a', kind: ['water'] }).ok).toBe(false)
  })
})

describe('validateAttributeDefs', () => {
  it('accepts good definitions', () => {
    expect(validateAttributeDefs(DEFS)).toEqual([])
  })

  it('refuses duplicate codes, choices without two options, options on text, bounds on non-numbers, min above max', () => {
    const bad: AttributeDef[] = [
      {
        code: 'a',
        label: 'A',
        type: 'text',
        required: false,
        options: [
          { key: 'x', label: 'X' },
          { key: 'y', label: 'Y' },
        ],
      },
      { code: 'a', label: 'A2', type: 'single_choice', required: true, options: [{ key: 'x', label: 'X' }] },
      { code: 'n', label: 'N', type: 'number', required: false, min: 5, max: 1 },
      {
        code: 't',
        label: 'T',
        type: 'single_choice',
        required: false,
        options: [
          { key: 'x', label: 'X' },
          { key: 'x', label: 'Y' },
        ],
        min: 1,
      },
    ]
    expect(validateAttributeDefs(bad).map((e) => e.field)).toEqual([
      'attributes.0.options',
      'attributes.1.code',
      'attributes.1.options',
      'attributes.2.min',
      'attributes.3.options',
      'attributes.3.min',
    ])
  })
})

describe('describeAnswers', () => {
  it('gives label/value pairs in question order with option labels', () => {
    expect(describeAnswers(DEFS, { parts: ['a', 'c'], kind: 'power', room: '厨房' })).toEqual([
      { code: 'room', label: '房间', value: '厨房' },
      { code: 'kind', label: '类型', value: '电' },
      { code: 'parts', label: '部位', value: '甲、丙' },
    ])
  })
})
