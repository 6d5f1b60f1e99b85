/**
 * Small made-up articles for the end-to-end tests (relative path → file text). Their words are
 * chosen not to overlap with the sample article, so each question has one obvious source.
 */

/** The sample article as the bot shows it in lists (its title is its first sentence, cut). */
export const SEED = {
  id: '000_ebfcda1f30342ff9',
  title: 'Syrian President Bashar Assad has accused Turkey of being responsible for the recent surge in…',
  date: '2023-11-06',
} as const;

/** A Markdown article with a url and a source, and Markdown characters in its title. */
export const GAZETTE = {
  path: 'gazette/ellery-harbour.md',
  id: 'gazette/ellery-harbour',
  title: 'Port Ellery harbour wall *repaired* after [winter] storms',
  url: 'https://news.example.com/port-ellery/harbour-wall',
  text: `---
title: "Port Ellery harbour wall *repaired* after [winter] storms"
date: 2024-02-14
url: https://news.example.com/port-ellery/harbour-wall
source: Ellery Gazette
author: Mara Quinn
---
The harbour wall at Port Ellery has been repaired at a cost of £2.4m, the town council said on Tuesday.

Engineers from Calder Marine spent 11 weeks rebuilding a 90-metre section of the wall that January storms had breached.

Fishing boats will return to the inner basin from 1 March, the harbour master said.
`,
} as const;

const TIDE_WEEKS = 30;

/**
 * Thirty headline-format articles whose titles share "tide table" and run past 100 characters, so
 * that autocomplete has more than 25 matches and must cut every name.
 */
export function tideTables(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let week = 1; week <= TIDE_WEEKS; week += 1) {
    const n = String(week).padStart(2, '0');
    files[`tides/week-${n}.txt`] =
      `Tide table for Wexcombe pier, week ${n}: high and low water times, gauge readings and notes from the pier office\n\n` +
      `In week ${n} the gauge at Wexcombe pier read a highest tide of ${(4 + week / 10).toFixed(1)} metres.\n\n` +
      `The pier office logged ${week + 3} vessel movements during week ${n}.\n`;
  }
  return files;
}

/** Added to the seeds folder while the bot runs; only a reindex makes them answerable. */
export const LATE = {
  glacier: {
    path: 'late/glacier.md',
    id: 'late/glacier',
    question: 'How far did the Morvath glacier retreat last summer?',
    text: `---
title: Morvath glacier retreats 38 metres in one summer
date: 2024-09-02
---
Surveyors found that the Morvath glacier retreated 38 metres last summer, the fastest loss since records began.
`,
  },
  observatory: {
    path: 'late/observatory.md',
    id: 'late/observatory',
    question: 'Which comet did the Kestrel Ridge observatory discover?',
    answerWords: 'comet Halvorsen-7',
    text: `---
title: Kestrel Ridge observatory discovers a comet
date: 2024-10-11
---
Astronomers at the Kestrel Ridge observatory discovered comet Halvorsen-7 on 9 October, the first comet found there in 40 years.
`,
  },
} as const;

const WORDS = [
  'council', 'budget', 'river', 'bridge', 'school', 'library', 'market', 'railway', 'festival', 'museum',
  'orchard', 'harvest', 'ferry', 'tunnel', 'hospital', 'stadium', 'reservoir', 'quarry', 'canal', 'airport',
] as const; // prettier-ignore

/**
 * `count` synthetic articles (a few paragraphs each, with figures), enough that rebuilding the
 * index takes a noticeable moment.
 */
export function syntheticArticles(count: number, folder = 'bulk'): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i += 1) {
    const word = (k: number): string => WORDS[(i * 7 + k * 3) % WORDS.length] ?? 'town';
    const town = `Town${String(i).padStart(4, '0')}`;
    const paragraphs = Array.from(
      { length: 6 },
      (_, p) =>
        `The ${word(p)} in ${town} received ${(i % 90) + p + 2} new ${word(p + 1)} grants worth £${(i % 40) + p + 1}m in ${2000 + ((i + p) % 24)}, ` +
        `officials said. About ${(i * 13 + p * 7) % 100}% of residents backed the ${word(p + 2)} plan after ${p + 3} public meetings.`,
    );
    files[`${folder}/${String(i).padStart(4, '0')}.txt`] = `${town} ${word(0)} report\n\n${paragraphs.join('\n\n')}\n`;
  }
  return files;
}
