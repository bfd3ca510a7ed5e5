/**
 * Google's batch HTTP format (`POST /batch/compute/v1`, `multipart/mixed`): each part is an `application/http`
 * message holding one request; the answer is a `multipart/mixed` body of `application/http` responses in the
 * same order, each with `Content-ID: <response-ID>` for the request's `Content-ID: <ID>`.
 */
export interface BatchPart {
  contentId?: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface BatchAnswer {
  contentId?: string;
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: string;
}

export class BatchFormatError extends Error {}

export function boundaryOf(contentType: string | undefined): string | null {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return match ? ((match[1] ?? match[2]) as string) : null;
}

function splitHead(text: string): { head: string[]; rest: string } {
  const normalized = text.replace(/\r\n/g, '\n');
  const end = normalized.indexOf('\n\n');
  if (end < 0) return { head: normalized.split('\n').filter(Boolean), rest: '' };
  return { head: normalized.slice(0, end).split('\n'), rest: normalized.slice(end + 2) };
}

function headerMap(lines: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

export function parseBatch(body: string, boundary: string): BatchPart[] {
  const delimiter = `--${boundary}`;
  const sections = body.split(delimiter).slice(1);
  const parts: BatchPart[] = [];
  for (const section of sections) {
    if (section.startsWith('--')) break;
    const trimmed = section.replace(/^\r?\n/, '');
    const outer = splitHead(trimmed);
    const outerHeaders = headerMap(outer.head);
    const inner = splitHead(outer.rest);
    const requestLine = /^([A-Z]+)\s+(\S+)(?:\s+HTTP\/\d\.\d)?$/.exec((inner.head[0] ?? '').trim());
    if (!requestLine) throw new BatchFormatError('Each batch part must hold one HTTP request.');
    let path = requestLine[2] as string;
    if (/^https?:\/\//.test(path)) path = path.replace(/^https?:\/\/[^/]+/, '');
    parts.push({
      contentId: outerHeaders['content-id']?.replace(/^<|>$/g, ''),
      method: requestLine[1] as string,
      path,
      headers: headerMap(inner.head.slice(1)),
      body: inner.rest.replace(/\r?\n$/, ''),
    });
  }
  if (parts.length === 0) throw new BatchFormatError('The batch request holds no part.');
  return parts;
}

export function formatBatch(answers: readonly BatchAnswer[], boundary: string): string {
  const chunks = answers.map((answer) => {
    const headers = Object.entries(answer.headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    return (
      `--${boundary}\r\nContent-Type: application/http\r\n` +
      (answer.contentId ? `Content-ID: <response-${answer.contentId}>\r\n` : '') +
      `\r\nHTTP/1.1 ${answer.status} ${answer.statusText}\r\n${headers}\r\n${answer.body}\r\n`
    );
  });
  return `${chunks.join('')}--${boundary}--\r\n`;
}
