import http from 'node:http';
import { createClient } from 'graphql-ws';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { useTestApp } from '@gke-emulator/testing';

const K = 'kubernetes(project: "p", location: "us-central1-a", cluster: "c1")';

interface GraphqlErrors {
  errors?: { message: string; extensions?: { code?: string; limit?: number; found?: number } }[];
  data?: unknown;
}

describe('GraphQL depth, alias and cost limits', () => {
  const app = useTestApp();
  const post = async (query: string) =>
    (await request(app.url).post('/graphql').send({ query })).body as GraphqlErrors;

  it('refuses the pods → node → pods cycle before running any resolver', async () => {
    const body = await post(`{ ${K} { nodes { pods { node { pods { node { pods { name } } } } } } } }`);
    expect(body.data ?? null).toBeNull();
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(body.errors?.[0]?.extensions).toMatchObject({ limit: 10_000 });
  });

  it('refuses 2,000 aliases and a query deeper than the limit', async () => {
    const aliases = Array.from({ length: 2000 }, (_, i) => `a${i.toString(36)}:__typename`).join(' ');
    const many = await post(`{ ${aliases} }`);
    expect(many.errors?.map((e) => e.extensions?.code)).toContain('TOO_MANY_ALIASES');
    expect(many.errors?.find((e) => e.extensions?.code === 'TOO_MANY_ALIASES')?.extensions).toEqual({
      code: 'TOO_MANY_ALIASES',
      limit: 100,
      found: 2000,
    });
    let nested = 'name';
    for (let i = 0; i < 12; i++) nested = `subnetworks { network { ${nested} } }`;
    const deep = await post(`{ networks(project: "p") { ${nested} } }`);
    expect(deep.errors?.map((e) => e.extensions?.code)).toContain('QUERY_TOO_DEEP');
  });

  it('caps the size of a document', async () => {
    const long = await post(`{ ${'__typename '.repeat(4_000)} }`);
    expect(long.errors?.[0]?.extensions).toEqual({ code: 'QUERY_TOO_LARGE', limit: 32_768, found: 44_004 });
    // A body over 256 KiB is refused on its content-length, unread.
    const huge = await request(app.url)
      .post('/graphql')
      .send({ query: `{ ${'__typename '.repeat(60_000)} }` });
    expect(huge.status).toBe(413);
    expect((huge.body as GraphqlErrors).errors?.[0]?.extensions).toEqual({
      code: 'REQUEST_TOO_LARGE',
      limit: 262_144,
      found: 660_016,
    });
    const tokens = await post(`{ ${'a '.repeat(15_000)} }`);
    expect(tokens.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_LARGE', limit: 10_000 });
  });

  it('answers every oversized body with its 413, not a reset, and keeps serving', async () => {
    // The refusal goes out before the body is read; the connection then lingers unread for a moment so that a client
    // still uploading reads the answer instead of a reset (EPIPE / ECONNRESET).
    const payload = JSON.stringify({ query: `{ ${'__typename '.repeat(60_000)} }` });
    const url = new URL('/graphql', app.url);
    const once = () =>
      new Promise<number>((resolve, reject) => {
        const req = http.request(
          url,
          { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.on('socket', (socket) => socket.on('error', () => undefined));
        req.end(payload);
      });
    const statuses = await Promise.all(Array.from({ length: 40 }, once));
    expect(statuses).toEqual(Array.from({ length: 40 }, () => 413));
    expect((await post('{ __typename }')).data).toEqual({ __typename: 'Query' });
  });

  it('still runs ordinary queries, aliases included', async () => {
    const aliases = Array.from({ length: 99 }, (_, i) => `n${i}: networks(project: "limits") { name }`);
    const body = await post(
      `{ a: networks(project: "limits") { name subnetworks { name } } ${aliases.join(' ')} }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toMatchObject({ a: [], n98: [] });
  });

  it('applies to subscriptions too', async () => {
    const client = createClient({
      url: `${app.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    const aliases = Array.from(
      { length: 150 },
      (_, i) => `s${i}: nodeEffectiveStateChanged(project: "p", location: "l", cluster: "c") { name }`,
    ).join(' ');
    const outcome = await new Promise<string>((resolve) => {
      client.subscribe(
        { query: `subscription { ${aliases} }` },
        {
          next: (value) => resolve(JSON.stringify(value)),
          error: (error) => resolve(JSON.stringify(error)),
          complete: () => resolve('complete'),
        },
      );
    }).finally(() => client.dispose());
    expect(outcome).toContain('TOO_MANY_ALIASES');
  });
});
