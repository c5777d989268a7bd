// The 三零 board (zero petitions beyond the township, zero major accidents, zero criminal cases).
import type zh from '../zh-CN/threeZeros'

export default {
  threeZeros: {
    title: 'Three-zero villages · this month',
    zeroOf: '{zero} / {all}',
    zeroLabel: 'three-zero villages',
    allZero: 'Every village is three-zero',
    more: '{count} more villages not three-zero',
    loading: 'Loading…',
    petitions: 'Petitions beyond the township',
    accidents: 'Major accidents',
    criminal: 'Criminal cases',
    figures: 'P {petitions} · A {accidents} · C {criminal}',
    board: {
      title: 'Three zeros',
      period: { month: 'This month', quarter: 'This quarter', year: 'This year' },
      trend: 'Share of three-zero villages, last 6 periods',
      villages: 'Villages',
      units: 'Three-zero units ({count})',
      rank: 'Rank',
      village: 'Village',
      unit: 'Unit',
      petitions: 'Petitions',
      majorAccidents: 'Accidents',
      criminalCases: 'Criminal',
      standing: 'Standing',
      zero: 'Three-zero',
      broken: 'Broken',
      all: 'All',
      none: 'No such incidents in the period',
    },
  },
} satisfies typeof zh
