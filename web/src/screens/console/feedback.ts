// How the console answers a dispatcher: a toast below the header, never over its live status and
// clock; a failed request told by the server's problem (its detail, else its title) or the error.
import { ElMessage } from 'element-plus'
import { ApiError } from '../../api'

export type Toast = (type: 'success' | 'error' | 'info', message: string) => void

export const toast: Toast = (type, message) => {
  ElMessage({ type, message, offset: 64 })
}

/** What a dialog shows when the server refused: every field's reason on one line, else the problem itself. */
export function refusal(error: unknown): string {
  const fields = error instanceof ApiError ? error.problem?.errors : undefined
  return fields ? Object.values(fields).flat().join(' ') : describe(error)
}

export function describe(error: unknown): string {
  if (error instanceof ApiError) return error.problem?.detail ?? error.problem?.title ?? error.message
  return String(error)
}
