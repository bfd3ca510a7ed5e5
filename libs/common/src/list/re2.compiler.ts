import { Re2SyntaxError } from './re2-syntax.error';
import type { Re2AssertionKind, Re2CharPredicate, Re2Node } from './re2.ast';

/** RE2 rejects programs that are too large; so do we, well before memory matters. */
export const MAX_RE2_INSTRUCTIONS = 10_000;

export type Re2Instruction =
  | { readonly op: 'match' }
  | { readonly op: 'char'; readonly matches: Re2CharPredicate; readonly next: number }
  | { readonly op: 'assert'; readonly kind: Re2AssertionKind; readonly next: number }
  | { readonly op: 'split'; readonly first: number; readonly second: number };

/** A Thompson NFA: instruction 0 is the accepting state. */
export interface Re2Program {
  readonly instructions: readonly Re2Instruction[];
  readonly start: number;
}

type SplitInstruction = { op: 'split'; first: number; second: number };

/** Compiles a parsed expression into an NFA program (continuation-passing, back to front). */
export function compileRe2Program(node: Re2Node): Re2Program {
  const instructions: Re2Instruction[] = [{ op: 'match' }];

  const emit = (instruction: Re2Instruction): number => {
    if (instructions.length >= MAX_RE2_INSTRUCTIONS) {
      throw new Re2SyntaxError('expression too large');
    }
    instructions.push(instruction);
    return instructions.length - 1;
  };

  /** Emits a loop `split(body -> split, next)` and returns the split's index. */
  const emitStar = (item: Re2Node, next: number): number => {
    const split: SplitInstruction = { op: 'split', first: -1, second: next };
    const index = emit(split);
    split.first = compile(item, index);
    return index;
  };

  const compile = (current: Re2Node, next: number): number => {
    switch (current.type) {
      case 'empty':
        return next;
      case 'char':
        return emit({ op: 'char', matches: current.matches, next });
      case 'assertion':
        return emit({ op: 'assert', kind: current.kind, next });
      case 'concat': {
        let pc = next;
        for (let i = current.items.length - 1; i >= 0; i--) {
          pc = compile(current.items[i], pc);
        }
        return pc;
      }
      case 'alternate': {
        const starts = current.items.map((item) => compile(item, next));
        let pc = starts[starts.length - 1];
        for (let i = starts.length - 2; i >= 0; i--) {
          pc = emit({ op: 'split', first: starts[i], second: pc });
        }
        return pc;
      }
      case 'repeat': {
        let pc = next;
        if (current.max === undefined) {
          pc = emitStar(current.item, next);
        } else {
          for (let i = current.min; i < current.max; i++) {
            pc = emit({ op: 'split', first: compile(current.item, pc), second: next });
          }
        }
        for (let i = 0; i < current.min; i++) {
          pc = compile(current.item, pc);
        }
        return pc;
      }
    }
  };

  const start = compile(node, 0);
  return { instructions, start };
}
