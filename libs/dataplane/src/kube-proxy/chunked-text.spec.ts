import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { ChunkedTextBuilder, appendRange, chunkLines, concatenate } from './chunked-text';

const linesArb = fc.array(fc.string({ maxLength: 12 }), { maxLength: 8 });
const pieceArb = fc.oneof(
  linesArb.map((lines) => ({ lines })),
  fc.string({ maxLength: 30 }).map((text) => ({ text })),
);

describe('ChunkedTextBuilder and appendRange', () => {
  it('give back any range of the text, whatever the chunk size', () => {
    fc.assert(
      fc.property(
        fc.array(pieceArb, { maxLength: 12 }),
        fc.integer({ min: 1, max: 40 }),
        fc.nat(),
        fc.nat(),
        (pieces, chunkLength, a, b) => {
          const builder = new ChunkedTextBuilder(chunkLength);
          let whole = '';
          for (const piece of pieces) {
            if ('lines' in piece) {
              builder.addLines(piece.lines);
              whole += piece.lines.map((line) => `${line}\n`).join('');
            } else {
              builder.addText(piece.text);
              whole += piece.text;
            }
            expect(builder.length).toBe(whole.length);
          }
          const text = builder.build();
          expect(concatenate(text.chunks)).toBe(whole);
          expect(text.chunkStarts.at(-1)).toBe(whole.length);
          const start = whole.length === 0 ? 0 : a % (whole.length + 1);
          const end = start + (whole.length === 0 ? 0 : b % (whole.length - start + 1));
          const parts: string[] = [];
          appendRange(text, start, end, parts);
          expect(parts.join('')).toBe(whole.slice(start, end));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('chunkLines writes each line followed by a newline', () => {
    expect(concatenate(chunkLines(['a', 'b']))).toBe('a\nb\n');
    expect(chunkLines([])).toEqual([]);
  });
});
