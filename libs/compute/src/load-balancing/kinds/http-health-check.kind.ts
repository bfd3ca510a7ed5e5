import type { KindRequest, LoadBalancingKind, PreparedResource } from '../load-balancing-kind';
import { HTTP_HEALTH_CHECK } from '../../shared/wire-schemas.generated';
import { intField, invalid, present } from './kind-fields';

/**
 * Legacy HTTP health checks (`httpHealthChecks`, global only): what target pools use, and what GKE creates for
 * a Service of type LoadBalancer on a target pool (`k8s-<cluster>-node`, `GET /healthz` on port 10256).
 * Google's defaults: port 80, path `/`, 5 s interval and timeout, thresholds of 2.
 */
export const HTTP_HEALTH_CHECKS: LoadBalancingKind = {
  collection: 'httpHealthChecks',
  wireKind: 'compute#httpHealthCheck',
  resourceNoun: 'http_health_check',
  scopes: 'global',
  patchable: true,
  updatable: true,
  schema: HTTP_HEALTH_CHECK,
  async prepare({ body }: KindRequest): Promise<PreparedResource> {
    const requestPath = String(body['requestPath'] ?? '/');
    if (!requestPath.startsWith('/')) throw invalid('requestPath', requestPath, "Must start with '/'.");
    const checkIntervalSec = intField(body, 'checkIntervalSec', 5, 1, 300);
    const timeoutSec = intField(body, 'timeoutSec', 5, 1, 300);
    if (timeoutSec > checkIntervalSec) {
      throw invalid('timeoutSec', timeoutSec, 'TimeoutSec should be less than or equal to checkIntervalSec.');
    }
    return {
      fields: {
        ...present(body, ['description', 'host']),
        requestPath,
        port: intField(body, 'port', 80, 1, 65535),
        checkIntervalSec,
        timeoutSec,
        healthyThreshold: intField(body, 'healthyThreshold', 2, 1, 10),
        unhealthyThreshold: intField(body, 'unhealthyThreshold', 2, 1, 10),
      },
      references: [],
    };
  },
};
