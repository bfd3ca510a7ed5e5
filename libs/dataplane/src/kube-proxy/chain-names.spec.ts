import { readOracle } from '@gke-emulator/test-oracles';
import { describe, expect, it } from 'vitest';

import { endpointChainName, isServiceChainName, portProtoHash, servicePortChainNames } from './chain-names';

// Oracle 04: chain names kube-proxy derives from base32(sha256(servicePortName + protocol [+
// endpoint]))[:16].

interface ChainNameOracle {
  readonly service_chains: readonly {
    readonly servicePortName: string;
    readonly protocol: string;
    readonly 'KUBE-SVC': string;
    readonly 'KUBE-SVL': string;
    readonly 'KUBE-EXT': string;
    readonly 'KUBE-FW': string;
  }[];
  readonly endpoint_chains: readonly {
    readonly servicePortName: string;
    readonly protocol: string;
    readonly endpoint: string;
    readonly 'KUBE-SEP': string;
  }[];
}

const oracle = JSON.parse(readOracle('kube-proxy', '04_chain_name_hashes.json')) as ChainNameOracle;

describe('chain names (oracle 04)', () => {
  it.each(oracle.service_chains)('names the chains of $servicePortName/$protocol', (row) => {
    expect(servicePortChainNames(row.servicePortName, row.protocol)).toEqual({
      cluster: row['KUBE-SVC'],
      local: row['KUBE-SVL'],
      external: row['KUBE-EXT'],
      firewall: row['KUBE-FW'],
    });
  });

  it.each(oracle.endpoint_chains)('names the endpoint chain of $servicePortName -> $endpoint', (row) => {
    expect(endpointChainName(row.servicePortName, row.protocol, row.endpoint)).toBe(row['KUBE-SEP']);
  });

  it('hashes an unnamed port as "namespace/name" (oracle 06 header)', () => {
    expect(portProtoHash('ns1/svc1', 'tcp')).toBe('AQI2S6QIMU7PVVRP');
    expect(endpointChainName('ns1/svc1', 'tcp', '10.0.1.3:80')).toBe('KUBE-SEP-XGJFVO3L2O5SRFNT');
  });

  it.each([
    ['KUBE-SVC-XPGD46QRK7WJZT7O', true],
    ['KUBE-SEP-SXIVWICOYRO3J4NJ', true],
    ['KUBE-FW-NUKIZ6OKUXPJNT4C', true],
    ['KUBE-SERVICES', false],
    ['KUBE-MARK-MASQ', false],
  ])('knows %s is a per-service chain: %s', (chain, expected) => {
    expect(isServiceChainName(chain)).toBe(expected);
  });
});
