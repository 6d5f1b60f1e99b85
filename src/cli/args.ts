import { parseArgs } from 'node:util';

export const USAGE = 'usage: npm run --silent ask -- [--seeds DIR] [--json] [--top N] [QUESTION ...]';
const MAX_TOP = 50;

export interface CliOptions {
  readonly seeds: string;
  readonly json: boolean;
  readonly top: number;
  readonly questions: readonly string[];
}

/** Parses the CLI's arguments, or returns the usage error to print. */
export function parseCliArgs(argv: readonly string[]): CliOptions | { error: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        seeds: { type: 'string', default: 'seeds' },
        json: { type: 'boolean', default: false },
        top: { type: 'string', default: '3' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  if (parsed.values.help) return { error: 'help' };
  const top = Number(parsed.values.top);
  if (!Number.isInteger(top) || top < 1 || top > MAX_TOP)
    return { error: `--top must be a whole number from 1 to ${MAX_TOP}, not "${parsed.values.top}"` };
  return {
    seeds: parsed.values.seeds,
    json: parsed.values.json,
    top,
    questions: parsed.positionals.map((q) => q.trim()),
  };
}
