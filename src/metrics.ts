/**
 * What the bot counts for Prometheus: questions answered and declined, answer latency, reindexes,
 * the index's size and the gateway's state. The Discord edge reports each reply it sends through
 * {@link ReplyObserver}; the core knows nothing of this.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Reply } from './replies.ts';

/** Told about each reply the edge sends, with how long producing it took. */
export interface ReplyObserver {
  observeReply(reply: Reply, seconds: number): void;
}

/** What /healthz and the gauges read, live, when asked. */
export interface HealthProbe {
  /** The index's counts once it is loaded; null while it is still being built. */
  index(): { readonly articles: number; readonly passages: number; readonly figures: number } | null;
  /** The gateway connection is up and ready (not connecting, reconnecting or closed). */
  gatewayReady(): boolean;
}

// Answers take milliseconds; a slow disk or a huge archive can take a second or more.
const ANSWER_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const REINDEX_BUCKETS = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** The registry of Factdesk's metrics, plus Node's own (memory, event loop lag, CPU). */
export class Metrics implements ReplyObserver {
  readonly registry = new Registry();
  readonly #answered: Counter;
  readonly #declined: Counter;
  readonly #latency: Histogram;
  readonly #reindexes: Counter;
  readonly #reindexSeconds: Histogram;

  constructor(probe: HealthProbe) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.#answered = new Counter({
      name: 'factdesk_questions_answered_total',
      help: 'Questions answered with passages from the articles',
      registers,
    });
    this.#declined = new Counter({
      name: 'factdesk_questions_declined_total',
      help: 'Questions the articles do not answer (declined, with the closest articles)',
      registers,
    });
    this.#latency = new Histogram({
      name: 'factdesk_answer_duration_seconds',
      help: 'Time to answer a question, from the question to the reply ready to send',
      buckets: ANSWER_BUCKETS,
      registers,
    });
    this.#reindexes = new Counter({ name: 'factdesk_reindexes_total', help: 'Completed reindexes', registers });
    this.#reindexSeconds = new Histogram({
      name: 'factdesk_reindex_duration_seconds',
      help: 'Time a reindex took, reading the folder and building the new index',
      buckets: REINDEX_BUCKETS,
      registers,
    });
    new Gauge({
      name: 'factdesk_gateway_connected',
      help: '1 when the Discord gateway connection is ready, 0 while connecting, reconnecting or closed',
      registers,
      collect() {
        this.set(probe.gatewayReady() ? 1 : 0);
      },
    });
    const index = new Gauge({
      name: 'factdesk_index_size',
      help: 'What the live index holds (0 until it is built)',
      labelNames: ['kind'],
      registers,
      collect() {
        const counts = probe.index();
        for (const kind of ['articles', 'passages', 'figures'] as const) index.set({ kind }, counts?.[kind] ?? 0);
      },
    });
  }

  observeReply(reply: Reply, seconds: number): void {
    if (reply.kind === 'answer') {
      (reply.answer.answered ? this.#answered : this.#declined).inc();
      this.#latency.observe(seconds);
    } else if (reply.kind === 'reindex') {
      this.#reindexes.inc();
      this.#reindexSeconds.observe(reply.summary.ms / 1000);
    }
  }
}
