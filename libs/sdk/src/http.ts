import { GkeEmulatorError, GkeEmulatorUnavailableError, type GoogleErrorBody } from './errors';

export type QueryValue = string | number | boolean | undefined;

export interface HttpRequest {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
}

/**
 * The emulator's HTTP API: JSON in and out, Google's error bodies turned into `GkeEmulatorError`, and a failure of
 * the emulator's process (set by the launcher) reported at once instead of a connection error.
 */
export class EmulatorHttp {
  constructor(
    readonly url: string,
    private readonly failure: () => Error | undefined = () => undefined,
    /** after a connection error: why, if the emulator's process ended (may wait briefly for its exit) */
    private readonly connectionFailure: () => Promise<Error | undefined> = async () => undefined,
    /** the emulator's `--auth-token`, sent as `Authorization: Bearer` */
    private readonly authToken?: string,
  ) {}

  async json<T>(request: HttpRequest): Promise<T> {
    const response = await this.send(request, 'application/json');
    const text = await response.text();
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  async text(request: HttpRequest): Promise<{ text: string; headers: Headers }> {
    const response = await this.send(request, 'text/plain');
    return { text: await response.text(), headers: response.headers };
  }

  private async send(request: HttpRequest, accept: string): Promise<Response> {
    const method = request.method ?? 'GET';
    const url = new URL(this.url + request.path);
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const described = `${method} ${url.pathname}${url.search}`;
    const failed = this.failure();
    if (failed) throw failed;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          accept,
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(this.authToken ? { authorization: `Bearer ${this.authToken}` } : {}),
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
      });
    } catch (error) {
      const crashed = this.failure() ?? (await this.connectionFailure());
      if (crashed) throw crashed;
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new GkeEmulatorUnavailableError(
        `${described}: no emulator answers at ${this.url} (${cause?.code ?? cause?.message ?? String(error)})`,
        { cause: error },
      );
    }
    if (!response.ok) {
      const text = await response.text();
      let body: GoogleErrorBody | string = text;
      try {
        body = JSON.parse(text) as GoogleErrorBody;
      } catch {
        // not JSON: keep the text
      }
      throw new GkeEmulatorError(response.status, body, described);
    }
    return response;
  }
}
