// Generates the discovery documents the emulator serves at /discovery/v1/apis/{compute,container}/v1/rest from the
// protos of the client libraries this project depends on (@google-cloud/compute and @google-cloud/container, and the
// google-gax protos they import): resources, methods, parameters and schemas as Google's discovery service lays
// them out, described by the protos' comments. The emulator replaces the Google host by its own when serving.
// Usage: node tools/gen-discovery.mjs            writes libs/server/src/discovery/documents/*.json.gz
//        node tools/gen-discovery.mjs --check    exits 1 when the committed documents differ from a regeneration
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { buildDiscovery } from './discovery/discovery.mjs';
import { emptyModel, parseProto } from './discovery/proto.mjs';

const root = new URL('..', import.meta.url).pathname;
export const OUTPUT_DIR = join(root, 'libs/server/src/discovery/documents');

const require = createRequire(import.meta.url);
/** The directory of package `name` as `from` resolves it (found from its entry: google-gax exports no package.json). */
function packageDir(name, from = require) {
  let dir = dirname(from.resolve(name));
  while (
    !existsSync(join(dir, 'package.json')) ||
    JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !== name
  ) {
    if (dirname(dir) === dir) throw new Error(`no package directory for ${name}`);
    dir = dirname(dir);
  }
  return dir;
}

/** The APIs, their protos and what the discovery document says about them. */
function apis() {
  const compute = packageDir('@google-cloud/compute');
  const container = packageDir('@google-cloud/container');
  const gax = (dir) => packageDir('google-gax', createRequire(join(dir, 'package.json')));
  const wellKnown = (dir) =>
    [
      'google/protobuf/empty.proto',
      'google/protobuf/any.proto',
      'google/rpc/status.proto',
      'google/rpc/code.proto',
      'google/type/date.proto',
      'google/type/timeofday.proto',
    ].map((file) => join(gax(dir), 'build/protos', file));
  const version = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
  return [
    {
      file: 'compute.v1.json.gz',
      protos: [join(compute, 'build/protos/google/cloud/compute/v1/compute.proto'), ...wellKnown(compute)],
      api: {
        name: 'compute',
        version: 'v1',
        title: 'Compute Engine API',
        description: 'Creates and runs virtual machines on Google Cloud Platform.',
        documentationLink: 'https://cloud.google.com/compute/',
        layout: 'compute',
        packageName: 'google.cloud.compute.v1',
        host: 'compute.googleapis.com',
        servicePath: 'compute/v1/',
        batchPath: 'batch/compute/v1',
        revision: `npm-google-cloud-compute-${version(compute)}`,
      },
    },
    {
      file: 'container.v1.json.gz',
      protos: [
        join(container, 'build/protos/google/container/v1/cluster_service.proto'),
        ...wellKnown(container),
      ],
      api: {
        name: 'container',
        version: 'v1',
        title: 'Kubernetes Engine API',
        description:
          'Builds and manages container-based applications, powered by the open source Kubernetes technology.',
        documentationLink: 'https://cloud.google.com/kubernetes-engine/docs/',
        layout: 'onePlatform',
        packageName: 'google.container.v1',
        host: 'container.googleapis.com',
        servicePath: '',
        batchPath: 'batch',
        revision: `npm-google-cloud-container-${version(container)}`,
      },
    },
  ];
}

/** Every document, as the JSON text committed (compact: the emulator serves it compact too). */
export function generate() {
  return apis().map(({ file, protos, api }) => {
    const model = emptyModel();
    for (const proto of protos) parseProto(readFileSync(proto, 'utf8'), model);
    return { file, text: JSON.stringify(buildDiscovery(model, api)) };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const check = process.argv.includes('--check');
  let stale = false;
  for (const { file, text } of generate()) {
    const path = join(OUTPUT_DIR, file);
    if (check) {
      let committed = '';
      try {
        committed = gunzipSync(readFileSync(path)).toString('utf8');
      } catch {
        // missing or unreadable: stale
      }
      if (committed !== text) {
        console.error(`${path} differs from a regeneration: run node tools/gen-discovery.mjs`);
        stale = true;
      }
    } else {
      writeFileSync(path, gzipSync(text, { level: 9 }));
      console.error(`${path}: ${text.length} bytes of JSON`);
    }
  }
  process.exit(stale ? 1 : 0);
}
