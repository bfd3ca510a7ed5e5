// CommonJS deep paths, as print-schema.ts explains: the schema Nest builds comes from require('graphql').
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType } from 'graphql/type/definition.js';
import { isIntrospectionType } from 'graphql/type/introspection.js';
import { isSpecifiedScalarType } from 'graphql/type/scalars.js';
import type { GraphQLSchema } from 'graphql/type/schema.js';

/** What the root operation types are: code-first decorators cannot describe them, so the schema build does. */
export const ROOT_TYPE_DESCRIPTIONS = {
  query:
    'Reads: Compute networking (networks, subnetworks, routes, firewall rules, addresses, security policies), GKE clusters and node pools, and the Kubernetes objects and effective data plane of each cluster.',
  mutation:
    'Changes, as the REST methods of the same name (networks.insert, clusters.create, …): each returns the long-running operation it starts, as REST does.',
  subscription: 'Changes pushed over WebSocket (graphql-transport-ws or graphql-ws) as they happen.',
} as const;

/** Gives the root operation types their descriptions (a `transformSchema` hook: the schema is changed in place). */
export function describeRootTypes(schema: GraphQLSchema): GraphQLSchema {
  const roots = [
    [schema.getQueryType(), ROOT_TYPE_DESCRIPTIONS.query],
    [schema.getMutationType(), ROOT_TYPE_DESCRIPTIONS.mutation],
    [schema.getSubscriptionType(), ROOT_TYPE_DESCRIPTIONS.subscription],
  ] as const;
  for (const [type, description] of roots) if (type && !type.description) type.description = description;
  return schema;
}

/** Coverage of descriptions over a schema's own types, fields, arguments, input fields and enum values. */
export interface DescriptionCoverage {
  /** How many things could carry a description. */
  total: number;
  /** Those without one (blank counts as none), as `Type`, `Type.field`, `Type.field(arg)` or `Enum.VALUE`. */
  missing: string[];
}

const blank = (description: string | null | undefined): boolean => !description?.trim();

/**
 * Walks every named type that is neither introspection nor a built-in scalar, and each of its fields, arguments,
 * input fields and enum values, listing what has no description.
 */
export function descriptionCoverage(schema: GraphQLSchema): DescriptionCoverage {
  const missing: string[] = [];
  let total = 0;
  const check = (path: string, description: string | null | undefined) => {
    total++;
    if (blank(description)) missing.push(path);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    check(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`${type.name}.${field.name}`, field.description);
        for (const arg of field.args) check(`${type.name}.${field.name}(${arg.name})`, arg.description);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields()))
        check(`${type.name}.${field.name}`, field.description);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) check(`${type.name}.${value.name}`, value.description);
    }
  }
  return { total, missing };
}
