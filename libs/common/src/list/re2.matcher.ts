import { isAsciiWordChar } from './re2-char-class';
import { compileRe2Program, type Re2Program } from './re2.compiler';
import { parseRe2 } from './re2.parser';
import type { Re2AssertionKind } from './re2.ast';

const NEWLINE = 0x0a;

/**
 * How much matching one request may do: each step is one NFA instruction visited. Matching is linear in text
 * length x program size, but both can be large (`(a*){1000}` over long descriptions), so a request that would
 * exceed its budget stops with `Re2BudgetExceeded` instead of holding the event loop.
 */
export class Re2Budget {
  constructor(private remaining: number) {}

  spend(steps: number): void {
    this.remaining -= steps;
    if (this.remaining < 0) throw new Re2BudgetExceeded();
  }
}

export class Re2BudgetExceeded extends Error {
  constructor() {
    super('regular expression matching exceeded its budget');
  }
}

/**
 * An RE2-syntax regular expression that answers "does it match the ENTIRE text?"
 * by simulating its NFA (Pike/Thompson), in O(text length x program size) time:
 * there is no backtracking, so no pattern can make it hang.
 *
 * `compile` throws `Re2SyntaxError` for invalid or oversized patterns.
 */
export class Re2Matcher {
  private constructor(
    readonly pattern: string,
    private readonly program: Re2Program,
  ) {}

  static compile(pattern: string): Re2Matcher {
    return new Re2Matcher(pattern, compileRe2Program(parseRe2(pattern)));
  }

  fullMatch(text: string, budget?: Re2Budget): boolean {
    const { instructions, start } = this.program;
    const input = Array.from(text, (char) => char.codePointAt(0) ?? 0);
    const marks = new Int32Array(instructions.length);

    // Each call also costs decoding its text.
    let steps = input.length;
    const addThread = (list: number[], pc: number, position: number): void => {
      const generation = position + 1;
      const stack = [pc];
      while (stack.length > 0) {
        const current = stack.pop() ?? 0;
        steps++;
        if (marks[current] === generation) {
          continue;
        }
        marks[current] = generation;
        const instruction = instructions[current];
        switch (instruction.op) {
          case 'split':
            stack.push(instruction.second, instruction.first);
            break;
          case 'assert':
            if (assertionHolds(instruction.kind, input, position)) {
              stack.push(instruction.next);
            }
            break;
          case 'char':
          case 'match':
            list.push(current);
            break;
        }
      }
    };

    let threads: number[] = [];
    addThread(threads, start, 0);
    for (let position = 0; position < input.length; position++) {
      if (threads.length === 0) {
        return false;
      }
      if (budget && steps > 4096) {
        budget.spend(steps);
        steps = 0;
      }
      const next: number[] = [];
      const codePoint = input[position];
      for (const pc of threads) {
        const instruction = instructions[pc];
        if (instruction.op === 'char' && instruction.matches(codePoint)) {
          addThread(next, instruction.next, position + 1);
        }
      }
      threads = next;
    }
    budget?.spend(steps);
    return threads.some((pc) => instructions[pc].op === 'match');
  }
}

function assertionHolds(kind: Re2AssertionKind, input: readonly number[], position: number): boolean {
  switch (kind) {
    case 'beginText':
      return position === 0;
    case 'endText':
      return position === input.length;
    case 'beginLine':
      return position === 0 || input[position - 1] === NEWLINE;
    case 'endLine':
      return position === input.length || input[position] === NEWLINE;
    case 'wordBoundary':
      return isWordAt(input, position - 1) !== isWordAt(input, position);
    case 'notWordBoundary':
      return isWordAt(input, position - 1) === isWordAt(input, position);
  }
}

function isWordAt(input: readonly number[], index: number): boolean {
  return index >= 0 && index < input.length && isAsciiWordChar(input[index]);
}
