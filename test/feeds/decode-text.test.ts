import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { charsetOf, decodeBody } from '../../src/feeds/decode-text.ts';

const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');

describe('decodeBody', () => {
  it('reads the charset the Content-Type names', () => {
    expect(decodeBody(latin1('Café à Malmö'), 'ISO-8859-1')).toBe('Café à Malmö');
    // windows-1252's curly quotes, which ISO-8859-1 labels mean in practice.
    expect(decodeBody(Buffer.from([0x93, 0x68, 0x69, 0x94]), 'iso-8859-1')).toBe('“hi”');
  });

  it('else the XML declaration or the HTML meta charset', () => {
    expect(decodeBody(latin1('<?xml version="1.0" encoding="ISO-8859-1"?><rss><title>Malmö</title></rss>'), null)).toContain('Malmö');
    expect(decodeBody(latin1('<html><head><meta charset="windows-1252"><title>Café</title>'), null)).toContain('Café');
    expect(
      decodeBody(latin1('<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head><p>Café</p>'), null),
    ).toContain('<p>Café</p>');
  });

  it('reads a document that declares UTF-16 in its own ASCII-readable text as UTF-8, as the encoding standard does', () => {
    expect(decodeBody(Buffer.from('<?xml version="1.0" encoding="UTF-16"?><rss><title>Café abc</title></rss>'), null)).toContain(
      '<title>Café abc</title>',
    );
    expect(decodeBody(Buffer.from('<html><head><meta charset="utf-16be"><title>Café</title>'), null)).toContain('<title>Café</title>');
  });

  it('lets a byte order mark win, and reads UTF-8 when nothing is said or the label is unknown', () => {
    expect(decodeBody(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Malmö')]), 'iso-8859-1')).toBe('Malmö');
    expect(decodeBody(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Malmö', 'utf16le')]), null)).toBe('Malmö');
    expect(decodeBody(Buffer.from('Malmö'), null)).toBe('Malmö');
    expect(decodeBody(Buffer.from('Malmö'), 'no-such-charset')).toBe('Malmö');
  });

  it('never throws, whatever the bytes and the label', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.option(fc.string({ maxLength: 20 })), (bytes, label) => {
        expect(typeof decodeBody(bytes, label)).toBe('string');
      }),
    );
  });
});

describe('charsetOf', () => {
  it('reads the charset parameter of a Content-Type', () => {
    expect(charsetOf('text/xml; charset=ISO-8859-1')).toBe('ISO-8859-1');
    expect(charsetOf('application/rss+xml;charset="utf-8"')).toBe('utf-8');
    expect(charsetOf('application/rss+xml')).toBeNull();
    expect(charsetOf(undefined)).toBeNull();
  });
});
