import { describe, expect, it } from 'vitest';
import { ClusterBackoff } from '../src/cluster-backoff.ts';

describe('ClusterBackoff', () => {
  it('doubles the wait after each quick death, up to the cap, then gives up', () => {
    const backoff = new ClusterBackoff({ quickMs: 60_000, firstDelayMs: 1_000, maxDelayMs: 10_000, maxQuickDeaths: 5 });
    const outcomes = Array.from({ length: 6 }, () => backoff.afterDeath(0, 500));
    expect(outcomes).toEqual([
      { respawnInMs: 1_000, quickDeaths: 1 },
      { respawnInMs: 2_000, quickDeaths: 2 },
      { respawnInMs: 4_000, quickDeaths: 3 },
      { respawnInMs: 8_000, quickDeaths: 4 },
      { respawnInMs: 10_000, quickDeaths: 5 },
      { giveUp: true, quickDeaths: 6 },
    ]);
  });

  it('starts again soon after a cluster that ran a while, and counts each cluster apart', () => {
    const backoff = new ClusterBackoff({ quickMs: 60_000, firstDelayMs: 1_000 });
    backoff.afterDeath(0, 10);
    backoff.afterDeath(0, 10);
    expect(backoff.afterDeath(1, 10)).toEqual({ respawnInMs: 1_000, quickDeaths: 1 });
    expect(backoff.afterDeath(0, 3_600_000)).toEqual({ respawnInMs: 1_000, quickDeaths: 0 });
    expect(backoff.afterDeath(0, 10)).toEqual({ respawnInMs: 1_000, quickDeaths: 1 });
  });

  it('by default waits 1 s, then 2, 4, 8, 16 s, and gives up at the sixth quick death in a row', () => {
    const backoff = new ClusterBackoff();
    const waits = Array.from({ length: 6 }, () => backoff.afterDeath(3, 1_000));
    expect(waits.map((w) => ('giveUp' in w ? 'give up' : w.respawnInMs))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 'give up']);
  });
});
