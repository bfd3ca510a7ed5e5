/** The parts of a Fastify request a Container controller reads. */
export interface IncomingRequest {
  protocol: string;
  headers: Record<string, string | string[] | undefined>;
}

/** Who asked and where links point: the base URL the client used, so gcloud follows them back here. */
export interface ContainerContext {
  project: string;
  base: string;
  /** an absolute link for a relative resource path (`projects/p/locations/l/clusters/c`) */
  link(path: string): string;
}

export function containerContext(request: IncomingRequest, project: string): ContainerContext {
  const host = String(request.headers['x-forwarded-host'] ?? request.headers['host'] ?? 'localhost');
  const proto = String(request.headers['x-forwarded-proto'] ?? request.protocol ?? 'http');
  const base = `${proto}://${host}/v1/`;
  return { project, base, link: (path) => `${base}${path}` };
}
