/**
 * Named entities (people, places, organisations) in a sentence, by the `compromise` tagger. Answer
 * extraction reads them to tell whether a name is of the sort a question asks for: "who" is not
 * answered by a country, nor "where" by a person.
 */
import nlp from 'compromise';

export type EntityKind = 'person' | 'place' | 'organization';

/** An entity with its character range in the text tagged. */
export interface Entity {
  readonly kind: EntityKind;
  readonly start: number;
  readonly end: number;
}

interface Offset {
  readonly offset?: { readonly start?: number; readonly length?: number };
}

/**
 * The named entities compromise finds in a text (a sentence: tagging costs a few milliseconds
 * each, so it is done only for the sentences an answer is picked from).
 *
 * @example namedEntities('William II won at Hastings.') // [{ kind: 'person', start: 0, end: 10 }, { kind: 'place', … }]
 */
export function namedEntities(text: string): Entity[] {
  const doc = nlp(text);
  const out: Entity[] = [];
  const add = (kind: EntityKind, found: readonly Offset[]): void => {
    for (const f of found) {
      const start = f.offset?.start ?? 0;
      let end = start + (f.offset?.length ?? 0);
      // compromise's ranges take in the punctuation and space after the last word ("Hastings.").
      while (end > start && /[\s\p{P}]/u.test(text[end - 1] ?? '')) end--;
      out.push({ kind, start, end });
    }
  };
  add('person', doc.people().out('offset') as Offset[]);
  add('place', doc.places().out('offset') as Offset[]);
  add('organization', doc.organizations().out('offset') as Offset[]);
  return out.sort((a, b) => a.start - b.start);
}

/** The kinds of the entities that overlap a character range. */
export function kindsAt(entities: readonly Entity[], start: number, end: number): Set<EntityKind> {
  const kinds = new Set<EntityKind>();
  for (const e of entities) if (e.start < end && start < e.end) kinds.add(e.kind);
  return kinds;
}
