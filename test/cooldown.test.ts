import { describe, expect, it } from 'vitest';
import { Cooldown } from '../src/cooldown.ts';

describe('Cooldown', () => {
  it('makes a user wait between questions, per user, and lets them ask once the time is up', () => {
    let now = 0;
    const cooldown = new Cooldown(5, () => new Date(now));
    expect(cooldown.take('a')).toBe(0);
    now = 2000;
    expect(cooldown.take('a')).toBe(3000);
    expect(cooldown.take('b')).toBe(0);
    now = 5000;
    expect(cooldown.take('a')).toBe(0);
  });

  it('is off at 0 seconds', () => {
    const cooldown = new Cooldown(0, () => new Date(0));
    expect([cooldown.take('a'), cooldown.take('a')]).toEqual([0, 0]);
  });

  it('gives back a turn, restoring the time of the question before', () => {
    let now = 0;
    const cooldown = new Cooldown(5, () => new Date(now));
    cooldown.take('a');
    now = 6000;
    cooldown.take('a');
    cooldown.giveBack('a');
    now = 7000;
    expect(cooldown.take('a')).toBe(0);
    cooldown.giveBack('a');
    cooldown.giveBack('a');
    expect(cooldown.take('a')).toBe(0);
  });
});
