import http from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '@gke-emulator/testing';

const app = useTestApp();

/** The response as sent (supertest would decompress it). */
function raw(path: string, encoding: string) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((done, fail) => {
    http
      .get(new URL(path, app.url), { headers: { 'accept-encoding': encoding } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      })
      .on('error', fail);
  });
}

describe('the topology page’s scripts', () => {
  it('are named by versioned URLs, served compressed by Accept-Encoding, cached for good at their version', async () => {
    const page = await request(app.url).get('/topology').expect(200);
    expect(page.headers['cache-control']).toBe('no-cache');
    const script = /<script src="(\/topology\/assets\/topology\.js\?v=([\w-]+))"/.exec(page.text);
    const worker = /data-elk-worker="(\/topology\/assets\/elk-worker\.js\?v=([\w-]+))"/.exec(page.text);
    if (!script?.[1] || !worker?.[1]) throw new Error(`no versioned script URLs in the page:\n${page.text}`);
    const identity = (await raw(script[1], 'identity')).body;
    expect(identity.toString()).toContain('graphql');
    const br = await raw(script[1], 'gzip, deflate, br');
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers['vary']).toBe('Accept-Encoding');
    expect(brotliDecompressSync(br.body).equals(identity)).toBe(true);
    const gzip = await raw(script[1], 'gzip, br;q=0');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).equals(identity)).toBe(true);
    expect(br.body.length).toBeLessThan(identity.length / 2);
    // Another (or no) version is revalidated, by the script's ETag.
    const stale = await request(app.url).get('/topology/assets/topology.js?v=old').expect(200);
    expect(stale.headers['cache-control']).toBe('no-cache');
    expect(stale.headers['etag']).toBe(`"${script[2]}"`);
    await request(app.url)
      .get('/topology/assets/topology.js')
      .set('if-none-match', `"${script[2]}"`)
      .expect(304);
    const elk = await raw(worker[1], 'br');
    expect(elk.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(elk.body).toString()).toContain('onmessage');
    await request(app.url).get('/topology/assets/other.js').expect(404);
  });
});
