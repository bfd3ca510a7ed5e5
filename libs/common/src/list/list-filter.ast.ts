import type { Re2Matcher } from './re2.matcher';

/** AIP-160 comparison operators accepted by Compute Engine. */
export type ListFilterOperator = '=' | '!=' | '<' | '<=' | '>' | '>=' | ':';

/** The right-hand side of an AIP-160 comparison, typed only once compared against a field value. */
export interface ListFilterLiteral {
  readonly text: string;
  readonly quoted: boolean;
}

/** A field path such as `scheduling.automaticRestart`, split on dots. */
export type ListFilterFieldPath = readonly string[];

export type ListFilterNode =
  | { readonly kind: 'and'; readonly operands: readonly ListFilterNode[] }
  | { readonly kind: 'or'; readonly operands: readonly ListFilterNode[] }
  | { readonly kind: 'not'; readonly operand: ListFilterNode }
  | {
      readonly kind: 'compare';
      readonly field: ListFilterFieldPath;
      readonly operator: ListFilterOperator;
      readonly value: ListFilterLiteral;
    }
  | {
      /** `field eq regex` / `field ne regex`: full-match RE2 comparison. */
      readonly kind: 'regex';
      readonly field: ListFilterFieldPath;
      readonly negated: boolean;
      readonly matcher: Re2Matcher;
    };

/** Which of Compute Engine's two (unmixable) filter grammars a filter was written in. */
export type ListFilterGrammar = 'aip160' | 'regex';

export interface ListFilter {
  readonly grammar: ListFilterGrammar;
  readonly root: ListFilterNode;
  /** The filter text as received. */
  readonly source: string;
}
