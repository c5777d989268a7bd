import { describe, expect, it } from 'vitest'
import { defaultDeadline, fromBeijingInput, toBeijingInput } from './deadline'

describe('a hand-down deadline in Beijing time', () => {
  it('shows an instant as Beijing wall-clock time', () => {
    expect(toBeijingInput(Date.parse('2026-12-07T13:05:42Z'))).toBe('2026-12-07T21:05')
    expect(toBeijingInput(Date.parse('2026-12-07T20:00:00Z'))).toBe('2026-12-08T04:00')
  })

  it('reads it back with the offset, whatever the browser zone', () => {
    expect(fromBeijingInput('2026-12-10T18:00')).toBe('2026-12-10T18:00:00+08:00')
    expect(Date.parse(fromBeijingInput(toBeijingInput(Date.parse('2026-12-07T13:05:00Z')))!)).toBe(Date.parse('2026-12-07T13:05:00Z'))
    expect(fromBeijingInput('')).toBeNull()
    expect(fromBeijingInput('2026-13-40T99:00')).toBeNull()
  })

  it('defaults to three days ahead', () => {
    expect(defaultDeadline(Date.parse('2026-12-07T13:00:00Z'))).toBe('2026-12-10T21:00')
  })
})
