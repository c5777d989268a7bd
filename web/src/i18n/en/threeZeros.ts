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
  },
} satisfies typeof zh
