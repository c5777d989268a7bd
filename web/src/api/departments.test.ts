import { describe, expect, it } from 'vitest'
import { departmentTaskTag, ownsDepartmentTask } from './departments'
import { mayRecordMediation } from './mediation'

describe('departmentTaskTag', () => {
  it('is red for a late task not yet verified, else by status', () => {
    expect(departmentTaskTag({ status: 'assigned', late: true })).toBe('danger')
    expect(departmentTaskTag({ status: 'verified', late: true })).toBe('success')
    expect(departmentTaskTag({ status: 'assigned', late: false })).toBe('warning')
    expect(departmentTaskTag({ status: 'reported', late: false })).toBe('primary')
    expect(departmentTaskTag({ status: 'returned', late: false })).toBe('info')
  })
})

describe('ownsDepartmentTask', () => {
  it('matches the department account dept-<code>', () => {
    expect(ownsDepartmentTask({ departmentCode: 'renshe' }, 'dept-renshe')).toBe(true)
    expect(ownsDepartmentTask({ departmentCode: 'renshe' }, 'dept-gongan')).toBe(false)
    expect(ownsDepartmentTask({ departmentCode: 'renshe' }, undefined)).toBe(false)
  })
})

describe('mayRecordMediation', () => {
  it('is a dispute on scene or resolved', () => {
    expect(mayRecordMediation({ categoryCode: 'dispute_neighbour', status: 'on_scene' })).toBe(true)
    expect(mayRecordMediation({ categoryCode: 'dispute', status: 'resolved' })).toBe(true)
    expect(mayRecordMediation({ categoryCode: 'dispute', status: 'dispatched' })).toBe(false)
    expect(mayRecordMediation({ categoryCode: 'fire', status: 'on_scene' })).toBe(false)
  })
})
