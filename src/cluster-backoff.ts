/**
 * When to start a cluster again after it exits. discord-hybrid-sharding respawns a dead cluster at
 * once, so one that dies right after it starts (a bad snapshot, a missing file) would be restarted
 * in a tight loop; here each quick death doubles the wait, up to a cap, and after a few in a row the
 * launcher gives up, so a supervisor (or a person) sees the failure instead of a busy loop.
 */

export interface BackoffOptions {
  /** A cluster that exits within this long of its start died "at once" (ms). */
  readonly quickMs?: number;
  /** The wait after the first quick death, doubled after each following one (ms). */
  readonly firstDelayMs?: number;
  /** The longest wait (ms). */
  readonly maxDelayMs?: number;
  /** Quick deaths in a row after which the launcher gives up. */
  readonly maxQuickDeaths?: number;
}

/** What to do about a cluster that exited: start it again after a wait, or give up. */
export type AfterDeath =
  { readonly respawnInMs: number; readonly quickDeaths: number } | { readonly giveUp: true; readonly quickDeaths: number };

/** Capped exponential backoff per cluster, reset once a cluster has run longer than {@link BackoffOptions.quickMs}. */
export class ClusterBackoff {
  readonly #quickMs: number;
  readonly #firstDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #maxQuickDeaths: number;
  readonly #quickDeaths = new Map<number, number>();

  constructor(options: BackoffOptions = {}) {
    this.#quickMs = options.quickMs ?? 60_000;
    this.#firstDelayMs = options.firstDelayMs ?? 1_000;
    this.#maxDelayMs = options.maxDelayMs ?? 60_000;
    this.#maxQuickDeaths = options.maxQuickDeaths ?? 5;
  }

  /** Cluster `id` exited after running `ranMs`: when to start it again, or to give up. */
  afterDeath(id: number, ranMs: number): AfterDeath {
    // A cluster that ran a good while had a fault, not a start-up problem: start it again soon.
    const quickDeaths = ranMs < this.#quickMs ? (this.#quickDeaths.get(id) ?? 0) + 1 : 0;
    this.#quickDeaths.set(id, quickDeaths);
    if (quickDeaths > this.#maxQuickDeaths) return { giveUp: true, quickDeaths };
    const respawnInMs = Math.min(this.#maxDelayMs, this.#firstDelayMs * 2 ** Math.max(0, quickDeaths - 1));
    return { respawnInMs, quickDeaths };
  }
}
