/** How long a whole action may spend on HTTP: below the platform's 10 s limit, with room to send the reply. */
export const TIME_BUDGET_MS = 8000

export interface TimeBudget {
  /** Milliseconds left before the action must answer. */
  remaining: () => number
}

/** Starts the clock; create it when the action starts, never at import time. */
export function startTimeBudget (totalMs = TIME_BUDGET_MS): TimeBudget {
  const deadline = Date.now() + totalMs
  return { remaining: () => Math.max(0, deadline - Date.now()) }
}

/** Waits without `setTimeout` (absent on the platform): lodash's timer is the documented way. */
export function wait (ms: number): Promise<void> {
  return new Promise<void>(resolve => { _.delay(resolve, Math.max(0, ms)) })
}
