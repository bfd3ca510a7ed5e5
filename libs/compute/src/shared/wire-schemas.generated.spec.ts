import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { BALANCING_MODES } from '../load-balancing/kinds/backend-service.rules';
import { PROTOCOLS } from '../load-balancing/kinds/forwarding-rule.kind';
import { PORT_SPECIFICATIONS } from '../load-balancing/kinds/health-check.kind';
import { EARLY_DATA, QUIC } from '../load-balancing/kinds/target-https-proxy.kind';
import { BGP_MODES, ENFORCEMENT_ORDERS, ROUTING_MODES } from '../networks/network.service';
import { POLICY_TYPES } from '../security-policies/security-policy.service';
import { COMPUTE_ENUMS, NETWORK, SUBNETWORK } from './wire-schemas.generated';

/**
 * tools/gen-compute-wire-schemas.mjs: the committed module is what a regeneration from the committed Compute
 * discovery document gives, and discovery properties read as proto JSON types.
 */
interface Generator {
  OUTPUT: string;
  generate(): Promise<string>;
  fieldSpec(property: unknown, where: string): unknown;
  reachable(
    document: { schemas: Record<string, unknown> },
    roots: string[],
  ): { order: { name: string }[]; cyclic: Set<string> };
  render(model: { order: unknown[]; cyclic: Set<string> }): string;
  LEGACY_SCHEMAS: Record<string, { properties: Record<string, { type: string; format?: string }> }>;
}

/** gcloud's apitools messages of Compute v1: Google's description of the legacy messages the protos dropped. */
const GCLOUD_COMPUTE_MESSAGES =
  '/usr/lib/google-cloud-sdk/lib/googlecloudsdk/generated_clients/apis/compute/v1/compute_v1_messages.py';

/** An apitools message's fields as `name: type/format` (IntegerField variants and StringFields). */
function apitoolsFields(source: string, message: string): string[] {
  const body = source.split(`\nclass ${message}(_messages.Message):`)[1]?.split('\nclass ')[0] ?? '';
  return [
    ...body.matchAll(/^ {2}(\w+) = _messages\.(\w+)Field\(\d+(?:, variant=_messages\.Variant\.(\w+))?/gm),
  ]
    .map(([, name, type, variant]) => `${name}: ${type}/${variant ?? ''}`)
    .sort();
}

const root = join(__dirname, '../../../..');
let generator: Generator;
beforeAll(async () => {
  generator = (await import(
    pathToFileURL(join(root, 'tools/gen-compute-wire-schemas.mjs')).href
  )) as Generator;
});

describe('gen-compute-wire-schemas', () => {
  it('the committed module is a regeneration from the committed discovery document', async () => {
    expect(readFileSync(generator.OUTPUT, 'utf8')).toBe(await generator.generate());
  }, 60_000);

  it('reads discovery types as proto JSON types', () => {
    const spec = (property: unknown) => generator.fieldSpec(property, 'test');
    expect(spec({ type: 'string', format: 'uint64' })).toBe('uint64');
    expect(spec({ type: 'string', format: 'int64' })).toBe('int64');
    expect(spec({ type: 'integer', format: 'uint32' })).toBe('uint32');
    expect(spec({ type: 'integer', format: 'int32' })).toBe('int32');
    expect(spec({ type: 'number', format: 'float' })).toBe('float');
    expect(spec({ type: 'boolean' })).toBe('bool');
    expect(spec({ type: 'array', items: { $ref: 'X' } })).toEqual({ array: { ref: 'X' } });
    expect(spec({ type: 'object', additionalProperties: { type: 'string' } })).toEqual({ map: 'string' });
    expect(() => spec({ type: 'bytes?' })).toThrow('unsupported property');
  });

  it('declares a message that refers back to itself before filling it in', () => {
    const document = {
      schemas: {
        Tree: {
          properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: 'Tree' } } },
        },
      },
    };
    const model = generator.reachable(document, ['Tree']);
    expect([...model.cyclic]).toEqual(['Tree']);
    expect(generator.render(model)).toContain('Object.assign(TREE, {');
  });

  it.runIf(existsSync(GCLOUD_COMPUTE_MESSAGES))(
    "declares the legacy messages as gcloud's description of Compute v1 has them (run where gcloud is installed)",
    () => {
      const source = readFileSync(GCLOUD_COMPUTE_MESSAGES, 'utf8');
      const apitools: Record<string, string> = {
        'integer/int32': 'Integer/INT32',
        'string/uint64': 'Integer/UINT64',
        'string/': 'String/',
      };
      for (const [message, schema] of Object.entries(generator.LEGACY_SCHEMAS)) {
        const declared = Object.entries(schema.properties)
          .map(
            ([name, property]) => `${name}: ${apitools[`${property.type}/${property.format ?? ''}`] ?? '?'}`,
          )
          .sort();
        expect(apitoolsFields(source, message).length).toBeGreaterThan(0);
        expect(declared).toEqual(apitoolsFields(source, message));
      }
    },
  );

  it('holds the messages and enums of the API description', () => {
    expect(NETWORK['mtu']).toBe('int32');
    expect(NETWORK['id']).toBe('uint64');
    expect(SUBNETWORK['secondaryIpRanges']).toEqual({
      array: { object: expect.objectContaining({ rangeName: 'string' }) },
    });
    expect(COMPUTE_ENUMS['Firewall.direction']).toEqual(['EGRESS', 'INGRESS']);
  });

  // The services list the values in the order Google's `Must be one of [...]` names them; the sets are the API's.
  it.each([
    ['NetworkRoutingConfig.routingMode', ROUTING_MODES],
    ['NetworkRoutingConfig.bgpBestPathSelectionMode', BGP_MODES],
    ['Network.networkFirewallPolicyEnforcementOrder', ENFORCEMENT_ORDERS],
    ['SecurityPolicy.type', POLICY_TYPES],
    ['Backend.balancingMode', BALANCING_MODES],
    ['ForwardingRule.IPProtocol', PROTOCOLS],
    ['HTTPHealthCheck.portSpecification', PORT_SPECIFICATIONS],
    ['TargetHttpsProxy.quicOverride', QUIC],
    ['TargetHttpsProxy.tlsEarlyData', EARLY_DATA],
  ])("the values the emulator accepts for %s are the API description's", (field, checked) => {
    expect([...checked].sort()).toEqual([...(COMPUTE_ENUMS[field] ?? ['(none)'])].sort());
  });
});
