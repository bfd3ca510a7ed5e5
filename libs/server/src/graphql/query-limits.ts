// The CommonJS build on purpose (see graphql-errors.ts): the schema's types come from require('graphql').
import { GraphQLError } from 'graphql/error/GraphQLError.js';
import type { DocumentNode, FragmentDefinitionNode, SelectionSetNode } from 'graphql/language/ast.js';
import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLOutputType,
} from 'graphql/type/definition.js';
import { SchemaMetaFieldDef, TypeMetaFieldDef } from 'graphql/type/introspection.js';
import type { GraphQLSchema } from 'graphql/type/schema.js';

/**
 * Limits a GraphQL request is checked against before validation and execution. Object fields resolve through
 * the use cases (a pod's `node`, a node's `pods`...), so a query can fan out without bound:
 * `nodes { pods { node { pods { node { pods { name } } } } } }` over 60 pods took 54 s, one level more exhausted
 * the heap. Measured on the document, in time linear in its size, before graphql-js's own validation (whose
 * overlapping-fields rule is quadratic in repeated fields, so 2,000 aliases were slow before any resolver ran).
 */
export interface QueryLimits {
  /** Characters of the query text, checked before parsing (variables are not counted). */
  maxLength: number;
  /**
   * Tokens of the query text, counted before parsing. graphql-js has a token limit of its own, but its syntax error
   * prints the source around the stop, which for a long one-line query cost ~40 ms of CPU per request.
   */
  maxTokens: number;
  /** Nesting of fields (a leaf under `kubernetes { services { ... } }` is at depth 3). */
  maxDepth: number;
  /** Aliased fields in the document. */
  maxAliases: number;
  /**
   * Estimated resolver calls: every field with a selection costs 1 times the assumed size
   * (`listSize`) of each list it is under, itself included for its children; leaves are free. A list that goes back
   * to a type already on its path (`nodes { pods { node { pods ... } } }`: a relation followed in a cycle) counts
   * `listSize` squared: that is where a query's fan-out has no bound in the data.
   */
  maxCost: number;
  /** What a list is assumed to hold when estimating cost. */
  listSize: number;
}

export const QUERY_LIMITS: QueryLimits = {
  maxLength: 32_768,
  maxTokens: 10_000,
  maxDepth: 10,
  maxAliases: 100,
  maxCost: 10_000,
  listSize: 10,
};

// Names, numbers, strings (block strings count per line, an over-estimate), punctuators: GraphQL's lexical tokens.
const TOKEN = /[_A-Za-z][_0-9A-Za-z]*|-?\d[\d.eE+-]*|"(?:[^"\\\n]|\\.)*"|\.\.\.|[^\s,]/g;

/**
 * The error of a query text over the length, token or alias limit, found before parsing (parsing a 30 KB document
 * of 2,000 aliases costs graphql-js ~5 ms, so a client sending it in a loop would hold the event loop).
 *
 * Aliases are counted in the text: outside parentheses, a name followed by `:` can only be an alias (arguments,
 * variable definitions, their default values and object values are all inside parentheses). This counts every
 * alias written in the document, over all its operations and fragments; `measureQuery` then counts them per
 * operation with fragments expanded.
 */
export function querySizeError(source: string, limits = QUERY_LIMITS): GraphQLError | undefined {
  if (source.length > limits.maxLength)
    return new GraphQLError(
      `The query is ${source.length} characters long; at most ${limits.maxLength} are allowed.`,
      { extensions: { code: 'QUERY_TOO_LARGE', limit: limits.maxLength, found: source.length } },
    );
  let tokens = 0;
  let aliases = 0;
  let parens = 0;
  let previousWasName = false;
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(source); match !== null; match = TOKEN.exec(source)) {
    if (++tokens > limits.maxTokens) break;
    const token = match[0];
    if (token === '(') parens++;
    else if (token === ')') parens = Math.max(0, parens - 1);
    else if (token === ':' && previousWasName && parens === 0) aliases++;
    previousWasName = NAME.test(token);
  }
  if (tokens > limits.maxTokens)
    return new GraphQLError(`The query has more than ${limits.maxTokens} tokens.`, {
      extensions: { code: 'QUERY_TOO_LARGE', limit: limits.maxTokens, found: `>${limits.maxTokens} tokens` },
    });
  if (aliases > limits.maxAliases) return aliasesError(aliases, limits);
  return undefined;
}

const NAME = /^[_A-Za-z]/;

function aliasesError(aliases: number, limits: QueryLimits): GraphQLError {
  return new GraphQLError(`The query has ${aliases} aliases; at most ${limits.maxAliases} are allowed.`, {
    extensions: { code: 'TOO_MANY_ALIASES', limit: limits.maxAliases, found: aliases },
  });
}

export interface QueryMeasure {
  depth: number;
  aliases: number;
  cost: number;
}

interface Measure {
  depth: number;
  aliases: number;
  /** cost at a multiplier of 1 (cost is linear in the multiplier of where the selection is used) */
  cost: number;
}

const ZERO: Measure = { depth: 0, aliases: 0, cost: 0 };

/** How many fields deep introspection is measured at all (type references nest without counting for depth). */
const INTROSPECTION_LEVELS = 40;

/**
 * Depth, aliases and cost of a document's operations (the largest of each over its operations), fragments
 * expanded where spread. A fragment's measure is computed once (memoized), so spreading fragments in fragments
 * cannot make this exponential; a fragment cycle counts as nothing (validation refuses it afterwards).
 * The document may be any parsed JSON (Mercurius accepts an AST as JSON), so its shape is checked as it is read.
 */
export function measureQuery(
  schema: GraphQLSchema,
  document: DocumentNode,
  limits = QUERY_LIMITS,
): QueryMeasure {
  const definitions = Array.isArray(document?.definitions) ? document.definitions : [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of definitions)
    if (definition?.kind === 'FragmentDefinition' && typeof definition.name?.value === 'string')
      fragments.set(definition.name.value, definition);
  const memo = new Map<string, Measure>();
  const inProgress = new Set<string>();

  const fragmentMeasure = (name: string, path: ReadonlySet<string>, introspection = false): Measure => {
    // The types on the path change what a fragment costs (a list back to one of them), so they are in the key.
    const key = `${name}|${introspection}|${[...path].sort().join(',')}`;
    const known = memo.get(key);
    if (known) return known;
    const fragment = fragments.get(name);
    if (!fragment || inProgress.has(name)) return ZERO;
    inProgress.add(name);
    const type = schema.getType(fragment.typeCondition?.name?.value ?? '');
    const measured = selectionMeasure(
      fragment.selectionSet,
      isCompositeType(type) ? type : undefined,
      0,
      path,
      introspection,
    );
    inProgress.delete(name);
    memo.set(key, measured);
    return measured;
  };

  const selectionMeasure = (
    set: SelectionSetNode | undefined,
    parent: GraphQLCompositeType | undefined,
    level = 0,
    path: ReadonlySet<string> = new Set(parent ? [parent.name] : []),
    introspection = false,
  ): Measure => {
    // Deeper than the limit is all that needs saying: stop descending (a 10,000-deep query stays cheap).
    if (level > (introspection ? INTROSPECTION_LEVELS : limits.maxDepth))
      return { depth: 1, aliases: 0, cost: 0 };
    let depth = 0;
    let aliases = 0;
    let cost = 0;
    const selections = Array.isArray(set?.selections) ? set.selections : [];
    for (const selection of selections) {
      let child: Measure = ZERO;
      if (selection?.kind === 'Field') {
        if (selection.alias) aliases++;
        // Fields the schema does not have (validation refuses them later) are measured as written.
        const field = fieldOf(parent, selection.name?.value);
        const type = field ? getNamedType(field.type) : undefined;
        if (selection.selectionSet) {
          const composite = isCompositeType(type) ? type : undefined;
          const meta = introspection || selection.name?.value?.startsWith('__') === true;
          const inner = selectionMeasure(
            selection.selectionSet,
            composite,
            level + 1,
            composite ? new Set([...path, composite.name]) : path,
            meta,
          );
          const cycle = composite !== undefined && path.has(composite.name);
          const list = isList(field?.type);
          // Introspection reads the schema, not data: its lists are as long as the schema is (not a fan-out), and
          // its type references nest (`ofType { ofType { ... } }`) without cost. A cycle (`fields { type { fields`)
          // is still a fan-out, and so are lists for depth.
          const size = list ? (cycle ? limits.listSize ** 2 : meta ? 1 : limits.listSize) : 1;
          const depth = meta && !list ? inner.depth : inner.depth + 1;
          child = { depth, aliases: inner.aliases, cost: 1 + size * inner.cost };
        } else child = { depth: 1, aliases: 0, cost: 0 };
      } else if (selection?.kind === 'InlineFragment') {
        const type = selection.typeCondition
          ? schema.getType(selection.typeCondition.name?.value ?? '')
          : parent;
        child = isCompositeType(type)
          ? selectionMeasure(selection.selectionSet, type, level, path, introspection)
          : ZERO;
      } else if (selection?.kind === 'FragmentSpread') {
        child = fragmentMeasure(selection.name?.value ?? '', path, introspection);
      }
      depth = Math.max(depth, child.depth);
      aliases += child.aliases;
      cost += child.cost;
    }
    return { depth, aliases, cost };
  };

  const result: QueryMeasure = { depth: 0, aliases: 0, cost: 0 };
  for (const definition of definitions) {
    if (definition?.kind !== 'OperationDefinition') continue;
    const root =
      definition.operation === 'mutation'
        ? schema.getMutationType()
        : definition.operation === 'subscription'
          ? schema.getSubscriptionType()
          : schema.getQueryType();
    if (!root) continue;
    const measured = selectionMeasure(definition.selectionSet, root);
    result.depth = Math.max(result.depth, measured.depth);
    result.aliases = Math.max(result.aliases, measured.aliases);
    result.cost = Math.max(result.cost, measured.cost);
  }
  // Aliases in fragments nobody spreads still cost validation time.
  for (const name of fragments.keys())
    result.aliases = Math.max(result.aliases, fragmentMeasure(name, new Set()).aliases);
  return result;
}

function fieldOf(
  parent: GraphQLCompositeType | undefined,
  name: string | undefined,
): GraphQLField<unknown, unknown> | undefined {
  // The meta-fields every query type has, which getFields() does not list.
  if (name === '__schema') return SchemaMetaFieldDef;
  if (name === '__type') return TypeMetaFieldDef;
  if (parent === undefined || typeof name !== 'string' || !('getFields' in parent)) return undefined;
  const fields = parent.getFields();
  return Object.hasOwn(fields, name) ? fields[name] : undefined;
}

function isList(type: GraphQLOutputType | undefined): boolean {
  return type !== undefined && isListType(getNullableType(type));
}

/** The GraphQL errors a request over the limits gets (`extensions.code`, the limit and what was found). */
export function queryLimitErrors(measure: QueryMeasure, limits = QUERY_LIMITS): GraphQLError[] {
  const errors: GraphQLError[] = [];
  if (measure.depth > limits.maxDepth)
    errors.push(
      new GraphQLError(`The query is ${measure.depth} fields deep; at most ${limits.maxDepth} are allowed.`, {
        extensions: { code: 'QUERY_TOO_DEEP', limit: limits.maxDepth, found: measure.depth },
      }),
    );
  if (measure.aliases > limits.maxAliases) errors.push(aliasesError(measure.aliases, limits));
  if (measure.cost > limits.maxCost)
    errors.push(
      new GraphQLError(
        `The query's estimated cost is ${measure.cost}; at most ${limits.maxCost} is allowed (each field with a selection costs 1, times ${limits.listSize} for each list it is under, ${limits.listSize ** 2} for a list back to a type already on its path).`,
        { extensions: { code: 'QUERY_TOO_COMPLEX', limit: limits.maxCost, found: measure.cost } },
      ),
    );
  return errors;
}
