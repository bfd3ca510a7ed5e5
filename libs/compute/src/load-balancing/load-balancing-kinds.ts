import { Injectable } from '@nestjs/common';
import { Database } from '@gke-emulator/db';
import type { LoadBalancingKind } from './load-balancing-kind';
import { BACKEND_BUCKETS } from './kinds/backend-bucket.kind';
import { BACKEND_SERVICES } from './kinds/backend-service.kind';
import { forwardingRules } from './kinds/forwarding-rule.kind';
import { HEALTH_CHECKS } from './kinds/health-check.kind';
import { HTTP_HEALTH_CHECKS } from './kinds/http-health-check.kind';
import { SSL_CERTIFICATES } from './kinds/ssl-certificate.kind';
import { TARGET_GRPC_PROXIES } from './kinds/target-grpc-proxy.kind';
import { TARGET_HTTP_PROXIES } from './kinds/target-http-proxy.kind';
import { TARGET_HTTPS_PROXIES } from './kinds/target-https-proxy.kind';
import { TARGET_SSL_PROXIES, TARGET_TCP_PROXIES } from './kinds/target-tcp-proxy.kind';
import { TARGET_POOLS } from './kinds/target-pool.kind';
import { URL_MAPS } from './kinds/url-map.kind';

/** Every load-balancing kind the emulator implements, by URL collection. */
@Injectable()
export class LoadBalancingKinds {
  private readonly kinds: Map<string, LoadBalancingKind>;

  // Forwarding rules read addresses from the database to allocate and check IPs.
  constructor(db: Database) {
    this.kinds = new Map<string, LoadBalancingKind>(
      [
        HEALTH_CHECKS,
        BACKEND_SERVICES,
        HTTP_HEALTH_CHECKS,
        TARGET_POOLS,
        URL_MAPS,
        TARGET_HTTP_PROXIES,
        TARGET_HTTPS_PROXIES,
        TARGET_TCP_PROXIES,
        TARGET_SSL_PROXIES,
        TARGET_GRPC_PROXIES,
        SSL_CERTIFICATES,
        BACKEND_BUCKETS,
        forwardingRules(db),
      ].map((kind) => [kind.collection, kind]),
    );
  }

  byCollection(collection: string): LoadBalancingKind | undefined {
    return this.kinds.get(collection);
  }
}
