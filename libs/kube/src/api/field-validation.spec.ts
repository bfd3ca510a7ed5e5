import { describe, expect, it } from 'vitest';
import { checkUnknownFields, decodeObject, parseFieldValidation } from './field-validation';
import { type ObjectSchema, SCHEMAS } from './object-schema';

const PODS = SCHEMAS['pods'] as ObjectSchema;
const DEPLOYMENTS = SCHEMAS['deployments'] as ObjectSchema;
const NETWORK_POLICIES = SCHEMAS['networkpolicies'] as ObjectSchema;

const pod = (spec: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  spec,
});

describe('field validation', () => {
  it('collects unknown fields with their paths and prunes them', () => {
    const result = decodeObject(
      PODS,
      pod({ containers: [{ name: 'c', image: 'i', imagee: 'x' }], foo: 1 }),
      'Pod',
    );
    expect(result.unknownFields).toEqual(['spec.containers[0].imagee', 'spec.foo']);
    expect(result.object).toEqual(pod({ containers: [{ name: 'c', image: 'i' }] }));
  });
  it('refuses, warns or ignores by mode', () => {
    const result = decodeObject(PODS, pod({ foo: 1 }), 'Pod');
    expect(() => checkUnknownFields(result, 'Strict', 'Pod')).toThrow(
      'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.foo"',
    );
    expect(checkUnknownFields(result, 'Warn', 'Pod')).toEqual(['unknown field "spec.foo"']);
    expect(checkUnknownFields(result, 'Ignore', 'Pod')).toEqual([]);
  });
  it.each([
    [
      { replicas: 'two' },
      'cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    ],
    [
      { selector: [] },
      'cannot unmarshal array into Go struct field DeploymentSpec.spec.selector of type v1.LabelSelector',
    ],
    [{ paused: 'yes' }, 'of type bool'],
  ])('refuses wrong types whatever the mode: %j', (spec, message) => {
    expect(() => decodeObject(DEPLOYMENTS, { spec }, 'Deployment')).toThrow(message);
  });
  it.each([
    [
      { port: 0.5 },
      'cannot unmarshal number 0.5 into Go struct field NetworkPolicyPort.spec.ingress[0].ports[0].port of type int32',
    ],
    [{ port: 2 ** 31 }, 'cannot unmarshal number 2147483648 into Go struct field NetworkPolicyPort'],
    [{ port: -(2 ** 31) - 1 }, 'cannot unmarshal number -2147483649'],
    [
      { endPort: 0.5 },
      'cannot unmarshal number 0.5 into Go struct field NetworkPolicyPort.spec.ingress[0].ports[0].endPort of type int32',
    ],
    [
      { port: true },
      'cannot unmarshal bool into Go struct field NetworkPolicyPort.spec.ingress[0].ports[0].port of type IntOrString',
    ],
  ])('decodes a NetworkPolicy port into int32 or refuses it: %j', (port, message) => {
    const body = { kind: 'NetworkPolicy', spec: { ingress: [{ ports: [port] }] } };
    expect(() => decodeObject(NETWORK_POLICIES, body, 'NetworkPolicy')).toThrow(message);
  });
  it.each([{ port: 80 }, { port: 'http' }, { port: -1 }, { port: 2 ** 31 - 1 }])(
    'decodes the int32 and string halves of a port: %j',
    (port) => {
      const body = { kind: 'NetworkPolicy', spec: { ingress: [{ ports: [port] }] } };
      expect(decodeObject(NETWORK_POLICIES, body, 'NetworkPolicy').object).toEqual(body);
    },
  );
  it('types probes as Kubernetes does and keeps quantities and free-form parts', () => {
    const spec = {
      containers: [
        {
          name: 'c',
          image: 'i',
          livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5, anything: 1 },
          readinessProbe: { exec: { command: ['true'] }, initialDelaySeconds: 1 },
          resources: { limits: { cpu: 1, memory: '1Gi' } },
        },
      ],
    };
    const metadata = { name: 'p', managedFields: [{ manager: 'm', fieldsV1: { 'f:spec': { any: {} } } }] };
    const result = decodeObject(PODS, { ...pod(spec), metadata }, 'Pod');
    // a probe's fields are Kubernetes' (v1.Probe); what it does not know is unknown, FieldsV1 stays free-form
    expect(result.unknownFields).toEqual(['spec.containers[0].livenessProbe.anything']);
    expect(() =>
      decodeObject(PODS, pod({ containers: [{ name: 'c', livenessProbe: { httpGet: [] } }] }), 'Pod'),
    ).toThrow(
      'cannot unmarshal array into Go struct field Probe.spec.containers[0].livenessProbe.httpGet of type v1.HTTPGetAction',
    );
  });
  it.each([
    [
      { terminationGracePeriodSeconds: 'x' },
      'cannot unmarshal string into Go struct field PodSpec.spec.terminationGracePeriodSeconds of type int64',
    ],
    [
      { activeDeadlineSeconds: 0.5 },
      'cannot unmarshal number 0.5 into Go struct field PodSpec.spec.activeDeadlineSeconds of type int64',
    ],
  ])('names int64 fields as Go does: %j', (spec, message) => {
    expect(() => decodeObject(PODS, pod(spec), 'Pod')).toThrow(message);
    expect(decodeObject(PODS, pod({ terminationGracePeriodSeconds: 2 ** 40 }), 'Pod').unknownFields).toEqual(
      [],
    );
  });
  it('reads the fieldValidation parameter', () => {
    expect(parseFieldValidation(undefined)).toBe('Warn');
    expect(parseFieldValidation('Strict')).toBe('Strict');
    expect(() => parseFieldValidation('strict')).toThrow('fieldValidation must be one of');
  });
});
