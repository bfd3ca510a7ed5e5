import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { packageRoot } from '@gke-emulator/db';

/**
 * The discovery documents of the APIs the emulator serves, generated from the client libraries' protos by
 * tools/gen-discovery.mjs (committed gzipped under `documents/`, copied to `dist/discovery/` by the build). Each is
 * read once, when first asked for, and served with its root on the emulator.
 */
export const DISCOVERY_APIS: readonly { name: string; version: string; file: string }[] = [
  { name: 'compute', version: 'v1', file: 'compute.v1.json.gz' },
  { name: 'container', version: 'v1', file: 'container.v1.json.gz' },
];

type Document = Record<string, unknown> & { servicePath: string };

/** Where a document is: the built package's copy, else the sources' (tests and `tsx` runs). */
function documentPath(file: string): string {
  const built = join(packageRoot(), 'dist', 'discovery', file);
  return existsSync(built)
    ? built
    : join(packageRoot(), 'libs', 'server', 'src', 'discovery', 'documents', file);
}

/**
 * A document aimed at `rootUrl` (`http://127.0.0.1:8085/`): `rootUrl`, `mtlsRootUrl` and `baseUrl` name the
 * emulator; `servicePath` and `batchPath` are the emulator's as they are Google's (Compute under `compute/v1/`,
 * GKE at the root).
 */
export function rootedDocument(document: Document, rootUrl: string): Document {
  return { ...document, rootUrl, mtlsRootUrl: rootUrl, baseUrl: `${rootUrl}${document.servicePath}` };
}

export class DiscoveryDocuments {
  private readonly parsed = new Map<string, Document>();
  /** Rendered text by api, version and root (a few roots at most: the request gate allows only this emulator's). */
  private readonly rendered = new Map<string, string>();
  private readonly compressed = new Map<string, Buffer>();

  constructor(private readonly read: (file: string) => Buffer = (file) => readFileSync(documentPath(file))) {}

  /** The document of `name`/`version` as JSON text rooted at `rootUrl`, or undefined for an API not served. */
  text(name: string, version: string, rootUrl: string): string | undefined {
    const key = `${name}/${version}/${rootUrl}`;
    const cached = this.rendered.get(key);
    if (cached !== undefined) return cached;
    const document = this.document(name, version);
    if (!document) return undefined;
    const text = JSON.stringify(rootedDocument(document, rootUrl));
    if (this.rendered.size >= 16) this.rendered.delete(this.rendered.keys().next().value as string);
    this.rendered.set(key, text);
    return text;
  }

  /** The same, gzipped (Compute's is 3.4 MB of JSON, 0.4 MB gzipped): compressed once per root. */
  gzipped(name: string, version: string, rootUrl: string): Buffer | undefined {
    const key = `${name}/${version}/${rootUrl}`;
    const cached = this.compressed.get(key);
    if (cached !== undefined) return cached;
    const text = this.text(name, version, rootUrl);
    if (text === undefined) return undefined;
    const gzipped = gzipSync(text);
    if (this.compressed.size >= 16) this.compressed.delete(this.compressed.keys().next().value as string);
    this.compressed.set(key, gzipped);
    return gzipped;
  }

  /** The directory list (`discovery#directoryList`), filtered as Google's is by `name`. */
  directory(rootUrl: string, name?: string): Record<string, unknown> {
    const items = DISCOVERY_APIS.filter((api) => name === undefined || api.name === name).map((api) => {
      const document = this.document(api.name, api.version) as Document;
      return {
        kind: 'discovery#directoryItem',
        id: document['id'],
        name: api.name,
        version: api.version,
        title: document['title'],
        description: document['description'],
        discoveryRestUrl: `${rootUrl}discovery/v1/apis/${api.name}/${api.version}/rest`,
        icons: document['icons'],
        documentationLink: document['documentationLink'],
        preferred: true,
      };
    });
    return {
      kind: 'discovery#directoryList',
      discoveryVersion: 'v1',
      ...(items.length > 0 ? { items } : {}),
    };
  }

  private document(name: string, version: string): Document | undefined {
    const api = DISCOVERY_APIS.find((a) => a.name === name && a.version === version);
    if (!api) return undefined;
    let document = this.parsed.get(api.file);
    if (!document) {
      document = JSON.parse(gunzipSync(this.read(api.file)).toString('utf8')) as Document;
      this.parsed.set(api.file, document);
    }
    return document;
  }
}
