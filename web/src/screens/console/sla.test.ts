import { describe, expect, it } from 'vitest'
import { span, urgency } from './sla'

const at = Date.parse('2026-12-07T10:00:00+08:00')
const minutes = (n: number) => new Date(at + n * 60_000).toISOString()

describe('urgency', () => {
  it('is none without a deadline', () => {
    expect(urgency(null, null, at)).toBe('none')
    expect(urgency(null, minutes(-5), at)).toBe('none')
  })

  it('turns near once warnAt has passed, however far dueAt still is', () => {
    // A 4-hour stage: warnAt at 80 % leaves 48 minutes, beyond the old 30-minute rule.
    expect(urgency(minutes(48), minutes(0), at)).toBe('near')
    expect(urgency(minutes(48), minutes(-1), at)).toBe('near')
  })

  it('stays ok before warnAt, even within 30 minutes of dueAt', () => {
    // A 10-minute stage warns 2 minutes before its deadline, not at once.
    expect(urgency(minutes(5), minutes(3), at)).toBe('ok')
  })

  it('is over past dueAt whatever warnAt says', () => {
    expect(urgency(minutes(-1), minutes(-10), at)).toBe('over')
    expect(urgency(minutes(-1), null, at)).toBe('over')
  })

  it('falls back to 30 minutes before dueAt without warnAt', () => {
    expect(urgency(minutes(31), null, at)).toBe('ok')
    expect(urgency(minutes(29), null, at)).toBe('near')
    expect(urgency(minutes(29), undefined, at)).toBe('near')
  })
})

describe('span', () => {
  it('reads in the largest unit', () => {
    expect(span(4 * 60_000 + 59_000)).toBe('04:59')
    expect(span(-(65 * 60_000 + 9_000))).toBe('1:05:09')
    expect(span((2 * 24 + 3) * 3_600_000)).toBe('2d 3h')
  })
})
