/** Tests one code point of the subject string. */
export type Re2CharPredicate = (codePoint: number) => boolean;

export type Re2AssertionKind =
  'beginText' | 'endText' | 'beginLine' | 'endLine' | 'wordBoundary' | 'notWordBoundary';

/**
 * Parsed RE2 expression. Every construct that consumes one code point (literal, `.`,
 * class, `\d`, ...) is a `char` node whose predicate already bakes in case folding
 * and negation.
 */
export type Re2Node =
  | { readonly type: 'empty' }
  | { readonly type: 'char'; readonly matches: Re2CharPredicate }
  | { readonly type: 'assertion'; readonly kind: Re2AssertionKind }
  | { readonly type: 'concat'; readonly items: readonly Re2Node[] }
  | { readonly type: 'alternate'; readonly items: readonly Re2Node[] }
  | {
      readonly type: 'repeat';
      readonly item: Re2Node;
      readonly min: number;
      /** `undefined` means unbounded. */
      readonly max: number | undefined;
    };
