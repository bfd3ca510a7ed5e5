// A long text kept as chunks of moderate size. A string of many megabytes is a fresh allocation that the
// process pays for page by page each time; chunks stay in the ordinary heap, and a text put together from
// them with + is a rope that costs nothing until it is read.

/** Chunks are closed once past this many characters (below V8's large-object size). */
const CHUNK_LENGTH = 16 * 1024;

export interface ChunkedText {
  readonly chunks: readonly string[];
  /** Where chunk i starts in the whole text; one more entry, the whole length. */
  readonly chunkStarts: readonly number[];
}

export class ChunkedTextBuilder {
  /** chunkLength is there for tests; the default suits the heap. */
  constructor(private readonly chunkLength = CHUNK_LENGTH) {}

  private readonly chunks: string[] = [];
  private readonly chunkStarts: number[] = [0];
  private pending: string[] = [];
  private pendingLength = 0;
  private flushedLength = 0;

  /** The length of the text so far. */
  get length(): number {
    return this.flushedLength + this.pendingLength;
  }

  /** Appends lines, each followed by a newline. */
  addLines(lines: readonly string[]): void {
    for (const line of lines) {
      this.pending.push(line);
      this.pendingLength += line.length + 1;
    }
    if (this.pendingLength >= this.chunkLength) this.flush();
  }

  /** Appends text as it is. */
  addText(text: string): void {
    this.flush();
    this.push(text);
  }

  build(): ChunkedText {
    this.flush();
    return { chunks: this.chunks, chunkStarts: this.chunkStarts };
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.pending.push('');
    const text = this.pending.join('\n');
    this.pending = [];
    this.pendingLength = 0;
    this.push(text);
  }

  private push(text: string): void {
    if (text === '') return;
    this.chunks.push(text);
    this.flushedLength += text.length;
    this.chunkStarts.push(this.flushedLength);
  }
}

/** Lines as rendered (each followed by a newline), in chunks. */
export function chunkLines(lines: readonly string[]): readonly string[] {
  const builder = new ChunkedTextBuilder();
  builder.addLines(lines);
  return builder.build().chunks;
}

/** The last chunk starting at or before position. */
function chunkAt(text: ChunkedText, position: number): number {
  let low = 0;
  let high = text.chunks.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    if ((text.chunkStarts[middle] ?? 0) <= position) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** Appends the characters [start, end) of the text to parts, as whole chunks or slices of them. */
export function appendRange(text: ChunkedText, start: number, end: number, parts: string[]): void {
  let position = start;
  for (let index = chunkAt(text, start); position < end; index++) {
    const chunk = text.chunks[index] ?? '';
    const chunkStart = text.chunkStarts[index] ?? 0;
    const stop = Math.min(end, chunkStart + chunk.length);
    parts.push(
      position === chunkStart && stop === chunkStart + chunk.length
        ? chunk
        : chunk.slice(position - chunkStart, stop - chunkStart),
    );
    position = stop;
  }
}

/** The parts as one string: a rope of them, not a copy. */
export function concatenate(parts: readonly string[]): string {
  let text = '';
  for (const part of parts) text += part;
  return text;
}
