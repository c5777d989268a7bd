// The wall display.
import type zh from '../zh-CN/wall'

export default {
  wall: {
    awake: 'Screen kept on',
    title: 'Command centre',
    kpi: {
      reported: 'Reported today',
      closed: 'Closed today',
      onTime: 'On-time rate',
      overdue: 'Overdue',
      alerts: 'Active alerts',
      notices: '{count} notices besides',
      open: '{count} open',
      resolved: '{count} resolved today',
      none: 'n/a',
    },
    trend24: 'Last 24 hours',
    trend7: 'Last 7 days',
    reported: 'Reported',
    closedSeries: 'Closed',
    categories: 'By category (7 days)',
    districts: 'By district (7 days)',
    ticker: 'Latest incidents',
    heat: 'Heat map',
    sound: 'Enable sound',
    soundOn: 'Sound on',
    alert: 'Alert',
    moreAlerts: '{count} more new alerts to handle',
    notice: 'Notice',
    moreNotices: '{count} more new notices',
    staff: '{count} staff reporting',
    openCount: '{count} open incidents',
  },
} satisfies typeof zh
