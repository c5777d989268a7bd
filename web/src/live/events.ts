// The hub's events as one discriminated union on `type`, exactly as docs/live-events.md and the
// server's src/Dispatch.Server/Live/ define them. A switch over `type` is checked exhaustively.
import type { AlertSummary, Assignment, IncidentAction, IncidentStatus, IncidentSummary, StaffPosition } from '../api'

/**
 * `incident.created` / `incident.updated`: a list row (description at most 120 characters) and what
 * caused it. No personal data; read the incident over REST for that.
 */
export interface IncidentEventData extends IncidentSummary {
  updatedAt: string
  /**
   * The lifecycle step that caused the event: `report` for created; `supervise` for a 督办, and the
   * department task's steps (its version does not move for those).
   */
  action: IncidentAction | 'report' | 'supervise' | DepartmentAction
  actor: string
}

/** A department task's step, announced as `incident.updated` on the case. */
export type DepartmentAction = 'hand_to_department' | 'department_accept' | 'department_return' | 'department_report' | 'department_verify'

/** `assignment.*`: the team member as the incident shows it, with the incident it belongs to. */
export interface AssignmentEventData extends Assignment {
  incidentId: number
}

/**
 * `assignment.unacknowledged`: a member still silent past Supervision:AcknowledgeWithin, named
 * once to the centres of the area; they may dispatch the role again to replace them.
 */
export interface UnacknowledgedEventData {
  id: number
  incidentId: number
  staffId: number
  staffCode: string
  staffName: string
  role: Assignment['role']
  assignedAt: string
  warnedAt: string
}

/** `staff.location`: a position as the REST list gives it, always with the time it was reported. */
export interface StaffLocationData extends StaffPosition {
  at: string
}

/** `alert.raised` / `alert.updated`: an alert's list fields; its evidence is read over REST. */
export type AlertEventData = AlertSummary

/** The stage an SLA clock runs for: to accept, to be on scene, to resolve. */
export type SlaStage = 'accept' | 'arrive' | 'resolve'

/**
 * `incident.sla`: 80 % of a stage's time gone (`warning`) or its deadline passed (`breach`), once per
 * deadline and kind, to the centres and supervisors of the area (never to field phones).
 */
export interface SlaEventData {
  incidentId: number
  kind: 'warning' | 'breach'
  stage: SlaStage
  status: IncidentStatus
  dueAt: string | null
  warnAt: string | null
  level: string
  priority: number
  categoryCode: string
  categoryName: string
  /** At most 120 characters. */
  description: string
  gridCode: string
  villageCode: string
  townshipCode: string
  districtCode: string
}

interface Envelope<T extends string, D> {
  /** Global, gap-free and increasing over everything the platform publishes. */
  seq: number
  type: T
  /** ISO 8601 with offset (+08:00). */
  at: string
  data: D
}

export type LiveEvent =
  | Envelope<'incident.created', IncidentEventData>
  | Envelope<'incident.updated', IncidentEventData>
  | Envelope<'assignment.created', AssignmentEventData>
  | Envelope<'assignment.updated', AssignmentEventData>
  | Envelope<'assignment.unacknowledged', UnacknowledgedEventData>
  | Envelope<'staff.location', StaffLocationData>
  | Envelope<'alert.raised', AlertEventData>
  | Envelope<'alert.updated', AlertEventData>
  | Envelope<'incident.sla', SlaEventData>

export type LiveEventType = LiveEvent['type']

/** What `Resume(lastSeq)` returns: the `seq` the replay reached. */
export interface ResumeResult {
  seq: number
}

/** Hub method names, in one place (server: the Hub<IClient> interface). */
export const hubMethods = {
  /** server → client, every event */
  event: 'event',
  /** server → client, before it closes a connection it could not keep current */
  resync: 'resync',
  /** client → server */
  resume: 'Resume',
} as const

export const hubPath = '/hubs/dispatch'
