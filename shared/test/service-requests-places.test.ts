import { describe, expect, it } from 'vitest'
import { placeKey, samePlace } from '../src/service-requests/places'

describe('the same public place (附近已有相同问题)', () => {
  it('matches a place named in other words: with or without 小区, spaces, punctuation, full-width letters', () => {
    expect(samePlace('北门岗亭', '北门岗亭')).toBe(true)
    expect(samePlace('北门', '北门岗亭')).toBe(true)
    expect(samePlace('小区北门', '北门岗亭')).toBe(true)
    expect(samePlace(' 北门 岗亭 ', '北门岗亭。')).toBe(true)
    expect(samePlace('Ｂ区车库', 'b区车库入口')).toBe(true)
    expect(placeKey('本小区（北门）')).toBe('北门')
  })

  it('does not match another place, a place of one character, or nothing', () => {
    expect(samePlace('北门', '南门')).toBe(false)
    expect(samePlace('1号楼东侧', '2号楼东侧')).toBe(false)
    expect(samePlace('门', '北门')).toBe(false)
    expect(samePlace('小区', '小区北门')).toBe(false)
    expect(samePlace('', '北门')).toBe(false)
    expect(samePlace(null, null)).toBe(false)
  })
})
