import type zhCN from './zh-CN'

export default {
  app: {
    title: 'Hebi Social Governance Dispatch',
    subtitle: '鹤壁市域社会治理 指挥调度平台',
  },
  language: {
    label: 'Language',
    'zh-CN': '中文',
    en: 'English',
  },
  legend: {
    title: 'Legend',
    district: 'District / county',
    township: 'Township / street',
    village: 'Village / community',
    grid: 'Grid',
    servicePoint: 'Grid service point',
    visibleFrom: 'from zoom {zoom}',
  },
  grid: {
    title: 'Grid',
    code: 'Grid code',
    village: 'Village / community',
    township: 'Township / street',
    district: 'District / county',
    loading: 'Looking up its regions…',
    namesUnavailable: 'Region names unavailable: {reason}',
  },
  map: {
    zoom: 'Zoom {zoom}',
  },
} satisfies typeof zhCN
