import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';

/** Elements whose text is never article text. */
const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'iframe', 'object', 'embed', 'svg', 'canvas', 'button', 'form', 'nav']);
/** Elements that end a paragraph. */
const BLOCKS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'dd',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'tr',
  'ul',
  'br',
]);

interface DomNode {
  readonly nodeType: number;
  readonly nodeName: string;
  readonly textContent: string | null;
  readonly childNodes: ArrayLike<DomNode>;
}

/** The little of linkedom's DOM used here (the project's TypeScript has no DOM library types). */
interface HtmlDocument {
  readonly body: DomNode;
  readonly head: { appendChild(node: unknown): unknown };
  createElement(name: string): { setAttribute(name: string, value: string): void };
}

const parseDocument = (html: string): HtmlDocument => (parseHTML as unknown as (html: string) => { document: HtmlDocument })(html).document;

const TEXT_NODE = 3;
const ELEMENT_NODE = 1;

/**
 * Discord mention syntax (`<@123>`, `<@&123>`, `<#123>`, `</cmd:123>`) has no meaning in a news article;
 * `@everyone` and `@here` get a zero-width joiner so they can never ping, wherever the text goes.
 */
export function defuseMentions(text: string): string {
  return text.replace(/<(?:@[!&]?|#|\/[\w -]+:)\d+>/gu, '').replace(/@(everyone|here)\b/giu, '@\u2060$1');
}

/** Collapses whitespace, drops control characters, defuses mentions. */
function tidy(text: string): string {
  return (
    defuseMentions(text)
      // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/gu, '')
      .replace(/\s+/gu, ' ')
      .trim()
  );
}

/**
 * The text of an HTML fragment as paragraphs: tags dropped, entities decoded, scripts and styles
 * ignored, one paragraph per block element. Never returns markup.
 *
 * @example htmlToParagraphs('<p>One &amp; two</p><p>Three<script>x()</script></p>') // ['One & two', 'Three']
 */
export function htmlToParagraphs(html: string): string[] {
  const document = parseDocument(`<!doctype html><html><body>${html}</body></html>`);
  const paragraphs: string[] = [];
  let current = '';
  const flush = (): void => {
    const text = tidy(current);
    if (text.length > 0) paragraphs.push(text);
    current = '';
  };
  const walk = (node: DomNode): void => {
    if (node.nodeType === TEXT_NODE) {
      current += node.textContent ?? '';
      return;
    }
    if (node.nodeType !== ELEMENT_NODE) return;
    const name = node.nodeName.toLowerCase();
    if (SKIPPED.has(name)) return;
    const block = BLOCKS.has(name);
    if (block) flush();
    for (const child of Array.from(node.childNodes)) walk(child);
    if (block) flush();
    else if (name === 'td' || name === 'th') current += ' ';
  };
  walk(document.body);
  flush();
  return paragraphs;
}

/** Plain text (as in JSON Feed's `content_text`) as paragraphs, split on blank lines. */
export function textToParagraphs(text: string): string[] {
  return text
    .split(/\r?\n[ \t]*(?:\r?\n[ \t]*)+/u)
    .map(tidy)
    .filter((p) => p.length > 0);
}

/**
 * The main text of a web page, found by Mozilla's Readability (the Firefox reader view), as
 * paragraphs; null when the page has no recognisable article.
 */
export function extractArticleParagraphs(html: string, url: string): string[] | null {
  const document = parseDocument(html);
  // Readability resolves relative links against the document's URL; linkedom has none, so set a base.
  const base = document.createElement('base');
  base.setAttribute('href', url);
  document.head.appendChild(base);
  const article = new Readability(document, { charThreshold: 200 }).parse();
  const content = article?.content;
  if (typeof content !== 'string' || content.length === 0) return null;
  const paragraphs = htmlToParagraphs(content);
  return paragraphs.length > 0 ? paragraphs : null;
}
