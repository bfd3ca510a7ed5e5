import { describe, expect, it } from 'vitest';
import { validateSpec } from './connectivity-test.wire';

const spec = (
  source: Record<string, unknown>,
  destination: Record<string, unknown> = { ipAddress: '10.0.0.2' },
) => ({
  source,
  destination: { port: 80, ...destination },
  protocol: 'TCP',
});

describe('validateSpec: endpoint addresses', () => {
  it('takes dotted-quad IPv4 addresses on either side', () => {
    expect(() => validateSpec(spec({ ipAddress: '10.0.0.1' }))).not.toThrow();
    expect(() =>
      validateSpec(spec({ ipAddress: '255.255.255.255' }, { ipAddress: '0.0.0.0' })),
    ).not.toThrow();
  });

  it.each(['10.0.0', '10.0.0.256', '10.0.0.1.2', 'ten.0.0.1', ' 10.0.0.1', '10.0.0.01', '::1'])(
    'refuses %j with the field named (the tracer could not read it either)',
    (address) => {
      expect(() => validateSpec(spec({ ipAddress: address }))).toThrow(
        `Invalid value for 'source.ipAddress': '${address}'. Must be a valid IPv4 address.`,
      );
      expect(() => validateSpec(spec({ ipAddress: '10.0.0.1' }, { ipAddress: address }))).toThrow(
        `Invalid value for 'destination.ipAddress'`,
      );
    },
  );
});
