// Typed documents for `client.graphql()`, generated from schema.graphql by graphql-codegen (see codegen.mjs).
export * from './operations.generated';
