import { describe, expect, it } from 'vitest'
import { capPolygon } from './alerts'

// As the server writes it (src/Dispatch.Server/Alerts/AlertCap.cs): "latitude,longitude" pairs, closed.
const cap = `<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>cn.hebi.dispatch.alert.4.1</identifier><info><area>
  <areaDesc>郭小屯社区第5网格</areaDesc>
  <polygon>35.851612,114.22671 35.853628,114.22523 35.855016,114.228301 35.851612,114.22671</polygon>
  <geocode><valueName>GB/T 2260</valueName><value>410611004005005</value></geocode>
</area></info></alert>`

describe('capPolygon', () => {
  it('reads the area polygon as GeoJSON, longitude first', () => {
    expect(capPolygon(cap)).toEqual({
      type: 'Polygon',
      coordinates: [[[114.22671, 35.851612], [114.22523, 35.853628], [114.228301, 35.855016], [114.22671, 35.851612]]],
    })
  })

  it('is null without a polygon, or with one that is not numbers', () => {
    expect(capPolygon('<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><info/></alert>')).toBeNull()
    expect(capPolygon(cap.replace('35.853628,114.22523', 'x,y'))).toBeNull()
    expect(capPolygon('<polygon>35,114 35.1,114 35.1,114.1 35,114</polygon>')).toBeNull() // not in CAP's namespace
  })
})
