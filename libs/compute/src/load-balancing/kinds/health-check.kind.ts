import { GoogleErrors } from '@gke-emulator/common';
import type { WireObject } from '../../shared/compute-context';
import type { KindRequest, LoadBalancingKind, PreparedResource } from '../load-balancing-kind';
import { HEALTH_CHECK } from '../../shared/wire-schemas.generated';

/** The probe field of each health check type, and its default port. */
const TYPES: Record<string, { field: string; defaultPort: number; http: boolean }> = {
  TCP: { field: 'tcpHealthCheck', defaultPort: 80, http: false },
  SSL: { field: 'sslHealthCheck', defaultPort: 443, http: false },
  HTTP: { field: 'httpHealthCheck', defaultPort: 80, http: true },
  HTTPS: { field: 'httpsHealthCheck', defaultPort: 443, http: true },
  HTTP2: { field: 'http2HealthCheck', defaultPort: 443, http: true },
  GRPC: { field: 'grpcHealthCheck', defaultPort: 80, http: false },
};

export const PORT_SPECIFICATIONS = ['USE_FIXED_PORT', 'USE_NAMED_PORT', 'USE_SERVING_PORT'];

function intField(body: WireObject, field: string, fallback: number, min: number, max: number): number {
  const value = body[field];
  if (value === undefined) return fallback;
  const n = Number(value);
  if (n < min || n > max) {
    throw GoogleErrors.invalidFieldValue(`resource.${field}`, value, `Must be between ${min} and ${max}.`);
  }
  return n;
}

function probeOf(type: string, given: WireObject | undefined): WireObject {
  const spec = TYPES[type] as { field: string; defaultPort: number; http: boolean };
  const probe = { ...(given ?? {}) };
  const field = `resource.${spec.field}`;
  const portSpecification = String(
    probe['portSpecification'] ?? (probe['portName'] ? 'USE_NAMED_PORT' : 'USE_FIXED_PORT'),
  );
  if (!PORT_SPECIFICATIONS.includes(portSpecification)) {
    throw GoogleErrors.invalidFieldValue(
      `${field}.portSpecification`,
      portSpecification,
      `Must be one of [${PORT_SPECIFICATIONS.join(', ')}].`,
    );
  }
  if (probe['port'] !== undefined && (Number(probe['port']) < 1 || Number(probe['port']) > 65535)) {
    throw GoogleErrors.invalidFieldValue(`${field}.port`, probe['port'], 'Must be between 1 and 65535.');
  }
  if (portSpecification === 'USE_NAMED_PORT' && !probe['portName']) {
    throw GoogleErrors.invalidFieldValue(
      `${field}.portName`,
      '',
      'A named port is required with USE_NAMED_PORT.',
    );
  }
  // Google returns `portSpecification` only when the client gave it (USE_FIXED_PORT applies unseen).
  const out: WireObject = { ...probe };
  if (portSpecification === 'USE_FIXED_PORT') out['port'] = Number(probe['port'] ?? spec.defaultPort);
  if (spec.http) {
    const path = String(probe['requestPath'] ?? '/');
    if (!path.startsWith('/'))
      throw GoogleErrors.invalidFieldValue(`${field}.requestPath`, path, "Must start with '/'.");
    out['requestPath'] = path;
  }
  if (type !== 'GRPC') out['proxyHeader'] = String(probe['proxyHeader'] ?? 'NONE');
  if (out['proxyHeader'] !== undefined && !['NONE', 'PROXY_V1'].includes(String(out['proxyHeader']))) {
    throw GoogleErrors.invalidFieldValue(
      `${field}.proxyHeader`,
      out['proxyHeader'],
      'Must be one of [NONE, PROXY_V1].',
    );
  }
  return out;
}

/**
 * Health checks (`healthChecks`, global and regional): the probe of the given type with Google's defaults
 * (5 s interval and timeout, thresholds of 2, the type's default port, request path `/`).
 */
export const HEALTH_CHECKS: LoadBalancingKind = {
  collection: 'healthChecks',
  wireKind: 'compute#healthCheck',
  resourceNoun: 'health_check',
  inUseNames: 'internal',
  scopes: 'both',
  patchable: true,
  updatable: true,
  schema: HEALTH_CHECK,
  async prepare({ body }: KindRequest): Promise<PreparedResource> {
    const given = Object.keys(TYPES).filter(
      (known) => body[(TYPES[known] as { field: string }).field] !== undefined,
    );
    const type = String(body['type'] ?? given[0] ?? '');
    if (!Object.hasOwn(TYPES, type)) {
      throw GoogleErrors.invalidFieldValue(
        'resource.type',
        type,
        `Must be one of [${Object.keys(TYPES).join(', ')}].`,
      );
    }
    const probeField = (TYPES[type] as { field: string }).field;
    const stray = given.filter((other) => other !== type);
    if (stray.length > 0) {
      const field = (TYPES[stray[0] as string] as { field: string }).field;
      throw GoogleErrors.invalidFieldValue(
        `resource.${field}`,
        '',
        `Only ${probeField} may be set on a ${type} health check.`,
      );
    }
    const checkIntervalSec = intField(body, 'checkIntervalSec', 5, 1, 300);
    const timeoutSec = intField(body, 'timeoutSec', 5, 1, 300);
    if (timeoutSec > checkIntervalSec) {
      throw GoogleErrors.invalidFieldValue(
        'resource.timeoutSec',
        timeoutSec,
        'TimeoutSec should be less than or equal to checkIntervalSec.',
      );
    }
    return {
      fields: {
        ...(body['description'] !== undefined ? { description: body['description'] } : {}),
        type,
        checkIntervalSec,
        timeoutSec,
        healthyThreshold: intField(body, 'healthyThreshold', 2, 1, 10),
        unhealthyThreshold: intField(body, 'unhealthyThreshold', 2, 1, 10),
        [probeField]: probeOf(type, body[probeField] as WireObject | undefined),
        ...(body['logConfig'] !== undefined ? { logConfig: body['logConfig'] } : {}),
      },
      references: [],
    };
  },
};
