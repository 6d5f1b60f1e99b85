/** Reading a REST request's body: JSON, text, or multipart/form-data with files. */
import type { IncomingMessage } from 'node:http';
import type { RecordedFile } from './types.ts';

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

interface MultipartPart {
  readonly name: string;
  readonly filename: string | null;
  readonly contentType: string;
  readonly data: Buffer;
}

/** A small multipart/form-data parser (enough for what undici's FormData produces). */
function parseMultipart(raw: Buffer, contentType: string): MultipartPart[] {
  const boundaryMatch = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = boundaryMatch?.[1] ?? boundaryMatch?.[2];
  if (boundary === undefined) return [];
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let index = raw.indexOf(delimiter);
  while (index !== -1) {
    const afterDelimiter = index + delimiter.length;
    if (raw.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') break;
    const start = afterDelimiter + 2; // CRLF
    const next = raw.indexOf(delimiter, start);
    if (next === -1) break;
    const part = raw.subarray(start, next - 2); // without the CRLF before the next delimiter
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const disposition = /content-disposition:[^\r\n]*/i.exec(headers)?.[0] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? '';
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1] ?? null;
    const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1] ?? (filename === null ? 'text/plain' : 'application/octet-stream');
    parts.push({ name, filename, contentType: type.trim(), data: Buffer.from(part.subarray(headerEnd + 4)) });
    index = next;
  }
  return parts;
}

export function parseBody(
  raw: Buffer,
  contentType: string | null,
): { body: unknown; formFields: Record<string, string>; files: RecordedFile[] } {
  const formFields: Record<string, string> = {};
  const files: RecordedFile[] = [];
  if (raw.length === 0) return { body: undefined, formFields, files };
  const text = raw.toString('utf8');
  if (contentType?.startsWith('multipart/form-data')) {
    for (const part of parseMultipart(raw, contentType)) {
      if (part.filename === null) formFields[part.name] = part.data.toString('utf8');
      else
        files.push({ field: part.name, filename: part.filename, contentType: part.contentType, size: part.data.length, data: part.data });
    }
    const payload = formFields.payload_json;
    return { body: payload === undefined ? undefined : (JSON.parse(payload) as unknown), formFields, files };
  }
  if (contentType?.includes('json') ?? /^\s*[[{]/.test(text)) {
    try {
      return { body: JSON.parse(text) as unknown, formFields, files };
    } catch {
      return { body: text, formFields, files };
    }
  }
  return { body: text, formFields, files };
}
