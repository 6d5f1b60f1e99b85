import type { ArticleHit, ArticlePage, FiguresResult } from './core/browse.ts';
import type { ReindexSummary } from './core/library.ts';
import type { Answer } from './core/types.ts';
import type { FeedStatus } from './feeds/feed-state.ts';

/** A picture that goes with a reply. */
export interface ChartImage {
  /** A file name, `[a-z0-9-]+.png`. */
  readonly name: string;
  readonly png: Uint8Array;
}

/** Index statistics for /help. */
export interface IndexStatus {
  readonly articles: number;
  readonly passages: number;
  readonly figures: number;
  readonly builtAt: Date;
  readonly lastReindex: Date | null;
  readonly uptimeMs: number;
  readonly problems: number;
}

export interface HelpEntry {
  readonly name: string;
  readonly description: string;
  readonly usage: string;
}

/**
 * What a command answers, as plain data. Renderers turn a Reply into Discord payloads or terminal
 * text, so Discord users and the console see the same thing.
 */
export type ReplyBody =
  | {
      readonly kind: 'answer';
      readonly answer: Answer;
    }
  | { readonly kind: 'search'; readonly query: string; readonly hits: readonly ArticleHit[] }
  | {
      readonly kind: 'figures';
      readonly result: FiguresResult;
      /** The timeline drawn as a PNG, when it has enough points: attached on Discord, saved to a file by the console. */
      readonly chart?: ChartImage;
    }
  | { readonly kind: 'article'; readonly page: ArticlePage }
  | { readonly kind: 'reindex'; readonly summary: ReindexSummary }
  | { readonly kind: 'feeds'; readonly feeds: readonly Readonly<FeedStatus>[] }
  | { readonly kind: 'help'; readonly commands: readonly HelpEntry[]; readonly triggers: readonly string[]; readonly status: IndexStatus }
  | { readonly kind: 'notice'; readonly tone: 'info' | 'error'; readonly text: string };

/** A button under a reply; pressing it runs the button handler its custom id names. */
export interface ReplyButton {
  readonly label: string;
  readonly customId: string;
  readonly disabled?: boolean;
}

export type Reply = ReplyBody & {
  /** Only the person who asked sees it (Discord's ephemeral flag). */
  readonly ephemeral: boolean;
  readonly buttons?: readonly ReplyButton[];
};
