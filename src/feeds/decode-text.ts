/**
 * A fetched feed or page as text, in the encoding it is written in. Many feeds and news sites still
 * serve ISO-8859-1 or windows-1252, which read as UTF-8 would turn every "é" into "�". The label
 * (from the Content-Type, the XML declaration or a meta tag) is resolved as browsers resolve it,
 * by the WHATWG Encoding standard that Node's TextDecoder implements ("iso-8859-1" and "latin1"
 * mean windows-1252, whose curly quotes such feeds use), and the bytes decoded by iconv-lite
 * (Node 20's TextDecoder decodes windows-1252 as plain latin1, curly quotes lost).
 */
import { TextDecoder } from 'node:util';
import iconv from 'iconv-lite';

/** Bytes of the document read for its own declaration (the HTML prescan reads 1,024). */
const PRESCAN_BYTES = 1024;
const XML_DECLARATION = /^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/u;
/** `<meta charset="…">` and `<meta http-equiv="Content-Type" content="text/html; charset=…">`. */
const META_CHARSET = /<meta\b[^>]*?\bcharset\s*=\s*["']?([A-Za-z0-9._:-]+)/iu;

/** The `charset` parameter of a Content-Type header, or null. */
export function charsetOf(contentType: string | undefined): string | null {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/iu.exec(contentType ?? '');
  return match?.[1] ?? null;
}

/** The WHATWG name of an encoding label (`latin1` → `windows-1252`), or null for a label it does not know. */
function encodingOf(label: string | null): string | null {
  if (label === null) return null;
  try {
    return new TextDecoder(label).encoding;
  } catch {
    // Not an encoding label: the next clue decides.
    return null;
  }
}

/**
 * Decodes a body: by its byte order mark, else the Content-Type's `charset`, else the document's
 * own declaration (`<?xml … encoding="…"?>` or `<meta charset>`), else as UTF-8. Bytes that are
 * not valid in that encoding become U+FFFD; nothing throws.
 *
 * @example decodeBody(Buffer.from([0x43, 0x61, 0x66, 0xe9]), 'iso-8859-1') // 'Café'
 */
export function decodeBody(body: Uint8Array, charset: string | null): string {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  // A byte order mark wins over every label (and is not part of the text).
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return iconv.decode(bytes, 'utf-8');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return iconv.decode(bytes, 'utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return iconv.decode(bytes, 'utf-16be');
  const head = bytes.subarray(0, PRESCAN_BYTES).toString('latin1');
  const declared = XML_DECLARATION.exec(head)?.[1] ?? META_CHARSET.exec(head)?.[1] ?? null;
  // A declaration read as ASCII cannot be in UTF-16, whatever it says: the encoding standard
  // reads such a document as UTF-8.
  const inDocument = encodingOf(declared);
  const encoding = encodingOf(charset) ?? (inDocument?.startsWith('utf-16') ? 'utf-8' : inDocument) ?? 'utf-8';
  // The few WHATWG encodings iconv-lite lacks (iso-2022-jp): Node's own decoder.
  return iconv.encodingExists(encoding) ? iconv.decode(bytes, encoding) : new TextDecoder(encoding).decode(bytes);
}
