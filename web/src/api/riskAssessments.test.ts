import { describe, expect, it } from 'vitest'
import { riskInput, type RiskAssessment } from './riskAssessments'

describe('riskInput', () => {
  const entry: RiskAssessment = {
    id: 3, kindCode: 'land_acquisition', kindName: '征地拆迁', title: '东区棚改', description: '', regionCode: '410611002001', regionName: '某村',
    lon: 114.3, lat: 35.7, responsibleUnit: '区住建局', riskLevel: null, result: 'pending', status: 'in_progress', flagged: true, alertId: 9,
    assessedAt: null, assessedBy: null, createdBy: 'x', createdAt: '', updatedAt: '', version: 2,
  }

  it('is the whole entry the form writes back, its position as one point', () => {
    expect(riskInput(entry)).toEqual({
      kindCode: 'land_acquisition', title: '东区棚改', description: '', regionCode: '410611002001', position: { lon: 114.3, lat: 35.7 },
      responsibleUnit: '区住建局', riskLevel: null, result: 'pending', status: 'in_progress',
    })
    expect(riskInput({ ...entry, lon: null, lat: null }).position).toBeNull()
  })
})
