// The CommonJS build on purpose: @nestjs/graphql builds the schema with require('graphql'), and a scalar made with
// the ESM build (what Vite/Vitest pick for a bare 'graphql' import) is "from another module or realm".
import { GraphQLScalarType } from 'graphql/type/definition.js';
import { valueFromASTUntyped } from 'graphql/utilities/valueFromASTUntyped.js';

/** Any JSON value, for the parts of Kubernetes objects that are free-form (rules, the whole object). */
export const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value: an object, array, string, number, boolean or null.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables ?? undefined),
});
