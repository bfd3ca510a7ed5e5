import { loadPeer } from './peer';

/**
 * The type decoration of `@graphql-typed-document-node/core` (structurally the same, so its `TypedDocumentNode`
 * and graphql-codegen's `TypedDocumentString` carry their result and variable types into `graphql()`).
 */
export interface DocumentTypeDecoration<TResult, TVariables> {
  __apiType?: (variables: TVariables) => TResult;
}

/** A parsed document (`graphql`'s `DocumentNode`), as `gql` tags and codegen's `documentMode: 'documentNode'` give. */
export interface DocumentNodeLike {
  readonly kind: 'Document' | string;
  readonly definitions: readonly unknown[];
  readonly loc?: { readonly source: { readonly body: string } };
}

/** What `graphql()` accepts: the query text, or a typed document (a node or a `String` object). */
export type GraphqlDocument<TResult, TVariables> =
  | string
  | (DocumentTypeDecoration<TResult, TVariables> & (DocumentNodeLike | { toString(): string }))
  | DocumentNodeLike;

/** The text of a document: itself, its source (`loc.source.body`), or printed with the `graphql` package. */
export async function documentText(document: GraphqlDocument<unknown, unknown>): Promise<string> {
  if (typeof document === 'string') return document;
  if (document instanceof String) return document.toString();
  const node = document as DocumentNodeLike;
  if (node.kind === 'Document' && Array.isArray(node.definitions)) {
    if (node.loc?.source.body) return node.loc.source.body;
    return printDocument(node);
  }
  const text = String(document);
  if (text === '[object Object]') {
    throw new TypeError('graphql: the document is neither a string nor a GraphQL DocumentNode');
  }
  return text;
}

async function printDocument(node: DocumentNodeLike): Promise<string> {
  const print = await loadPeer<(node: unknown) => string>('graphql', 'print');
  return print(node);
}
