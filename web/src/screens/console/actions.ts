// What a dispatcher may do from each status (the server's Lifecycle table decides; this only
// chooses which buttons and shortcuts to offer), with their keys.
import type { IncidentAction, IncidentStatus } from '../../api'

export const dispatcherActions: Record<IncidentStatus, IncidentAction[]> = {
  reported: ['accept', 'reject', 'escalate', 'cancel'],
  accepted: ['dispatch', 'escalate', 'cancel'],
  dispatched: ['dispatch', 'escalate', 'cancel'],
  acknowledged: ['escalate', 'cancel'],
  on_scene: ['escalate'],
  resolved: ['verify', 'rework'],
  verified: ['close', 'rework'],
  closed: ['reopen'],
  rejected: ['reopen'],
  escalated: ['accept', 'cancel'],
  cancelled: [],
}

export const actionKeys: Partial<Record<IncidentAction, string>> = {
  accept: 'a',
  reject: 'x',
  dispatch: 'd',
  escalate: 'e',
  verify: 'v',
  rework: 'w',
  close: 'c',
}
