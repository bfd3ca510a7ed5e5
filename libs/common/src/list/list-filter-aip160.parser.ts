import { type Aip160Token, tokenizeAip160 } from './list-filter-aip160.lexer';
import { parseFieldPath } from './list-filter-field-path';
import { ListFilterSyntaxError } from './list-filter-syntax.error';
import type { ListFilterNode } from './list-filter.ast';

/** Parenthesised groups nest at most this deep (keeps recursion far from the stack limit). */
export const MAX_FILTER_NESTING = 64;

const KEYWORDS = new Set(['AND', 'OR', 'NOT']);

/**
 * Recursive-descent parser for the AIP-160 subset Compute Engine documents
 * (https://google.aip.dev/160), with AIP-160 precedence: `OR` binds tighter than
 * `AND`, and juxtaposition is an implicit `AND`.
 *
 *   expression := sequence { "AND" sequence }
 *   sequence   := factor { factor }
 *   factor     := term { "OR" term }
 *   term       := { "NOT" | "-" } simple
 *   simple     := "(" expression ")" | field operator value
 *
 * Bare global restrictions (`foo`) and function calls are not supported; the
 * regex operators `eq`/`ne` are a syntax error here (the grammars cannot be mixed).
 */
export function parseAip160Filter(filter: string): ListFilterNode {
  return new Aip160Parser(tokenizeAip160(filter)).parse();
}

class Aip160Parser {
  private index = 0;
  private depth = 0;

  constructor(private readonly tokens: readonly Aip160Token[]) {}

  parse(): ListFilterNode {
    const node = this.parseExpression();
    if (this.index < this.tokens.length) {
      throw new ListFilterSyntaxError('unexpected token');
    }
    return node;
  }

  private peek(): Aip160Token | undefined {
    return this.tokens[this.index];
  }

  private isKeyword(keyword: string): boolean {
    const token = this.peek();
    return token?.kind === 'word' && token.text === keyword;
  }

  private parseExpression(): ListFilterNode {
    const operands = [this.parseSequence()];
    while (this.isKeyword('AND')) {
      this.index++;
      operands.push(this.parseSequence());
    }
    return combine('and', operands);
  }

  private parseSequence(): ListFilterNode {
    const operands = [this.parseFactor()];
    while (this.startsTerm()) {
      operands.push(this.parseFactor());
    }
    return combine('and', operands);
  }

  private parseFactor(): ListFilterNode {
    const operands = [this.parseTerm()];
    while (this.isKeyword('OR')) {
      this.index++;
      operands.push(this.parseTerm());
    }
    return combine('or', operands);
  }

  private startsTerm(): boolean {
    const token = this.peek();
    if (token === undefined) {
      return false;
    }
    return (
      token.kind === 'lparen' ||
      token.kind === 'minus' ||
      (token.kind === 'word' && token.text !== 'AND' && token.text !== 'OR')
    );
  }

  private parseTerm(): ListFilterNode {
    let negations = 0;
    while (this.isKeyword('NOT') || this.peek()?.kind === 'minus') {
      this.index++;
      negations++;
    }
    const simple = this.parseSimple();
    return negations % 2 === 1 ? { kind: 'not', operand: simple } : simple;
  }

  private parseSimple(): ListFilterNode {
    const token = this.peek();
    if (token?.kind === 'lparen') {
      this.index++;
      this.depth++;
      if (this.depth > MAX_FILTER_NESTING) {
        throw new ListFilterSyntaxError('filter nests too deeply');
      }
      const inner = this.parseExpression();
      if (this.peek()?.kind !== 'rparen') {
        throw new ListFilterSyntaxError('missing )');
      }
      this.index++;
      this.depth--;
      return inner;
    }
    if (token?.kind === 'word' && !KEYWORDS.has(token.text)) {
      return this.parseRestriction(token.text);
    }
    throw new ListFilterSyntaxError('expected a comparison');
  }

  private parseRestriction(fieldText: string): ListFilterNode {
    this.index++;
    const field = parseFieldPath(fieldText);
    const operator = this.peek();
    if (operator?.kind !== 'operator') {
      throw new ListFilterSyntaxError(`expected an operator after ${fieldText}`);
    }
    this.index++;
    const value = this.peek();
    if (value?.kind !== 'value') {
      throw new ListFilterSyntaxError(`expected a value after ${fieldText} ${operator.operator}`);
    }
    this.index++;
    return {
      kind: 'compare',
      field,
      operator: operator.operator,
      value: { text: value.text, quoted: value.quoted },
    };
  }
}

function combine(kind: 'and' | 'or', operands: ListFilterNode[]): ListFilterNode {
  return operands.length === 1 ? operands[0] : { kind, operands };
}
