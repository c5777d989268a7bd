// Chinese is the platform's first language; its keys define the message schema English must match.
export default {
  app: {
    title: '鹤壁市域社会治理 指挥调度平台',
    subtitle: 'Hebi Social Governance Dispatch',
  },
  language: {
    label: '语言',
    'zh-CN': '中文',
    en: 'English',
  },
  legend: {
    title: '图例',
    district: '县区',
    township: '乡镇/街道',
    village: '村/社区',
    grid: '网格',
    servicePoint: '网格服务点',
    visibleFrom: '{zoom} 级起显示',
  },
  grid: {
    title: '网格',
    code: '网格编码',
    village: '村/社区',
    township: '乡镇/街道',
    district: '县区',
    loading: '正在查询所属区划…',
    namesUnavailable: '区划名称暂不可用：{reason}',
  },
  map: {
    zoom: '缩放级别 {zoom}',
  },
}
