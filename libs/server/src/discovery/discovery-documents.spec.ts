import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DiscoveryDocuments, rootedDocument } from './discovery-documents';
import { acceptsGzip, rootUrlOf } from './discovery.controller';

const COMPUTE = {
  id: 'compute:v1',
  title: 'Compute Engine API',
  description: 'VMs.',
  rootUrl: 'https://compute.googleapis.com/',
  mtlsRootUrl: 'https://compute.googleapis.com/',
  servicePath: 'compute/v1/',
  baseUrl: 'https://compute.googleapis.com/compute/v1/',
  batchPath: 'batch/compute/v1',
};

describe('DiscoveryDocuments', () => {
  it('roots a document on the emulator: rootUrl, mtlsRootUrl and baseUrl; paths stay as Google has them', () => {
    expect(rootedDocument(COMPUTE, 'http://127.0.0.1:8085/')).toEqual({
      ...COMPUTE,
      rootUrl: 'http://127.0.0.1:8085/',
      mtlsRootUrl: 'http://127.0.0.1:8085/',
      baseUrl: 'http://127.0.0.1:8085/compute/v1/',
    });
  });

  it('reads each document once, whatever the roots it is served on, and knows only the APIs it has', () => {
    const reads: string[] = [];
    const documents = new DiscoveryDocuments((file) => {
      reads.push(file);
      return gzipSync(JSON.stringify(COMPUTE));
    });
    const a = JSON.parse(documents.text('compute', 'v1', 'http://a:1/') ?? '{}');
    const b = JSON.parse(documents.text('compute', 'v1', 'http://b:2/') ?? '{}');
    expect([a.baseUrl, b.baseUrl]).toEqual(['http://a:1/compute/v1/', 'http://b:2/compute/v1/']);
    expect(documents.text('compute', 'v1', 'http://a:1/')).toBe(JSON.stringify({ ...a }));
    expect(reads).toEqual(['compute.v1.json.gz']);
    expect(documents.text('compute', 'beta', 'http://a:1/')).toBeUndefined();
    expect(documents.text('storage', 'v1', 'http://a:1/')).toBeUndefined();
  });

  it('gzips a rooted document once per root', () => {
    const documents = new DiscoveryDocuments(() => gzipSync(JSON.stringify(COMPUTE)));
    const gzipped = documents.gzipped('compute', 'v1', 'http://a:1/');
    expect(gunzipSync(gzipped ?? Buffer.alloc(0)).toString()).toBe(
      documents.text('compute', 'v1', 'http://a:1/'),
    );
    expect(documents.gzipped('compute', 'v1', 'http://a:1/')).toBe(gzipped);
    expect(documents.gzipped('storage', 'v1', 'http://a:1/')).toBeUndefined();
  });

  it.each([
    ['gzip, deflate', true],
    ['deflate, GZIP;q=0.5', true],
    ['gzip;q=0, deflate', false],
    ['identity', false],
    [undefined, false],
  ])('Accept-Encoding %s takes gzip: %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });

  it('lists the APIs as directory items pointing at the emulator, filtered by name', () => {
    const documents = new DiscoveryDocuments(() => gzipSync(JSON.stringify(COMPUTE)));
    expect(documents.directory('http://h/', 'compute')).toEqual({
      kind: 'discovery#directoryList',
      discoveryVersion: 'v1',
      items: [
        {
          kind: 'discovery#directoryItem',
          id: 'compute:v1',
          name: 'compute',
          version: 'v1',
          title: 'Compute Engine API',
          description: 'VMs.',
          discoveryRestUrl: 'http://h/discovery/v1/apis/compute/v1/rest',
          preferred: true,
        },
      ],
    });
    expect(documents.directory('http://h/', 'nope')).toEqual({
      kind: 'discovery#directoryList',
      discoveryVersion: 'v1',
    });
  });

  it('takes the root from the Host (or X-Forwarded-Host/-Proto) the client used', () => {
    expect(rootUrlOf({ protocol: 'http', headers: { host: 'localhost:8085' } })).toBe(
      'http://localhost:8085/',
    );
    expect(
      rootUrlOf({
        protocol: 'http',
        headers: { host: 'localhost:8085', 'x-forwarded-host': 'gke.test', 'x-forwarded-proto': 'https' },
      }),
    ).toBe('https://gke.test/');
  });
});
