import { describe, expect, it } from 'vitest';
import { documentText, type DocumentNodeLike } from './graphql-document';

describe('documentText', () => {
  const text = 'query Q { networks(project: "p") { name } }';

  it('takes strings and String objects (codegen TypedDocumentString) as they are', async () => {
    expect(await documentText(text)).toBe(text);
    expect(await documentText(Object.assign(new String(text), { __meta__: {} }))).toBe(text);
  });

  it('takes a DocumentNode source when it kept one', async () => {
    const node: DocumentNodeLike = { kind: 'Document', definitions: [{}], loc: { source: { body: text } } };
    expect(await documentText(node)).toBe(text);
  });

  it('prints a DocumentNode without source with the graphql package', async () => {
    const { parse } = await import('graphql');
    const node = JSON.parse(JSON.stringify(parse(text, { noLocation: true }))) as DocumentNodeLike;
    expect(await documentText(node)).toBe('query Q {\n  networks(project: "p") {\n    name\n  }\n}');
  });

  it('rejects anything else', async () => {
    await expect(documentText({} as never)).rejects.toThrow(/neither a string nor a GraphQL DocumentNode/);
  });
});
