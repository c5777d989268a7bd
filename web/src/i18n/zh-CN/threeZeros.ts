// The 三零 board (零上访、零事故、零案件): the wall's tile and the board's words.
export default {
  threeZeros: {
    title: '三零村（社区）· 本月',
    zeroOf: '{zero} / {all}',
    zeroLabel: '三零村（社区）',
    allZero: '全部村（社区）保持三零',
    more: '另有 {count} 个村（社区）未达三零',
    loading: '加载中…',
    petitions: '越级上访',
    accidents: '重大事故',
    criminal: '刑事案件',
    figures: '访 {petitions} · 事 {accidents} · 案 {criminal}',
  },
}
