import { isCelError, parse, plan, type CelResult } from '@bufbuild/cel';
import { readOracle } from '@gke-emulator/test-oracles';
import { describe, expect, it } from 'vitest';
import { networkExtensionFuncs, networkExtensionRegistry } from './cel-network-ext';
import { createCloudArmorCelEnv } from './cloud-armor-cel.env';
import { messageOf, parseTextproto, textOf, type TextprotoMessage } from './textproto.parser';

// The cel-spec conformance files for the network extension and strings, run against the Cloud Armor CEL
// environment (its own lower/upper/matches/... plus the network extension functions).
type Expected =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'int'; readonly value: bigint }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'bytes'; readonly value: Uint8Array }
  | { readonly kind: 'error'; readonly message: string };

interface ConformanceCase {
  readonly name: string;
  readonly expr: string;
  readonly expected: Expected;
}

function expectedOf(test: TextprotoMessage): Expected {
  const value = messageOf(test.get('value')?.[0]);
  const error = messageOf(test.get('eval_error')?.[0]);
  if (error) {
    const message = textOf(messageOf(error.get('errors')?.[0])?.get('message')?.[0]) ?? '';
    return { kind: 'error', message };
  }
  if (!value) throw new Error('test without value or eval_error');
  const [[field, [literal] = []] = ['', []]] = [...value.entries()];
  switch (field) {
    case 'string_value':
      return { kind: 'string', value: textOf(literal) ?? '' };
    case 'int64_value':
      return { kind: 'int', value: BigInt(textOf(literal) ?? '') };
    case 'bool_value':
      return { kind: 'bool', value: textOf(literal) === 'true' };
    case 'bytes_value':
      return { kind: 'bytes', value: literal?.kind === 'bytes' ? literal.bytes : new Uint8Array() };
    default:
      throw new Error(`unsupported expected value ${field}`);
  }
}

function loadCases(file: string): ConformanceCase[] {
  const root = parseTextproto(readOracle('cloud-armor', file));
  return (root.get('section') ?? []).flatMap((sectionValue) => {
    const section = messageOf(sectionValue);
    const sectionName = textOf(section?.get('name')?.[0]);
    return (section?.get('test') ?? []).map((testValue) => {
      const test = messageOf(testValue);
      if (!test) throw new Error('malformed test');
      return {
        name: `${sectionName}/${textOf(test.get('name')?.[0])}`,
        expr: textOf(test.get('expr')?.[0]) ?? '',
        expected: expectedOf(test),
      };
    });
  });
}

const env = createCloudArmorCelEnv({ funcs: networkExtensionFuncs, registry: networkExtensionRegistry });

function run(expr: string): CelResult {
  return plan(env, parse(expr))();
}

function check(result: CelResult, expected: Expected): void {
  if (expected.kind === 'error') {
    expect(isCelError(result) ? result.message : result).toContain(expected.message);
    return;
  }
  if (isCelError(result)) throw result;
  if (expected.kind === 'bytes') expect(result).toEqual(expected.value);
  else expect(result).toBe(expected.value);
}

describe.each([
  { file: 'cel-spec_network_ext.textproto', count: 69 },
  { file: 'cel-spec_string.textproto', count: 51 },
])('CEL conformance $file', ({ file, count }) => {
  const cases = loadCases(file);

  it(`reads all ${count} test blocks`, () => {
    expect(cases).toHaveLength(count);
  });

  it.each(cases)('$name: $expr', ({ expr, expected }) => {
    check(run(expr), expected);
  });
});
