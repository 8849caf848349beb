import { describe, expect, it } from 'vitest'
import { cutText, hasLoneSurrogate, summaryOf, textLength } from '../src/text'

describe('cutText', () => {
  it('leaves text that fits alone', () => {
    expect(cutText('电梯坏了', 20)).toBe('电梯坏了')
    expect(cutText('一二三四五六七八九十一二三四五六七八九十', 20)).toBe('一二三四五六七八九十一二三四五六七八九十')
  })

  it('never splits an emoji whose halves straddle the limit (the 20th character)', () => {
    const text = `${'楼'.repeat(19)}😀后面还有字`
    expect(text.slice(0, 20)).toMatch(/[\uD800-\uDBFF]$/) // what slice did: half an emoji
    const cut = cutText(text, 20)
    expect(hasLoneSurrogate(cut)).toBe(false)
    expect(textLength(cut)).toBe(20)
    expect(cut).toBe(`${'楼'.repeat(19)}…`)
    expect(cutText(`${'楼'.repeat(18)}😀后面`, 20)).toBe(`${'楼'.repeat(18)}😀…`)
  })

  it('counts an emoji as one character, and keeps clusters whole', () => {
    expect(cutText('😀😀😀', 3)).toBe('😀😀😀')
    expect(cutText('👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧', 2)).toBe('👨‍👩‍👧…')
    expect(cutText('👍🏽👍🏽👍🏽', 2)).toBe('👍🏽…')
  })

  it('fits the ellipsis within the limit, and handles tiny limits', () => {
    expect(textLength(cutText('一二三四五六', 4))).toBe(4)
    expect(cutText('一二三', 1)).toBe('…')
    expect(cutText('一二三', 0)).toBe('')
  })

  it('summaryOf makes one line', () => {
    expect(summaryOf('  门口\n\n漏水   很严重 ', 20)).toBe('门口 漏水 很严重')
    expect(summaryOf('门口\n漏水很严重，已经三天了，请尽快处理', 8)).toBe('门口 漏水很严…')
  })
})

describe('hasLoneSurrogate', () => {
  it('finds half an emoji and accepts whole ones', () => {
    expect(hasLoneSurrogate('x\ud800y')).toBe(true)
    expect(hasLoneSurrogate('x\udc00')).toBe(true)
    expect(hasLoneSurrogate('😀 ok')).toBe(false)
    expect(hasLoneSurrogate('普通文字')).toBe(false)
  })
})
