import { describe, expect, it } from 'vitest'
import { movingMs, shareDue, stillMs } from './sharing'

describe('shareDue', () => {
  it('waits for a first fix, then sends it at once', () => {
    expect(shareDue(1_000, null, null)).toBe(false)
    expect(shareDue(1_000, 900, null)).toBe(true)
  })

  it('sends a new fix at most every 10 s', () => {
    const sent = { at: 0, fixAt: 0 }
    expect(shareDue(movingMs - 1, 5_000, sent)).toBe(false)
    expect(shareDue(movingMs, 5_000, sent)).toBe(true)
  })

  it('repeats an unchanged fix once a minute, so a worker standing still stays seen', () => {
    const sent = { at: 0, fixAt: 0 }
    expect(shareDue(movingMs, 0, sent)).toBe(false)
    expect(shareDue(stillMs - 1, 0, sent)).toBe(false)
    expect(shareDue(stillMs, 0, sent)).toBe(true)
  })
})
