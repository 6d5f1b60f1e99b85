/**
 * How far loading and indexing have got: reported while a folder is read and an archive built, so
 * the front ends can show a progress line (console, CLI) or a log line per phase (the bot).
 */
export type IndexProgress =
  /** Files read so far, of those listed. */
  | { readonly phase: 'reading'; readonly read: number; readonly files: number }
  /** Articles indexed so far, of those loaded, with the passages and figures they gave. */
  | {
      readonly phase: 'indexing';
      readonly indexed: number;
      readonly articles: number;
      readonly passages: number;
      readonly figures: number;
    };

/** Told about progress; called often (after each file, after each batch of articles), so keep it cheap. */
export type ProgressListener = (progress: IndexProgress) => void;
