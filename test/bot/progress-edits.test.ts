import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PROGRESS_EDIT_MS, ProgressEdits } from '../../src/bot/progress-edits.ts';
import type { IndexProgress } from '../../src/core/progress.ts';
import { createLogger } from '../../src/logger.ts';
import type { DiscordPayload } from '../../src/render/discord/replies.ts';
import { captureLog } from '../support/log-capture.ts';

const reading = (read: number): IndexProgress => ({ phase: 'reading', read, files: 2225 });

/** An edit function that records each payload's description and settles when the test says. */
function recorder() {
  const shown: string[] = [];
  const pending: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const edit = (payload: DiscordPayload): Promise<unknown> => {
    shown.push(payload.embeds[0]?.description?.split('\n')[0] ?? '');
    return new Promise<void>((resolve, reject) => pending.push({ resolve, reject }));
  };
  const settle = async (): Promise<void> => {
    pending.shift()?.resolve();
    await vi.advanceTimersByTimeAsync(0);
  };
  return { shown, pending, edit, settle };
}

describe('ProgressEdits', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows the first report at once, then the latest at most once per 1.5 s after the last edit ended', async () => {
    const { shown, edit, settle } = recorder();
    const edits = new ProgressEdits({ edit, logger: createLogger('silent'), clock: () => Date.now() });
    edits.update(reading(1));
    expect(shown).toEqual(['Reading articles: 1 of 2,225 files · 0 ms']);

    // While an edit is under way, reports only replace the one waiting.
    await vi.advanceTimersByTimeAsync(400);
    edits.update(reading(200));
    edits.update(reading(300));
    expect(shown).toHaveLength(1);
    await settle(); // the first edit ends at 0.4 s

    await vi.advanceTimersByTimeAsync(PROGRESS_EDIT_MS - 1);
    expect(shown).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(shown).toEqual(['Reading articles: 1 of 2,225 files · 0 ms', 'Reading articles: 300 of 2,225 files · 1.9 s']);
    await settle();

    // Nothing new: no edit. A report long after the last edit is shown at once.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(shown).toHaveLength(2);
    edits.update({ phase: 'indexing', indexed: 1000, articles: 2225, passages: 6000, figures: 7000 });
    expect(shown.at(-1)).toBe('Indexing: 1,000 of 2,225 articles · 6,000 passages · 7,000 figures · 6.9 s');
    await settle();
    await edits.stop();
  });

  it('stop() waits for the edit under way and cancels the one waiting, so nothing lands after the outcome', async () => {
    const { shown, pending, edit, settle } = recorder();
    const edits = new ProgressEdits({ edit, logger: createLogger('silent'), clock: () => Date.now() });
    edits.update(reading(1));
    edits.update(reading(2));
    let stopped = false;
    const stopping = edits.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    await settle();
    await stopping;
    expect(stopped).toBe(true);
    edits.update(reading(3));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(shown).toEqual(['Reading articles: 1 of 2,225 files · 0 ms']);
    expect(pending).toEqual([]);
  });

  it('a failed edit is logged once and ends the progress edits; stop() still resolves', async () => {
    const { shown, pending, edit } = recorder();
    const { logger, lines } = captureLog();
    const edits = new ProgressEdits({ edit, logger, fields: { interactionId: '42' }, clock: () => Date.now() });
    edits.update(reading(1));
    pending.shift()?.reject(new Error('Unknown Webhook'));
    await vi.advanceTimersByTimeAsync(0);
    edits.update(reading(2));
    await vi.advanceTimersByTimeAsync(10_000);
    await edits.stop();
    expect(shown).toHaveLength(1);
    expect(lines()).toEqual([
      expect.objectContaining({ level: 40, interactionId: '42', msg: 'could not show progress; showing the outcome only' }),
    ]);
  });
});
