/**
 * Kubernetes' protobuf encoding (`application/vnd.kubernetes.protobuf`), decoded into the JSON object the rest of
 * the API handles, for the kinds typed clients send: kubectl's `create deployment` writes a Deployment this way.
 * Field numbers are those of k8s.io/api's and k8s.io/apimachinery's `generated.proto`. Go's gogo-protobuf marshals
 * every non-pointer field, set or not, so a zero value ("", 0, false, an empty message) means "unset" — except for
 * pointer fields (`keepZero`), where an explicit 0 counts (`replicas: 0`). A field outside these tables that carries
 * a value is refused (415) rather than dropped.
 */
import { KubeStatusError } from './kube-status';

type FieldType =
  | 'string'
  | 'int'
  | 'bool'
  | 'time'
  | 'intOrString'
  | 'stringMap'
  | 'quantityMap'
  | 'skip'
  | { message: string };

interface FieldSpec {
  name: string;
  type: FieldType;
  repeated?: boolean;
  /** a pointer in Go: present means set, even when zero */
  keepZero?: boolean;
}

type MessageSpec = Record<number, FieldSpec>;

const f = (name: string, type: FieldType, options: Omit<FieldSpec, 'name' | 'type'> = {}): FieldSpec => ({
  name,
  type,
  ...options,
});
const m = (message: string) => ({ message });

const MESSAGES: Record<string, MessageSpec> = {
  ObjectMeta: {
    1: f('name', 'string'),
    2: f('generateName', 'string'),
    3: f('namespace', 'string'),
    4: f('selfLink', 'string'),
    5: f('uid', 'string'),
    6: f('resourceVersion', 'string'),
    7: f('generation', 'int'),
    8: f('creationTimestamp', 'time'),
    9: f('deletionTimestamp', 'time'),
    10: f('deletionGracePeriodSeconds', 'int', { keepZero: true }),
    11: f('labels', 'stringMap'),
    12: f('annotations', 'stringMap'),
    13: f('ownerReferences', m('OwnerReference'), { repeated: true }),
    14: f('finalizers', 'string', { repeated: true }),
  },
  OwnerReference: {
    1: f('kind', 'string'),
    3: f('name', 'string'),
    4: f('uid', 'string'),
    5: f('apiVersion', 'string'),
    6: f('controller', 'bool', { keepZero: true }),
    7: f('blockOwnerDeletion', 'bool', { keepZero: true }),
  },
  LabelSelector: {
    1: f('matchLabels', 'stringMap'),
    2: f('matchExpressions', m('LabelSelectorRequirement'), { repeated: true }),
  },
  LabelSelectorRequirement: {
    1: f('key', 'string'),
    2: f('operator', 'string'),
    3: f('values', 'string', { repeated: true }),
  },
  Deployment: {
    1: f('metadata', m('ObjectMeta')),
    2: f('spec', m('DeploymentSpec')),
    3: f('status', 'skip'),
  },
  DeploymentSpec: {
    1: f('replicas', 'int', { keepZero: true }),
    2: f('selector', m('LabelSelector')),
    3: f('template', m('PodTemplateSpec')),
    4: f('strategy', m('DeploymentStrategy')),
    5: f('minReadySeconds', 'int'),
    6: f('revisionHistoryLimit', 'int', { keepZero: true }),
    7: f('paused', 'bool'),
    9: f('progressDeadlineSeconds', 'int', { keepZero: true }),
  },
  DeploymentStrategy: {
    1: f('type', 'string'),
    2: f('rollingUpdate', m('RollingUpdateDeployment')),
  },
  RollingUpdateDeployment: {
    1: f('maxUnavailable', 'intOrString'),
    2: f('maxSurge', 'intOrString'),
  },
  PodTemplateSpec: {
    1: f('metadata', m('ObjectMeta')),
    2: f('spec', m('PodSpec')),
  },
  PodSpec: {
    2: f('containers', m('Container'), { repeated: true }),
    3: f('restartPolicy', 'string'),
    4: f('terminationGracePeriodSeconds', 'int', { keepZero: true }),
    5: f('activeDeadlineSeconds', 'int', { keepZero: true }),
    6: f('dnsPolicy', 'string'),
    7: f('nodeSelector', 'stringMap'),
    8: f('serviceAccountName', 'string'),
    9: f('serviceAccount', 'string'),
    10: f('nodeName', 'string'),
    11: f('hostNetwork', 'bool'),
    12: f('hostPID', 'bool'),
    13: f('hostIPC', 'bool'),
    16: f('hostname', 'string'),
    17: f('subdomain', 'string'),
    19: f('schedulerName', 'string'),
    20: f('initContainers', m('Container'), { repeated: true }),
    21: f('automountServiceAccountToken', 'bool', { keepZero: true }),
    24: f('priorityClassName', 'string'),
    25: f('priority', 'int', { keepZero: true }),
    27: f('shareProcessNamespace', 'bool', { keepZero: true }),
    29: f('runtimeClassName', 'string'),
    30: f('enableServiceLinks', 'bool', { keepZero: true }),
    31: f('preemptionPolicy', 'string'),
  },
  Container: {
    1: f('name', 'string'),
    2: f('image', 'string'),
    3: f('command', 'string', { repeated: true }),
    4: f('args', 'string', { repeated: true }),
    5: f('workingDir', 'string'),
    6: f('ports', m('ContainerPort'), { repeated: true }),
    7: f('env', m('EnvVar'), { repeated: true }),
    8: f('resources', m('ResourceRequirements')),
    13: f('terminationMessagePath', 'string'),
    14: f('imagePullPolicy', 'string'),
    16: f('stdin', 'bool'),
    17: f('stdinOnce', 'bool'),
    18: f('tty', 'bool'),
    20: f('terminationMessagePolicy', 'string'),
    24: f('restartPolicy', 'string'),
  },
  ContainerPort: {
    1: f('name', 'string'),
    2: f('hostPort', 'int'),
    3: f('containerPort', 'int', { keepZero: true }),
    4: f('protocol', 'string'),
    5: f('hostIP', 'string'),
  },
  EnvVar: {
    1: f('name', 'string'),
    2: f('value', 'string'),
  },
  ResourceRequirements: {
    1: f('limits', 'quantityMap'),
    2: f('requests', 'quantityMap'),
  },
};

/** The kinds this decoder reads, by `apiVersion/kind` of the envelope. */
const TOP_LEVEL: Record<string, string> = { 'apps/v1/Deployment': 'Deployment' };

const MAGIC = [0x6b, 0x38, 0x73, 0x00]; // "k8s\0"

function unsupported(detail: string): KubeStatusError {
  return new KubeStatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (${detail})`,
  );
}

class Reader {
  offset = 0;
  constructor(private readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.offset >= this.bytes.length;
  }

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.offset >= this.bytes.length || shift > 63n) throw unsupported('a truncated varint');
      const byte = this.bytes[this.offset++] as number;
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return result;
      shift += 7n;
    }
  }

  chunk(): Uint8Array {
    const length = Number(this.varint());
    if (this.offset + length > this.bytes.length) throw unsupported('a truncated field');
    const chunk = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return chunk;
  }

  skip(wire: number): boolean {
    if (wire === 0) return this.varint() !== 0n;
    if (wire === 2) return this.chunk().length > 0;
    if (wire === 1) this.offset += 8;
    else if (wire === 5) this.offset += 4;
    else throw unsupported(`wire type ${wire}`);
    return true;
  }
}

/** A varint as a JSON number: int32/int64 two's complement, as Go reads it. */
function toInt(value: bigint): number {
  return Number(BigInt.asIntN(64, value));
}

const text = new TextDecoder('utf-8', { fatal: true });

function decodeString(bytes: Uint8Array): string {
  try {
    return text.decode(bytes);
  } catch {
    throw unsupported('a string that is not UTF-8');
  }
}

function decodeMapEntry(bytes: Uint8Array, value: (bytes: Uint8Array) => unknown): [string, unknown] {
  const reader = new Reader(bytes);
  let key = '';
  let entry: unknown = '';
  while (!reader.done) {
    const tag = Number(reader.varint());
    if (tag === (1 << 3) + 2) key = decodeString(reader.chunk());
    else if (tag === (2 << 3) + 2) entry = value(reader.chunk());
    else reader.skip(tag & 7);
  }
  return [key, entry];
}

/** metav1.Time: seconds and nanos, as RFC 3339 with seconds (what it marshals to in JSON). */
function decodeTime(bytes: Uint8Array): string | undefined {
  const reader = new Reader(bytes);
  let seconds = 0n;
  while (!reader.done) {
    const tag = Number(reader.varint());
    if (tag === 1 << 3) seconds = reader.varint();
    else reader.skip(tag & 7);
  }
  if (bytes.length === 0) return undefined;
  return new Date(toInt(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** intstr.IntOrString: type (0 int, 1 string), intVal, strVal. */
function decodeIntOrString(bytes: Uint8Array): number | string {
  const reader = new Reader(bytes);
  let type = 0;
  let intVal = 0;
  let strVal = '';
  while (!reader.done) {
    const tag = Number(reader.varint());
    if (tag === 1 << 3) type = toInt(reader.varint());
    else if (tag === 2 << 3) intVal = toInt(reader.varint());
    else if (tag === (3 << 3) + 2) strVal = decodeString(reader.chunk());
    else reader.skip(tag & 7);
  }
  return type === 1 ? strVal : intVal;
}

/** resource.Quantity: its string form. */
function decodeQuantity(bytes: Uint8Array): string {
  const [value] = decodeMapEntry(bytes, decodeString);
  return value;
}

function isEmpty(value: unknown): boolean {
  if (value === '' || value === 0 || value === false || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

function decodeMessage(bytes: Uint8Array, name: string): Record<string, unknown> {
  const spec = MESSAGES[name] as MessageSpec;
  const reader = new Reader(bytes);
  const out: Record<string, unknown> = {};
  while (!reader.done) {
    const tag = Number(reader.varint());
    const number = tag >>> 3;
    const wire = tag & 7;
    const field = spec[number];
    if (!field) {
      if (reader.skip(wire)) throw unsupported(`field ${number} of ${name} is not decoded by the emulator`);
      continue;
    }
    let value: unknown;
    const type = field.type;
    if (type === 'skip') {
      reader.skip(wire);
      continue;
    }
    if (type === 'int' || type === 'bool') {
      if (wire !== 0) throw unsupported(`field ${field.name} of ${name} has wire type ${wire}`);
      const raw = reader.varint();
      value = type === 'bool' ? raw !== 0n : toInt(raw);
    } else {
      if (wire !== 2) throw unsupported(`field ${field.name} of ${name} has wire type ${wire}`);
      const chunk = reader.chunk();
      if (type === 'string') value = decodeString(chunk);
      else if (type === 'time') value = decodeTime(chunk);
      else if (type === 'intOrString') value = decodeIntOrString(chunk);
      else if (type === 'stringMap' || type === 'quantityMap') {
        const [key, entry] = decodeMapEntry(chunk, type === 'stringMap' ? decodeString : decodeQuantity);
        const map = (out[field.name] ??= {}) as Record<string, unknown>;
        map[key] = entry;
        continue;
      } else value = decodeMessage(chunk, type.message);
    }
    if (field.repeated) {
      ((out[field.name] ??= []) as unknown[]).push(value);
      continue;
    }
    if (isEmpty(value) && !(field.keepZero && value !== undefined)) continue;
    out[field.name] = value;
  }
  return out;
}

/**
 * Decodes a protobuf request body (the `k8s\0` magic, then a runtime.Unknown holding the object's type and raw
 * bytes) into the object's JSON form; 415 for a kind or a field the emulator does not decode.
 */
export function decodeKubeProtobuf(body: Uint8Array): Record<string, unknown> {
  if (body.length < 4 || MAGIC.some((byte, i) => body[i] !== byte)) throw unsupported('no protobuf envelope');
  const envelope = new Reader(body.subarray(4));
  let apiVersion = '';
  let kind = '';
  let raw: Uint8Array | undefined;
  while (!envelope.done) {
    const tag = Number(envelope.varint());
    if (tag === (1 << 3) + 2) {
      const typeMeta = new Reader(envelope.chunk());
      while (!typeMeta.done) {
        const inner = Number(typeMeta.varint());
        if (inner === (1 << 3) + 2) apiVersion = decodeString(typeMeta.chunk());
        else if (inner === (2 << 3) + 2) kind = decodeString(typeMeta.chunk());
        else typeMeta.skip(inner & 7);
      }
    } else if (tag === (2 << 3) + 2) raw = envelope.chunk();
    else envelope.skip(tag & 7);
  }
  const message = TOP_LEVEL[`${apiVersion}/${kind}`];
  if (!message || !raw) throw unsupported(`${apiVersion} ${kind} in protobuf is not decoded by the emulator`);
  return { apiVersion, kind, ...decodeMessage(raw, message) };
}
