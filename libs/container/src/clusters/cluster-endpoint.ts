import { Injectable } from '@nestjs/common';

/**
 * Where this process serves the Kubernetes API over TLS. The API server sets it once its TLS listener is up; a
 * cluster's `endpoint` is rendered from it when read (so every api process reports its own listener), as
 * `HOST:PORT/k8s/<project>/<location>/<cluster>`: gcloud writes `server: https://<endpoint>` into the kubeconfig,
 * and kubectl keeps the path.
 */
@Injectable()
export class ClusterEndpoint {
  private listener?: { host: string; port: number };

  set(host: string, port: number): void {
    this.listener = { host, port };
  }

  get address(): { host: string; port: number } | undefined {
    return this.listener;
  }

  /** The path prefix the Kubernetes API of one cluster is served under, on the TLS and the plain listener. */
  static pathOf(project: string, location: string, cluster: string): string {
    return `/k8s/${project}/${location}/${cluster}`;
  }

  /** The cluster's `endpoint` field; empty until the TLS listener is up. */
  render(project: string, location: string, cluster: string): string {
    if (!this.listener) return '';
    const host = this.listener.host.includes(':') ? `[${this.listener.host}]` : this.listener.host;
    return `${host}:${this.listener.port}${ClusterEndpoint.pathOf(project, location, cluster)}`;
  }
}
