import { createPrivateKey, X509Certificate } from 'node:crypto';
import { GoogleErrors } from '@gke-emulator/common';
import type { WireObject } from '../../shared/compute-context';
import { pacificTimestamp } from '../../shared/timestamps';
import type { KindRequest, LoadBalancingKind, PreparedResource } from '../load-balancing-kind';
import { enumField, GLOBAL, invalid, present, stringList } from './kind-fields';
import { SSL_CERTIFICATE } from '../../shared/wire-schemas.generated';

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z][-a-z0-9]*[a-z0-9]$/i;

/** The certificate's SANs as Google lists them: DNS names and IP addresses, without their type prefix. */
function alternativeNames(cert: X509Certificate): string[] {
  return (cert.subjectAltName ?? '')
    .split(/,\s*/)
    .map((entry) => entry.replace(/^(?:DNS|IP Address):/, ''))
    .filter((entry) => entry !== '');
}

/**
 * A self-managed certificate: a PEM chain and its private key (input only, never returned). Google parses
 * both and derives `expireTime` and `subjectAlternativeNames` from the leaf.
 */
function selfManaged(body: WireObject): WireObject {
  const given = (body['selfManaged'] as WireObject | undefined) ?? {};
  const pem = String(body['certificate'] ?? given['certificate'] ?? '');
  const key = String(body['privateKey'] ?? given['privateKey'] ?? '');
  if (pem === '') throw GoogleErrors.required('resource.certificate');
  if (key === '') throw GoogleErrors.required('resource.privateKey');
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    throw invalid('certificate', '', 'The SSL certificate could not be parsed.');
  }
  try {
    createPrivateKey(key);
  } catch {
    throw invalid('privateKey', '', 'The SSL key could not be parsed.');
  }
  const sans = alternativeNames(cert);
  return {
    certificate: pem,
    expireTime: pacificTimestamp(new Date(cert.validTo)),
    selfManaged: { certificate: pem },
    ...(sans.length > 0 ? { subjectAlternativeNames: sans } : {}),
    type: 'SELF_MANAGED',
  };
}

/**
 * A Google-managed certificate: its domains, provisioning until a load balancer serves them (the emulator has
 * no DNS to validate, so they stay PROVISIONING as a fresh one does on Google Cloud).
 */
function managed(body: WireObject): WireObject {
  const domains = stringList((body['managed'] as WireObject | undefined)?.['domains']);
  if (domains.length === 0) throw GoogleErrors.required('resource.managed.domains');
  if (domains.length > 100) throw invalid('managed.domains', '', 'At most 100 domains can be set.');
  domains.forEach((domain, i) => {
    if (!DOMAIN.test(domain)) throw invalid(`managed.domains[${i}]`, domain, 'Must be a valid domain name.');
  });
  return {
    managed: {
      domains,
      status: 'PROVISIONING',
      domainStatus: Object.fromEntries(domains.map((domain) => [domain, 'PROVISIONING'])),
    },
    type: 'MANAGED',
  };
}

function prepare({ scope, body }: KindRequest): Promise<PreparedResource> {
  const type = enumField(
    body,
    'type',
    ['SELF_MANAGED', 'MANAGED'],
    body['managed'] !== undefined ? 'MANAGED' : 'SELF_MANAGED',
  );
  if (type === 'MANAGED' && scope !== GLOBAL) {
    throw invalid('type', type, 'Google-managed SSL certificates are global only.');
  }
  return Promise.resolve({
    fields: {
      ...present(body, ['description']),
      ...(type === 'MANAGED' ? managed(body) : selfManaged(body)),
    },
    references: [],
  });
}

/** SSL certificates (`sslCertificates`, global and regional), self-managed or Google-managed. */
export const SSL_CERTIFICATES: LoadBalancingKind = {
  collection: 'sslCertificates',
  wireKind: 'compute#sslCertificate',
  resourceNoun: 'ssl_certificate',
  scopes: 'both',
  patchable: false,
  updatable: false,
  schema: SSL_CERTIFICATE,
  prepare,
};
