// What a dispatcher may do from each status (the server's Lifecycle table decides; this only
// chooses which buttons and shortcuts to offer), with their keys.
import type { AlertAction, AlertStatus, IncidentAction, IncidentStatus, IncidentSummary } from '../../api'
import { standing } from '../../centres'

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

/** A superior centre may take a case over (提级) while it is open, whatever its stage. */
const pullUpStatuses: readonly IncidentStatus[] = ['reported', 'accepted', 'dispatched', 'acknowledged', 'on_scene', 'escalated']

/**
 * The steps offered to the signed-in centre (its region code): the responsible centre's by status,
 * a superior's pull_up, nothing for the rest — they only watch (server: AuthoriseStep). A case
 * handed down (交办) to the centre and resolved there may be reported done (report_done), which
 * returns it to the superior.
 */
export function offeredActions(incident: Pick<IncidentSummary, 'status' | 'centreCode'>, regionCode: string | undefined,
  handedDown = false): readonly IncidentAction[] {
  const where = standing(regionCode, incident.centreCode)
  if (where === 'responsible')
    return handedDown && incident.status === 'resolved' ? [...dispatcherActions.resolved, 'report_done'] : dispatcherActions[incident.status]
  return where === 'above' && pullUpStatuses.includes(incident.status) ? ['pull_up'] : []
}

/** Steps that must say why (the server refuses them without a note). */
export const needsReason: readonly IncidentAction[] = ['escalate', 'pull_up']

export const actionKeys: Partial<Record<IncidentAction, string>> = {
  accept: 'a',
  reject: 'x',
  dispatch: 'd',
  escalate: 'e',
  verify: 'v',
  rework: 'w',
  close: 'c',
  pull_up: 'u',
}

/** An alert's steps (server: Alerts/AlertLifecycle.cs); a false alarm may be closed at once. */
export const alertActions: Record<AlertStatus, AlertAction[]> = {
  raised: ['acknowledge', 'task', 'close', 'snooze'],
  acknowledged: ['task', 'close', 'snooze'],
  tasked: ['close', 'snooze'],
  closed: [],
}

/** With an alert open in the detail pane, A, T and C act on it as A and C act on an incident. */
export const alertActionKeys: Record<AlertAction, string> = {
  acknowledge: 'a',
  task: 't',
  close: 'c',
  snooze: 'z',
}

/** How a step's button shows in a detail pane's ActionBar: its label, its key, and how loud it is. */
export interface ActionButton {
  label: string
  key?: string
  kind: 'primary' | 'danger' | 'default'
}
