import { createClient, type Client } from 'graphql-ws';
import { afterEach } from 'vitest';
import WebSocket from 'ws';
import type { TestApp } from '@gke-emulator/testing';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire objects read loosely in assertions
type Json = Record<string, any>;

/**
 * Subscriptions over WebSocket (graphql-transport-ws) to the app's /graphql for the tests of a describe block: one
 * client, made at the first subscription and disposed after each test. `subscribe` collects results and errors as
 * they come.
 */
export function useSubscriptions(app: TestApp) {
  let client: Client | undefined;
  afterEach(async () => {
    await client?.dispose();
    client = undefined;
  });

  return function subscribe(query: string, variables: Record<string, unknown>) {
    client ??= createClient({ url: `${app.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket });
    const results: Json[] = [];
    const errors: unknown[] = [];
    client.subscribe(
      { query, variables },
      {
        next: (result) => void results.push(result as Json),
        error: (error) => void errors.push(error),
        complete: () => undefined,
      },
    );
    return { results, errors };
  };
}
