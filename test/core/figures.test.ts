import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractFigures } from '../../src/core/figures/index.ts';
import type { FigureKind } from '../../src/core/types.ts';

interface Summary {
  readonly text: string;
  readonly kind: FigureKind;
  readonly value: number | null;
  readonly unit: string | null;
  readonly currency?: string;
}

/** Figures without offsets, which are checked separately, so expectations stay readable. */
function summaries(text: string): Summary[] {
  return extractFigures(text).map((f) => {
    const s = { text: f.text, kind: f.kind, value: f.value, unit: f.unit };
    return f.currency === undefined ? s : { ...s, currency: f.currency };
  });
}

const fig = (text: string, kind: FigureKind, value: number | null, unit: string | null, currency?: string): Summary =>
  currency === undefined ? { text, kind, value, unit } : { text, kind, value, unit, currency };

const KINDS: readonly FigureKind[] = ['count', 'percent', 'money', 'year', 'date', 'duration', 'age', 'score', 'quantity'];

describe('extractFigures', () => {
  it('finds the figures of the seed article with their units and modifiers', () => {
    const seed = readFileSync(new URL('../../seeds/000_ebfcda1f30342ff9.txt', import.meta.url), 'utf8');
    expect(summaries(seed)).toEqual([
      fig('2023-11-06', 'date', 20231106, null),
      fig('2016', 'year', 2016, null),
      fig('in May', 'date', 500, null),
      fig('half a million people', 'count', 500000, 'people'),
      fig('over a million injuries', 'count', 1e6, 'injuries'),
      fig('half of the country’s prewar population', 'quantity', 0.5, 'population'),
      fig('more than 5 million Syrians', 'count', 5e6, 'Syrians'),
    ]);
  });

  it('reports offsets into the input, so text is always input.slice(start, end)', () => {
    const input = 'It lost 464,000 subscribers in the fourth quarter.';
    expect(extractFigures(input)).toEqual([
      { text: '464,000 subscribers', start: 8, end: 27, value: 464000, unit: 'subscribers', kind: 'count' },
    ]);
  });

  it('keeps a bracketed currency conversion with the money it converts', () => {
    expect(
      summaries(
        'Quarterly profits at US media giant TimeWarner jumped 76% to $1.13bn (£600m) for the three months to December, from $639m year-earlier.',
      ),
    ).toEqual([
      fig('76%', 'percent', 76, '%'),
      fig('$1.13bn (£600m)', 'money', 1.13e9, 'USD', 'USD'),
      fig('three months', 'duration', 3, 'months'),
      fig('$639m', 'money', 639e6, 'USD', 'USD'),
    ]);
    expect(summaries('Net profit was $186m (£98m; 143m euros) in the quarter, compared with $1.13bn in the same period in 2003.')).toEqual([
      fig('$186m (£98m; 143m euros)', 'money', 186e6, 'USD', 'USD'),
      fig('$1.13bn', 'money', 1.13e9, 'USD', 'USD'),
      fig('2003', 'year', 2003, null),
    ]);
  });

  it.each<[string, Summary[]]>([
    [
      'China lent Russia $6bn (£3.2bn) to help the Russian government renationalise the key Yuganskneftegas unit of oil group Yukos.',
      [fig('$6bn (£3.2bn)', 'money', 6e9, 'USD', 'USD')],
    ],
    [
      'Cameroon says widespread corruption in its finance ministry has cost it 1bn CFA francs ($2m; £1m) a month.',
      [fig('1bn CFA francs ($2m; £1m) a month', 'money', 1e9, 'XAF', 'XAF')],
    ],
    [
      'An ex-chief financial officer at Boeing has received a four-month jail sentence and a fine of $250,000 (£131,961).',
      [fig('four-month', 'duration', 4, 'months'), fig('$250,000 (£131,961)', 'money', 250000, 'USD', 'USD')],
    ],
    [
      'With a price tag under £80,000, the V8 Vantage is tens of thousands of pounds cheaper than existing Aston models.',
      [fig('under £80,000', 'money', 80000, 'GBP', 'GBP'), fig('tens of thousands of pounds', 'money', null, 'GBP', 'GBP')],
    ],
    ['Crude oil prices surged back above the $47 a barrel mark on Thursday.', [fig('$47 a barrel', 'money', 47, 'USD', 'USD')]],
    ['An offer of 950p a share would be fair if a bidding battle did not break out.', [fig('950p a share', 'money', 9.5, 'GBP', 'GBP')]],
    [
      'Sales rose to $805m, up from $393m a year earlier, and costs to £2m a month.',
      [
        fig('$805m', 'money', 805e6, 'USD', 'USD'),
        fig('$393m', 'money', 393e6, 'USD', 'USD'),
        fig('£2m a month', 'money', 2e6, 'GBP', 'GBP'),
      ],
    ],
    [
      'It paid £5m a year ago and £6m a week before the sale.',
      [fig('£5m', 'money', 5e6, 'GBP', 'GBP'), fig('£6m', 'money', 6e6, 'GBP', 'GBP')],
    ],
    // Before a bare noun, "before" and "after" qualify the rate: still money a year, a week.
    [
      'He earns £30,000 a year before tax; families lose £20 a week after housing costs.',
      [fig('£30,000 a year', 'money', 30000, 'GBP', 'GBP'), fig('£20 a week', 'money', 20, 'GBP', 'GBP')],
    ],
    [
      'HK$327m (US$42m; £22m), less than 1% up on the year.',
      [fig('HK$327m (US$42m; £22m)', 'money', 327e6, 'HKD', 'HKD'), fig('less than 1%', 'percent', 1, '%')],
    ],
    ['It disclosed a 4bn-euro hole in its accounts.', [fig('4bn-euro', 'money', 4e9, 'EUR', 'EUR')]],
  ])('reads money: %s', (text, expected) => {
    expect(summaries(text)).toEqual(expected);
  });

  it.each<[string, Summary[]]>([
    [
      'About 500 officials are accused of either awarding themselves extra money or claiming salaries.',
      [fig('About 500 officials', 'count', 500, 'officials')],
    ],
    [
      'A box set featuring 68 unreleased Nirvana tracks has gone on sale in the US, after years of legal wrangles.',
      [fig('68 unreleased Nirvana tracks', 'count', 68, 'tracks')],
    ],
    ['The peers voted by 229 to 206 to say in law that lord chancellors must also be peers.', [fig('229 to 206', 'count', 229, null)]],
    [
      'The Tories should focus on trying to increase their Commons presence by 25 to 30 seats.',
      [fig('25 to 30 seats', 'count', 25, 'seats')],
    ],
    [
      "Christians make up about two per cent of India's population of more than a billion people.",
      [fig('about two per cent', 'percent', 2, '%'), fig('more than a billion people', 'count', 1e9, 'people')],
    ],
    ['Krivorizhstal is one of dozens of firms which he says were sold cheaply.', [fig('dozens of firms', 'count', null, 'firms')]],
    [
      'Hundreds of thousands of fans came and a dozen cars were burnt.',
      [fig('Hundreds of thousands of fans', 'count', null, 'fans'), fig('a dozen cars', 'count', 12, 'cars')],
    ],
    ['twenty-five people died', [fig('twenty-five people', 'count', 25, 'people')]],
    ['The company will create 1,000 new jobs.', [fig('1,000 new jobs', 'count', 1000, 'jobs')]],
    ['He sold 2000 copies.', [fig('2000 copies', 'count', 2000, 'copies')]],
  ])('reads counts: %s', (text, expected) => {
    expect(summaries(text)).toEqual(expected);
  });

  it.each<[string, Summary[]]>([
    [
      'Whilst 17% of men in the industry had no qualifications, this was true for only five per cent of women.',
      [fig('17%', 'percent', 17, '%'), fig('only five per cent', 'percent', 5, '%')],
    ],
    [
      'It fell 3.5 percentage points to 12 per cent.',
      [fig('3.5 percentage points', 'percent', 3.5, 'percentage points'), fig('12 per cent', 'percent', 12, '%')],
    ],
    [
      'Profits rose 2% to $11.1bn in 2004.',
      [fig('2%', 'percent', 2, '%'), fig('$11.1bn', 'money', 11.1e9, 'USD', 'USD'), fig('2004', 'year', 2004, null)],
    ],
    ['Prices rose by 10-15% this year.', [fig('10-15%', 'percent', 10, '%')]],
  ])('reads percentages: %s', (text, expected) => {
    expect(summaries(text)).toEqual(expected);
  });

  it.each<[string, Summary[]]>([
    ['Ireland are going for their first Grand Slam since 1948.', [fig('1948', 'year', 1948, null)]],
    ['The economy had stagnated throughout the 1990s.', [fig('1990s', 'year', 1990, null)]],
    [
      "Strachan left St Mary's in February, before the end of the 2003-04 season.",
      [fig('in February', 'date', 200, null), fig('2003-04', 'year', 2003, null)],
    ],
    ['The Academy Awards ceremony will be held in Hollywood on 27 February.', [fig('27 February', 'date', 227, null)]],
    [
      'Pipa conducted the poll from 15 November 2004 to 3 January 2005 across 22 countries.',
      [
        fig('15 November 2004', 'date', 20041115, null),
        fig('3 January 2005', 'date', 20050103, null),
        fig('22 countries', 'count', 22, 'countries'),
      ],
    ],
    [
      'Sales grew 1.9% in December 2004 and fell on January 12, 2005.',
      [fig('1.9%', 'percent', 1.9, '%'), fig('December 2004', 'date', 20041200, null), fig('January 12, 2005', 'date', 20050112, null)],
    ],
    ['The trial is expected to open next March, not mid-June.', [fig('next March', 'date', 300, null), fig('mid-June', 'date', 600, null)]],
  ])('reads years and dates: %s', (text, expected) => {
    expect(summaries(text)).toEqual(expected);
  });

  it.each<[string, Summary[]]>([
    ['He will have to wait 48 hours before knowing the state of his injury.', [fig('48 hours', 'duration', 48, 'hours')]],
    [
      'Chepkemei, who won the six kilometre event three years ago, was outsprinted in the final 400m.',
      [fig('six kilometre', 'quantity', 6, 'km'), fig('three years', 'duration', 3, 'years'), fig('400m', 'quantity', 400, 'm')],
    ],
    [
      'The IEA raised its estimate of 2005 oil demand growth by 80,000 barrels a day to 84 million barrels a day.',
      [
        fig('2005', 'year', 2005, null),
        fig('80,000 barrels a day', 'quantity', 80000, 'barrels a day'),
        fig('84 million barrels a day', 'quantity', 84e6, 'barrels a day'),
      ],
    ],
    [
      'He was jailed for two and a half years, half an hour after the verdict.',
      [fig('two and a half years', 'duration', 2.5, 'years'), fig('half an hour', 'duration', 0.5, 'hours')],
    ],
    ['Idowu landed 17.30m at the British trials.', [fig('17.30m', 'quantity', 17.3, 'm')]],
    ['The ship turned 90° to port.', [fig('90°', 'quantity', 90, 'degrees')]],
  ])('reads durations and measures: %s', (text, expected) => {
    expect(summaries(text)).toEqual(expected);
  });

  it.each<[string, Summary[]]>([
    ["Charlie Bell, the former head of McDonald's, has died of cancer aged 44.", [fig('aged 44', 'age', 44, 'years')]],
    [
      'A New York court ruled that former FBI man Jeffrey Royer, 41, fed damaging information to Anthony Elgindy, 36.',
      [fig('41', 'age', 41, 'years'), fig('36', 'age', 36, 'years')],
    ],
    ['The 24-year-old Reds skipper will miss the last 16.', [fig('24-year-old', 'age', 24, 'years')]],
    ['She is 44 years old.', [fig('44 years old', 'age', 44, 'years')]],
  ])('reads ages: %s', (text, expected) => {
    expect(summaries(text)).toEqual(expected);
  });

  it.each<[string, Summary[]]>([
    ['The Croatian eighth seed booked his place in the last four with a 7-5 6-4 victory.', [fig('7-5 6-4', 'score', 7, null)]],
    ["Williams survived an early scare to beat Russia's Elena Bovina 1-6 6-1 6-4.", [fig('1-6 6-1 6-4', 'score', 1, null)]],
    ['Mikhail Youzhny lost 6-3 7-6 (7-3) to Rafael Nadal.', [fig('6-3 7-6 (7-3)', 'score', 6, null)]],
    ['Arsenal won 3-0 against Chelsea.', [fig('3-0', 'score', 3, null)]],
  ])('reads scores: %s', (text, expected) => {
    expect(summaries(text)).toEqual(expected);
  });

  it.each<[string, Summary[]]>([
    [
      'The number of people out of work rose 32,000 to 1.41 million in the last three months.',
      [fig('32,000', 'count', 32000, null), fig('1.41 million', 'count', 1.41e6, null), fig('three months', 'duration', 3, 'months')],
    ],
    [
      'The Library receives between three and four million requests from remote users.',
      [fig('between three and four million requests', 'count', 3e6, 'requests')],
    ],
    ['On Monday, MPs voted 272-219 in favour of the Bill.', [fig('272-219', 'count', 272, null)]],
    [
      'Sales will fall by up to 15%, or two to three million units, in 2005-06.',
      [fig('up to 15%', 'percent', 15, '%'), fig('two to three million units', 'count', 2e6, 'units'), fig('2005-06', 'year', 2005, null)],
    ],
  ])('reads ranges and tallies: %s', (text, expected) => {
    expect(summaries(text)).toEqual(expected);
  });

  it.each<[string, Summary[]]>([
    [
      'By 2014, one in four Turks - or about 18 million people - will be aged 14 or less.',
      [
        fig('2014', 'year', 2014, null),
        fig('one in four Turks', 'quantity', 0.25, 'Turks'),
        fig('about 18 million people', 'count', 18e6, 'people'),
        fig('aged 14', 'age', 14, 'years'),
      ],
    ],
    [
      "Consumer spending accounts for about two-thirds of Italy's economy.",
      [fig("about two-thirds of Italy's economy", 'quantity', 2 / 3, 'economy')],
    ],
    [
      'The other half of the firm was sold, but three quarters of the vote went to him.',
      [fig('three quarters of the vote', 'quantity', 0.75, 'vote')],
    ],
  ])('reads ratios and fractions: %s', (text, expected) => {
    expect(summaries(text)).toEqual(expected);
  });

  it.each([
    'It is one of the biggest firms, and no one knew.',
    'Sales in the third quarter rose for a second time.',
    'She bought a car and an apple.',
    "Ryanair deputy chief executive Michael Cawley told Radio 4's Today programme.",
    'The Xbox 360, the PlayStation 2, MP3 players and 3G phones.',
    'It happened on 9/11, at 10:30 and again at 9pm.',
    'The 21st century began with the G8 summit.',
    'Formula One and Channel 4 were there.',
    'Boro booked their place in the last 16.',
    'Hodgson took over the number 10 shirt in the internationals.',
    'The top 10 was dominated by 50 Cent.',
    'Hundreds were there, and thousands more watched.',
    'One day, he said, the first half of the year would be forgotten.',
    'It used a 4-4-2 formation and a 20-man squad.',
    'Chairman David Bonderman said that the 737-800 had reduced costs.',
    'Hugh Jackman has odds of 8-1 at William Hill.',
    'Alan Shearer (250) and Andy Cole (173) scored for Newcastle.',
    'The team arrived at 1330, before the kick-off at 0950 GMT.',
  ])('finds nothing in %j', (text) => {
    expect(summaries(text)).toEqual([]);
  });

  it.each<[string, Summary[]]>([
    ['The Duchy of Normandy, which began in 911 as a fiefdom, was established by treaty.', [fig('911', 'year', 911, null)]],
    ['A third attack in 1185, when a large Norman army invaded Dyrrachium.', [fig('1185', 'year', 1185, null)]],
    ['In 1066, Duke William II of Normandy conquered England.', [fig('1066', 'year', 1066, null)]],
    ['The garrison resisted until February 1082, when the city was betrayed.', [fig('February 1082', 'date', 10820200, null)]],
    // Without a time word before it, or with a noun after it, an old-looking number is a count.
    [
      'There were 911 cases and police answered 999 calls in 300 towns.',
      [fig('911 cases', 'count', 911, 'cases'), fig('999 calls', 'count', 999, 'calls'), fig('300 towns', 'count', 300, 'towns')],
    ],
  ])('reads years before 1800 only after a word of time: %s', (text, expected) => {
    expect(summaries(text)).toEqual(expected);
  });

  it.each<[string, Summary[]]>([
    ['The Saxons, who in the 10th and 11th centuries gave their laws to Wessex.', [fig('10th and 11th centuries', 'year', 900, null)]],
    ['By the late 16th century the abbey was gone.', [fig('16th century', 'year', 1500, null)]],
    ['Their identity emerged in the first half of the 10th century.', [fig('10th century', 'year', 900, null)]],
    // A century that names an age rather than a time stays a word: "the Walkman of the 21st Century".
    ['Sony billed it as the Walkman of the 21st Century.', []],
  ])('reads centuries in a time phrase as years: %s', (text, expected) => {
    expect(summaries(text)).toEqual(expected);
  });

  it('refuses a figure for "about" used as a preposition before a year', () => {
    expect(summaries('Carlsberg is more optimistic than Heineken about 2005.')).toEqual([fig('2005', 'year', 2005, null)]);
  });

  it('returns nothing for empty or number-free text', () => {
    expect(extractFigures('')).toEqual([]);
    expect(extractFigures('   \n\n  ')).toEqual([]);
    expect(extractFigures('No figures here at all.')).toEqual([]);
  });

  it('keeps offsets right around astral characters and combining marks', () => {
    const input = '𝐀𝐁 café: 76% of 😀 fans paid £5m';
    const figures = extractFigures(input);
    expect(figures.map((f) => f.text)).toEqual(['76%', '£5m']);
    for (const f of figures) expect(input.slice(f.start, f.end)).toBe(f.text);
  });

  it('does not overflow the stack on deeply nested brackets', () => {
    const input = '$1 ('.repeat(20000) + ')'.repeat(20000);
    expect(() => extractFigures(input)).not.toThrow();
  });

  it('keeps its promises on arbitrary text: exact slices, sorted, disjoint, finite, never throws', () => {
    const fragment = fc.oneof(
      fc.constantFrom(
        '£',
        '$',
        'US$',
        '€',
        '¥',
        '%',
        '1,000',
        '7-5',
        '6-4',
        '(7-3)',
        '(',
        ')',
        ';',
        'm',
        'bn',
        'p',
        ' ',
        ' ',
        ' ',
        '-',
        '–',
        '’s',
        "'",
        '2004',
        '2004-05',
        '1990s',
        '12',
        '0.5',
        '1.13',
        '999999999999999999999',
        'January',
        'May',
        'in',
        'on',
        'aged',
        'half',
        'a',
        'an',
        'of',
        'the',
        'one',
        'two',
        'twenty',
        'million',
        'dozens',
        'per cent',
        'percentage points',
        'one in five',
        'years',
        'year-old',
        'km',
        'miles',
        'people',
        'more than',
        'about',
        'between',
        'and',
        'to',
        ',',
        '.',
        '\n',
        'é',
        '𝐀',
        '日本',
        '\u0301',
        '\uD800',
      ),
      fc.string({ maxLength: 8 }),
      fc.string({ unit: 'binary', maxLength: 4 }),
      fc.integer({ min: 0, max: 1e7 }).map(String),
    );
    const input = fc.array(fragment, { maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(input, (text) => {
        const figures = extractFigures(text);
        let previousEnd = 0;
        for (const f of figures) {
          expect(f.text).toBe(text.slice(f.start, f.end));
          expect(f.start).toBeGreaterThanOrEqual(previousEnd);
          expect(f.end).toBeGreaterThan(f.start);
          if (f.value !== null) expect(Number.isFinite(f.value)).toBe(true);
          expect(KINDS).toContain(f.kind);
          expect(f.currency === undefined).toBe(f.kind !== 'money');
          previousEnd = f.end;
        }
      }),
      { numRuns: 2000 },
    );
  });

  it.each<[string, Summary[]]>([
    // "over" after a verb of moving or arguing is a preposition, not "more than".
    ['Wilkinson slotted over four penalties as England won.', [fig('four penalties', 'count', 4, 'penalties')]],
    ['The parties clashed over two new taxes.', [fig('two new taxes', 'count', 2, 'taxes')]],
    ['The charity raised over £5m.', [fig('over £5m', 'money', 5e6, 'GBP', 'GBP')]],
    ['Over 200 people were hurt.', [fig('Over 200 people', 'count', 200, 'people')]],
    [
      'Britain offered £960m over 15 years; he was a friend for over forty years.',
      [
        fig('£960m', 'money', 960e6, 'GBP', 'GBP'),
        fig('15 years', 'duration', 15, 'years'),
        fig('over forty years', 'duration', 40, 'years'),
      ],
    ],
    // A vague plural states no exact value, and "of tonnes" makes it a measure.
    ['China makes millions of tonnes of steel.', [fig('millions of tonnes', 'quantity', null, 'tonnes')]],
    ['The treaty stood for hundreds of years.', [fig('hundreds of years', 'duration', null, 'years')]],
    ['Thousands of people marched.', [fig('Thousands of people', 'count', null, 'people')]],
    ['It cost millions of pounds.', [fig('millions of pounds', 'money', null, 'GBP', 'GBP')]],
    // "at 16" set off by commas after a name, or opening a sentence, is an age.
    ['Rooney, at 16, became the youngest scorer.', [fig('16', 'age', 16, 'years')]],
    ['At 17, he joined Everton.', [fig('17', 'age', 17, 'years')]],
    ['She won a scholarship when she was just 15.', [fig('15', 'age', 15, 'years')]],
    ['He was 15 points clear.', [fig('15 points', 'count', 15, 'points')]],
    // A range of days before a month is a date; "the final 300m" of a race is a distance.
    ['The show runs from 14 to 17 February.', [fig('14 to 17 February', 'date', 214, null)]],
    ['He pulled away in the final 300m.', [fig('300m', 'quantity', 300, 'm')]],
    // Metres per second are a speed; "per hour" may count visits, so "2m per hour" stays two million.
    ['The lift climbs at 17m per second.', [fig('17m per second', 'quantity', 17, 'm per second')]],
    // A word between a number and its unit of time qualifies the span: still a duration.
    ['It takes three working days.', [fig('three working days', 'duration', 3, 'days')]],
    ['Prices rose for five consecutive years.', [fig('five consecutive years', 'duration', 5, 'years')]],
    ['The repairs took 30 man hours.', [fig('30 man hours', 'duration', 30, 'hours')]],
    ['The site had 2m per hour at its peak.', [fig('2m', 'count', 2e6, null)]],
    ['Shares closed at 16, up from 12.', [fig('16', 'count', 16, null), fig('12', 'count', 12, null)]],
    // A partitive is one figure: the part's value, counting the whole's noun.
    ['Three of the five judges dissented.', [fig('Three of the five judges', 'count', 3, 'judges')]],
    ['Twelve of its 40 stores will close.', [fig('Twelve of its 40 stores', 'count', 12, 'stores')]],
    ['3 of 4 votes went his way.', [fig('3 of 4 votes', 'count', 3, 'votes')]],
    // Not partitives: "one of the" names a member, and a part larger than the whole is something else.
    ['One of the three men was freed.', [fig('three men', 'count', 3, 'men')]],
    ['In 30 of the 12 cases nothing happened.', [fig('30', 'count', 30, null), fig('12 cases', 'count', 12, 'cases')]],
  ])('reads what a first-time reader expects: %s', (text, expected) => {
    expect(summaries(text)).toEqual(expected);
  });

  it('keeps its promises on any Unicode text, astral letters, marks and lone surrogates included', () => {
    const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 30 }));
    fc.assert(
      fc.property(anyText, (text) => {
        let previousEnd = 0;
        for (const f of extractFigures(text)) {
          expect(f.text).toBe(text.slice(f.start, f.end));
          expect(f.start).toBeGreaterThanOrEqual(previousEnd);
          expect(f.end).toBeGreaterThan(f.start);
          previousEnd = f.end;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives a null value exactly to vague plurals, and a finite one to everything else', () => {
    const vague = ['dozens', 'scores', 'hundreds', 'thousands', 'millions', 'billions', 'tens of thousands'];
    const phrase = fc.tuple(
      fc.constantFrom('', 'some ', 'over ', 'about ', '£', '$'),
      fc.oneof(
        fc.constantFrom(...vague),
        fc.integer({ min: 1, max: 1e6 }).map(String),
        fc.constantFrom('two', 'a dozen', 'half a million'),
      ),
      fc.constantFrom(' of people', ' of pounds', ' of tonnes', ' of years', ' people', ' years', '%', 'm', ''),
    );
    fc.assert(
      fc.property(fc.array(phrase, { maxLength: 4 }), (parts) => {
        const text = parts.map((p) => `${p.join('')}. `).join('');
        for (const f of extractFigures(text)) {
          const isVague = vague.some((v) => f.text.toLowerCase().includes(v));
          expect(f.value === null, f.text).toBe(isVague);
          if (f.value !== null) expect(Number.isFinite(f.value)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('treats figures the same wherever they sit in a longer text', () => {
    const sentence = 'TimeWarner jumped 76% to $1.13bn (£600m).';
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (prefix) => {
        const padded = `${prefix.replace(/\S/g, 'x')}\n\n${sentence}`;
        const offset = padded.length - sentence.length;
        const shifted = extractFigures(padded).map((f) => ({ ...f, start: f.start - offset, end: f.end - offset }));
        expect(shifted).toEqual(extractFigures(sentence));
      }),
    );
  });
});
