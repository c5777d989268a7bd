// What a dispatcher may do from each status (the server's Lifecycle table decides; this only
// chooses which buttons and shortcuts to offer), with their keys.
import type { AlertAction, AlertStatus, IncidentAction, IncidentStatus } from '../../api'

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

/** An alert's steps (server: Alerts/AlertLifecycle.cs); a false alarm may be closed at once. */
export const alertActions: Record<AlertStatus, AlertAction[]> = {
  raised: ['acknowledge', 'task', 'close'],
  acknowledged: ['task', 'close'],
  tasked: ['close'],
  closed: [],
}

/** With an alert open in the detail pane, A, T and C act on it as A and C act on an incident. */
export const alertActionKeys: Record<AlertAction, string> = {
  acknowledge: 'a',
  task: 't',
  close: 'c',
}

/** How a step's button shows in a detail pane's ActionBar: its label, its key, and how loud it is. */
export interface ActionButton {
  label: string
  key?: string
  kind: 'primary' | 'danger' | 'default'
}
