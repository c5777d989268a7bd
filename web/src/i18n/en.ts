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
  auth: {
    title: 'Sign in',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    submitting: 'Signing in…',
    required: 'Enter a username and a password',
    wrongCredentials: 'Wrong username or password',
    locked: 'Too many failed attempts: the account is locked for a while',
    failed: 'Sign-in failed (HTTP {status})',
    unreachable: 'The server cannot be reached; try again shortly',
    expired: 'Your session has expired; please sign in again',
    demoHint: 'Demo accounts are printed when the server starts',
    signOut: 'Sign out',
    account: 'Account {username}',
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
