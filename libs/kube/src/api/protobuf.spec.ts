import { describe, expect, it } from 'vitest';
import { KubeStatusError } from './kube-status';
import { decodeKubeProtobuf } from './protobuf';

/** The body kubectl 1.32.4 sends for `kubectl create deployment pbcap --image=nginx:1.27 --port=80 --replicas=0 -- sh`. */
const KUBECTL_CREATE_DEPLOYMENT =
  '6b3873000a150a07617070732f7631120a4465706c6f796d656e7412c9010a230a05706263617012001a002200' +
  '2a003200380042005a0c0a03617070120570626361701293010800120e0a0c0a03617070120570626361701a77' +
  '0a1e0a0012001a0022002a003200380042005a0c0a0361707012057062636170125512370a056e67696e78120a' +
  '6e67696e783a312e32371a0273682a00320a0a001000185022002a0042006a007200800100880100900100a201' +
  '001a00320042004a0052005800600068008201008a01009a0100c2010022020a00280038001a0c0800100018002000280038001a002200';

/** Protobuf encoding helpers for hand-made cases. */
function varint(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    out.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  out.push(rest);
  return out;
}
const bytes = (field: number, content: number[]) => [
  ...varint((field << 3) | 2),
  ...varint(content.length),
  ...content,
];
const text = (field: number, value: string) => bytes(field, [...Buffer.from(value)]);
const number = (field: number, value: number) => [...varint(field << 3), ...varint(value)];
function envelope(apiVersion: string, kind: string, raw: number[]): Buffer {
  return Buffer.from([
    0x6b,
    0x38,
    0x73,
    0,
    ...bytes(1, [...text(1, apiVersion), ...text(2, kind)]),
    ...bytes(2, raw),
  ]);
}

function refusal(body: Uint8Array): KubeStatusError {
  try {
    decodeKubeProtobuf(body);
  } catch (error) {
    if (error instanceof KubeStatusError) return error;
    throw error;
  }
  throw new Error('decoded');
}

describe('decodeKubeProtobuf', () => {
  it('reads what kubectl create deployment sends: unset fields dropped, an explicit replicas: 0 kept', () => {
    expect(decodeKubeProtobuf(Buffer.from(KUBECTL_CREATE_DEPLOYMENT, 'hex'))).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'pbcap', labels: { app: 'pbcap' } },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'pbcap' } },
        template: {
          metadata: { labels: { app: 'pbcap' } },
          spec: {
            containers: [
              { name: 'nginx', image: 'nginx:1.27', command: ['sh'], ports: [{ containerPort: 80 }] },
            ],
          },
        },
      },
    });
  });

  it.each([
    ['an int maxSurge', [...number(1, 0), ...number(2, 3)], 3],
    ['a string maxSurge', [...number(1, 1), ...text(3, '50%')], '50%'],
  ])('reads IntOrString: %s', (_, intOrString, expected) => {
    const strategy = bytes(4, bytes(2, bytes(2, intOrString)));
    const decoded = decodeKubeProtobuf(envelope('apps/v1', 'Deployment', bytes(2, strategy)));
    expect(decoded['spec']).toEqual({ strategy: { rollingUpdate: { maxSurge: expected } } });
  });

  it('reads quantities in resource maps and times', () => {
    const quantity = (key: string, value: string) => bytes(2, [...text(1, key), ...bytes(2, text(1, value))]);
    const container = [...text(1, 'c'), ...bytes(8, quantity('cpu', '250m'))];
    const podSpec = bytes(2, container);
    const meta = [...text(1, 'x'), ...bytes(8, number(1, 1_700_000_000))];
    const decoded = decodeKubeProtobuf(
      envelope('apps/v1', 'Deployment', [...bytes(1, meta), ...bytes(2, bytes(3, bytes(2, podSpec)))]),
    );
    expect(decoded['metadata']).toEqual({ name: 'x', creationTimestamp: '2023-11-14T22:13:20Z' });
    expect(decoded['spec']).toEqual({
      template: { spec: { containers: [{ name: 'c', resources: { requests: { cpu: '250m' } } }] } },
    });
  });

  it.each([
    ['a kind it does not decode', envelope('v1', 'ConfigMap', text(1, 'x')), 'v1 ConfigMap'],
    [
      'a field it does not decode, set',
      envelope('apps/v1', 'Deployment', bytes(2, text(8, 'x'))),
      'field 8 of DeploymentSpec',
    ],
    ['no envelope', Buffer.from('{"kind":"Deployment"}'), 'no protobuf envelope'],
    [
      'a truncated body',
      envelope('apps/v1', 'Deployment', bytes(1, text(1, 'name'))).subarray(0, -2),
      'truncated',
    ],
  ])('refuses %s with 415', (_, body, detail) => {
    const error = refusal(body);
    expect(error.code).toBe(415);
    expect(error.message).toContain(detail);
  });

  it('ignores an undecoded field left at its zero value (gogo-protobuf marshals them all)', () => {
    const decoded = decodeKubeProtobuf(
      envelope('apps/v1', 'Deployment', bytes(2, [...text(8, ''), ...number(1, 2)])),
    );
    expect(decoded['spec']).toEqual({ replicas: 2 });
  });
});
