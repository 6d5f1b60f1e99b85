/**
 * Default cap on the bytes of all article files together (`MAX_ARCHIVE_MB`). The index takes about
 * 20 times the text's size in memory (BBC's 5 MB take ~110 MB), so 32 MB of articles need ~0.7 GB.
 * In a file of its own so that reading the config does not load the article parsers.
 */
export const DEFAULT_MAX_ARCHIVE_MB = 32;
