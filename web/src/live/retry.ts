import type { IRetryPolicy, RetryContext } from '@microsoft/signalr'

/**
 * Never gives up: a wall runs for days and a phone walks in and out of coverage. Exponential
 * backoff from `baseMs`, capped at `capMs`, with ±20 % jitter so a hundred screens that lost the
 * same server do not come back in the same millisecond.
 */
export class CappedBackoff implements IRetryPolicy {
  constructor(
    private readonly baseMs = 500,
    private readonly capMs = 10_000,
    private readonly random: () => number = Math.random,
  ) {}

  delay(attempt: number): number {
    const raw = Math.min(this.capMs, this.baseMs * 2 ** Math.min(attempt, 20))
    return Math.round(raw * (0.8 + 0.4 * this.random()))
  }

  nextRetryDelayInMilliseconds(context: RetryContext): number {
    return this.delay(context.previousRetryCount)
  }
}
