import { describe, expect, it } from 'vitest';
import { buildSchema } from 'graphql/utilities/buildASTSchema.js';
import { descriptionCoverage, describeRootTypes, ROOT_TYPE_DESCRIPTIONS } from './schema-descriptions';

describe('descriptionCoverage', () => {
  it('lists each type, field, argument, input field and enum value without a description', () => {
    const schema = buildSchema(`
      "Reads."
      type Query {
        "A network."
        network("The project." project: String!, name: String!): Network
        networks(filter: Filter): [Network!]!
      }
      type Network { "Its name." name: String!, mode: Mode! }
      "How subnetworks are made."
      enum Mode { "One per region." AUTO CUSTOM }
      "A filter."
      input Filter { "  " name: String, region: String }
    `);
    expect(descriptionCoverage(schema).missing.sort()).toEqual(
      [
        'Filter.name',
        'Filter.region',
        'Mode.CUSTOM',
        'Network',
        'Network.mode',
        'Query.network(name)',
        'Query.networks',
        'Query.networks(filter)',
      ].sort(),
    );
    // Query, network, its 2 args, networks, its arg; Network and 2 fields; Mode and 2 values; Filter and 2 fields.
    expect(descriptionCoverage(schema).total).toBe(15);
  });

  it('skips introspection types and built-in scalars but checks custom scalars', () => {
    const schema = buildSchema('"Reads." type Query { "A value." value: JSON }\nscalar JSON');
    expect(descriptionCoverage(schema)).toEqual({ total: 3, missing: ['JSON'] });
  });
});

describe('describeRootTypes', () => {
  it('describes Query, Mutation and Subscription, keeping a description already there', () => {
    const schema = buildSchema(`
      type Query { "x" x: Int }
      "Own words."
      type Mutation { "y" y: Int }
      type Subscription { "z" z: Int }
    `);
    describeRootTypes(schema);
    expect(schema.getQueryType()?.description).toBe(ROOT_TYPE_DESCRIPTIONS.query);
    expect(schema.getMutationType()?.description).toBe('Own words.');
    expect(schema.getSubscriptionType()?.description).toBe(ROOT_TYPE_DESCRIPTIONS.subscription);
    expect(descriptionCoverage(schema).missing).toEqual([]);
  });
});
