import { describe, expect, it } from 'vitest'
import { offeredActions } from './actions'

describe('offered actions', () => {
  const village = '410611004005'
  const reported = { status: 'reported', centreCode: village } as const

  it('gives the responsible centre its steps by status', () => {
    expect(offeredActions(reported, village)).toEqual(['accept', 'reject', 'escalate', 'cancel'])
  })

  it('gives a superior centre only 提级, while the case is open', () => {
    expect(offeredActions(reported, '410611004')).toEqual(['pull_up'])
    expect(offeredActions(reported, '410600')).toEqual(['pull_up'])
    expect(offeredActions({ status: 'closed', centreCode: village }, '410611004')).toEqual([])
  })

  it('offers 交办办结 to the centre a resolved case was handed down to, only then', () => {
    const resolved = { status: 'resolved', centreCode: village } as const
    expect(offeredActions(resolved, village, true)).toEqual(['verify', 'rework', 'report_done'])
    expect(offeredActions(resolved, village)).toEqual(['verify', 'rework'])
    expect(offeredActions({ status: 'on_scene', centreCode: village }, village, true)).toEqual(['escalate'])
    expect(offeredActions(resolved, '410611004', true)).toEqual([])
  })

  it('gives a subordinate or a neighbouring centre nothing', () => {
    expect(offeredActions({ status: 'escalated', centreCode: '410611004' }, village)).toEqual([])
    expect(offeredActions(reported, '410611004006')).toEqual([])
    expect(offeredActions(reported, undefined)).toEqual([])
  })
})
