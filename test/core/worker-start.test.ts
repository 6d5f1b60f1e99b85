import { describe, expect, it } from 'vitest';
import { withoutScriptFlags } from '../../src/core/worker-start.ts';

describe('withoutScriptFlags', () => {
  it('takes out the flags that say what the main script is, with their values, and keeps the rest in order', () => {
    const code = "import('./x.js')";
    expect(withoutScriptFlags(['--input-type=module', '--expose-gc', '-e', code, '--import', 'tsx'])).toEqual([
      '--expose-gc',
      '--import',
      'tsx',
    ]);
    expect(withoutScriptFlags(['--input-type', 'module', '--eval', code, '--max-old-space-size=512'])).toEqual([
      '--max-old-space-size=512',
    ]);
    expect(withoutScriptFlags(['--eval=1', '-p', '2', '--print=3', '-pe', '4', '--no-warnings'])).toEqual(['--no-warnings']);
    expect(withoutScriptFlags(['--print', '--eval', code, '-i', '--enable-source-maps'])).toEqual(['--enable-source-maps']);
  });

  it('leaves flags without script flags as they are', () => {
    const flags = ['--expose-gc', '--import', 'tsx', '--conditions', 'development'];
    expect(withoutScriptFlags(flags)).toEqual(flags);
    expect(withoutScriptFlags([])).toEqual([]);
  });
});
