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
  auth: {
    title: '登录',
    username: '用户名',
    password: '密码',
    submit: '登录',
    submitting: '正在登录…',
    required: '请输入用户名和密码',
    wrongCredentials: '用户名或密码错误',
    locked: '登录失败次数过多，账号已暂时锁定',
    failed: '登录失败（HTTP {status}）',
    unreachable: '无法连接服务器，请稍后重试',
    expired: '登录已过期，请重新登录',
    demoHint: '演示账号见服务器启动输出',
    signOut: '退出登录',
    account: '账号 {username}',
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
