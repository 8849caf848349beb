import { describe, expect, it } from 'vitest'
import { canonicalJson } from '../src/lib/canonical-json'

describe('canonicalJson', () => {
  it('does not depend on key order, at any depth', () => {
    const a = { b: 1, a: { y: [1, { q: 1, p: 2 }], x: 'z' }, c: null }
    const b = { c: null, a: { x: 'z', y: [1, { p: 2, q: 1 }] }, b: 1 }
    expect(canonicalJson(a)).toBe(canonicalJson(b))
    expect(canonicalJson(a)).toBe('{"a":{"x":"z","y":[1,{"p":2,"q":1}]},"b":1,"c":null}')
  })

  it('keeps array order', () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]))
    expect(canonicalJson([2, 1])).toBe('[2,1]')
  })

  it('is valid JSON that parses back to an equal value', () => {
    const v = { 名: '王秀英', n: -1.5, t: true, f: false, s: 'a"b\\c\n', nested: { e: [], o: {} } }
    expect(JSON.parse(canonicalJson(v))).toEqual(v)
  })

  it('sorts keys by code unit, not locale', () => {
    expect(canonicalJson({ b: 1, B: 2, a: 3, 楼: 4, '10': 5, '9': 6 })).toBe('{"10":5,"9":6,"B":2,"a":3,"b":1,"楼":4}')
  })

  it('drops undefined properties like JSON.stringify, and writes dates as ISO strings', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}')
    expect(canonicalJson({ at: new Date('2024-05-01T08:00:00.123Z') })).toBe('{"at":"2024-05-01T08:00:00.123Z"}')
  })

  it('handles scalars', () => {
    expect(canonicalJson(null)).toBe('null')
    expect(canonicalJson(undefined)).toBe('null')
    expect(canonicalJson(42)).toBe('42')
    expect(canonicalJson('x')).toBe('"x"')
    expect(canonicalJson(true)).toBe('true')
  })

  it('distinguishes values that differ', () => {
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }))
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: 1, b: null }))
  })
})
