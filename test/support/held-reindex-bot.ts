/**
 * Factdesk's entrypoint for end-to-end tests that need a reindex to be provably running: the real
 * app (src/app.ts) with the real commands and reindex worker, but a worker the parent test can hold
 * over the IPC channel ({@link BotProcess.holdReindex} in harness.ts). Once told `hold`, the next
 * reindex waits at its first request to the worker (a scan, a file or a full build) and says
 * `held`; it goes on when told `release`. Until then the library counts it as running, as it does
 * a reindex on a slow disk, so what happens meanwhile no longer depends on the machine's speed.
 */
import { fileURLToPath } from 'node:url';
import { loadCommands } from '../../commands/index.ts';
import { runFactdesk } from '../../src/app.ts';
import { startPreparer, type Preparer } from '../../src/core/preparer.ts';

/** What the parent sends, and what this process answers. */
export type HoldRequest = 'hold' | 'release';
export type HoldReply = 'holding' | 'held' | 'released';

const tell = (reply: HoldReply): void => {
  process.send?.(reply);
};

let armed = false;
let gate: { readonly opened: Promise<void>; readonly open: () => void } | null = null;

process.on('message', (message: unknown) => {
  if (message === ('hold' satisfies HoldRequest)) {
    armed = true;
    tell('holding');
  } else if (message === ('release' satisfies HoldRequest)) {
    armed = false;
    gate?.open();
    gate = null;
    tell('released');
  }
});
// The channel must not keep the bot alive: it stops on SIGTERM as it does in production.
process.channel?.unref();

/** Waits while a hold is armed: the first request after `hold` closes the gate and says `held`. */
async function passGate(): Promise<void> {
  if (!armed) return;
  if (gate === null) {
    let open = (): void => undefined;
    const opened = new Promise<void>((resolve) => {
      open = resolve;
    });
    gate = { opened, open };
    tell('held');
  }
  await gate.opened;
}

function held(worker: Preparer): Preparer {
  return {
    loadFile: async (job) => {
      await passGate();
      return worker.loadFile(job);
    },
    build: async (job, snapshotFile, onProgress) => {
      await passGate();
      return worker.build(job, snapshotFile, onProgress);
    },
    scan: async (root, basis) => {
      await passGate();
      return worker.scan(root, basis);
    },
    prepared: (article) => worker.prepared(article),
    forget: () => {
      worker.forget();
    },
    get alive() {
      return worker.alive;
    },
    close: () => worker.close(),
  };
}

await runFactdesk({
  entry: fileURLToPath(import.meta.url),
  loadCommands,
  startWorker: async () => {
    const started = await startPreparer();
    return 'unavailable' in started ? started : held(started);
  },
});
