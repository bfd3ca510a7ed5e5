import { PassThroughClient } from 'google-auth-library';

/**
 * Options that aim any `@google-cloud/compute` client at the emulator: REST transport, plain HTTP, and an auth
 * client that sends no credentials (the emulator accepts any token or none).
 */
export function computeClientOptions(app: { port: number }) {
  return {
    apiEndpoint: '127.0.0.1',
    port: app.port,
    protocol: 'http',
    fallback: true,
    // The client's AuthClient type comes from its own copy of google-auth-library.
    authClient: new PassThroughClient() as never,
  };
}
