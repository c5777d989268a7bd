// A hand-down's deadline as a datetime input holds it: Beijing wall-clock time ("2026-12-10T18:00"),
// whatever zone the browser is in — the console shows every time in Beijing time (i18n/index.ts).

const beijing = 8 * 3600_000

/** The input's value for an instant, to the minute. */
export function toBeijingInput(at: number): string {
  return new Date(at + beijing).toISOString().slice(0, 16)
}

/** The instant an input's value names, as ISO 8601 with Beijing's offset; null when it is not a time. */
export function fromBeijingInput(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null
  const iso = `${value}:00+08:00`
  return Number.isNaN(Date.parse(iso)) ? null : iso
}

/** The default: three days from now. */
export const defaultDeadline = (now = Date.now()) => toBeijingInput(now + 3 * 86400_000)
