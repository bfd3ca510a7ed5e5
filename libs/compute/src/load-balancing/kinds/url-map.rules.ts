import { GoogleErrors } from '@gke-emulator/common';
import type { WireObject } from '../../shared/compute-context';
import { NAME_PATTERN } from '../../shared/names';
import type { LoadBalancingRecord, ReferenceResolver, ResourceReferenceInput } from '../load-balancing-kind';
import { isPassthrough } from './backend-service.rules';
import { invalid, referenceTo, stringList } from './kind-fields';

const URL_MAP_PROTOCOLS = ['HTTP', 'HTTPS', 'HTTP2', 'GRPC', 'H2C'];

/**
 * Resolves every backend service a URL map names, in the URL map's scope, and checks that an Application Load
 * Balancer can use it: an HTTP-family protocol, a proxy scheme, and one scheme for the whole map.
 */
export class ServiceLinks {
  readonly references: ResourceReferenceInput[] = [];
  private scheme: string | undefined;

  constructor(
    private readonly resolve: ReferenceResolver,
    private readonly scope: string,
  ) {}

  /** The stored (relative) link of the backend service named at `field`. */
  async link(given: unknown, field: string): Promise<string> {
    const link = String(given);
    // Global URL maps may also route to backend buckets (Cloud Storage), which have no scheme or protocol.
    const kinds = this.scope === 'global' ? ['backendServices', 'backendBuckets'] : ['backendServices'];
    const record = await this.resolve.loadBalancing(kinds, link, `resource.${field}`);
    if (record.kind === 'backendBuckets') return this.keep(record);
    if (record.scope !== this.scope) {
      throw invalid(
        field,
        link,
        this.scope === 'global'
          ? 'A global URL map can only use global backend services.'
          : `A regional URL map can only use backend services of region '${this.scope}'.`,
      );
    }
    const scheme = String(record.resource['loadBalancingScheme']);
    const protocol = String(record.resource['protocol']);
    if (isPassthrough(scheme, record.scope) || !URL_MAP_PROTOCOLS.includes(protocol)) {
      throw invalid(
        field,
        link,
        `A backend service with load balancing scheme ${scheme} and protocol ${protocol} cannot be used by a URL map.`,
      );
    }
    if (this.scheme !== undefined && this.scheme !== scheme) {
      throw invalid(
        field,
        link,
        `All backend services of a URL map must have the same load balancing scheme (${this.scheme}).`,
      );
    }
    this.scheme = scheme;
    return this.keep(record);
  }

  /** Records the reference once and returns the stored link. */
  private keep(record: LoadBalancingRecord): string {
    if (!this.references.some((r) => r.targetLink === record.resource['selfLink'])) {
      this.references.push(referenceTo(record));
    }
    return String(record.resource['selfLink']);
  }
}

/** A path of a path rule: starts with `/`, `*` only as the last character after a `/`, no query or fragment. */
function checkPath(path: string, field: string): void {
  const star = path.indexOf('*');
  const ok =
    path.startsWith('/') &&
    !/[?#]/.test(path) &&
    (star === -1 || (star === path.length - 1 && path.endsWith('/*')));
  if (!ok) {
    throw invalid(
      field,
      path,
      "A path must start with '/', may contain '*' only at its end after a '/', and cannot contain '?' or '#'.",
    );
  }
}

/** Where traffic goes: a service, a redirect or a route action; at least one is required, service xor redirect. */
export function checkDestination(
  object: WireObject,
  field: string,
  keys: { service: string; redirect: string; action: string },
): void {
  const has = (key: string) => object[key] !== undefined && object[key] !== '';
  if (has(keys.service) && has(keys.redirect)) {
    throw invalid(
      `${field}${keys.redirect}`,
      '',
      `Only one of ${keys.service} and ${keys.redirect} may be set.`,
    );
  }
  if (!has(keys.service) && !has(keys.redirect) && !has(keys.action)) {
    throw GoogleErrors.invalidFieldValue(
      `resource.${field}${keys.service}`,
      '',
      `One of ${keys.service}, ${keys.redirect} or ${keys.action} must be set.`,
    );
  }
}

export const DEFAULT_DESTINATION = {
  service: 'defaultService',
  redirect: 'defaultUrlRedirect',
  action: 'defaultRouteAction',
};

/** `pathMatchers[]`: unique names, each with a default destination and well-formed, unique paths. */
export async function pathMatchersOf(given: unknown, services: ServiceLinks): Promise<WireObject[]> {
  const matchers = Array.isArray(given) ? (given as WireObject[]) : [];
  const names = new Set<string>();
  const out: WireObject[] = [];
  for (const [i, matcher] of matchers.entries()) {
    const field = `pathMatchers[${i}]`;
    const name = matcher['name'];
    if (typeof name !== 'string' || name === '') throw GoogleErrors.required(`resource.${field}.name`);
    if (!NAME_PATTERN.test(name)) {
      throw invalid(
        `${field}.name`,
        name,
        "Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'",
      );
    }
    if (names.has(name)) throw invalid(`${field}.name`, name, 'Path matcher names must be unique.');
    names.add(name);
    checkDestination(matcher, `${field}.`, DEFAULT_DESTINATION);
    const next: WireObject = { ...matcher };
    if (matcher['defaultService'] !== undefined) {
      next['defaultService'] = await services.link(matcher['defaultService'], `${field}.defaultService`);
    }
    const paths = new Set<string>();
    const rules = Array.isArray(matcher['pathRules']) ? (matcher['pathRules'] as WireObject[]) : [];
    const pathRules: WireObject[] = [];
    for (const [j, rule] of rules.entries()) {
      const ruleField = `${field}.pathRules[${j}]`;
      const rulePaths = stringList(rule['paths']);
      if (rulePaths.length === 0) throw GoogleErrors.required(`resource.${ruleField}.paths`);
      for (const [k, path] of rulePaths.entries()) {
        checkPath(path, `${ruleField}.paths[${k}]`);
        if (paths.has(path)) {
          throw invalid(`${ruleField}.paths[${k}]`, path, `Duplicate path in path matcher '${name}'.`);
        }
        paths.add(path);
      }
      checkDestination(rule, `${ruleField}.`, {
        service: 'service',
        redirect: 'urlRedirect',
        action: 'routeAction',
      });
      pathRules.push(
        rule['service'] === undefined
          ? rule
          : { ...rule, service: await services.link(rule['service'], `${ruleField}.service`) },
      );
    }
    if (pathRules.length > 0) next['pathRules'] = pathRules;
    else delete next['pathRules'];
    const routeRules = Array.isArray(matcher['routeRules']) ? (matcher['routeRules'] as WireObject[]) : [];
    if (routeRules.length > 0) {
      next['routeRules'] = await Promise.all(
        routeRules.map(async (rule, j) =>
          rule['service'] === undefined
            ? rule
            : { ...rule, service: await services.link(rule['service'], `${field}.routeRules[${j}].service`) },
        ),
      );
    }
    out.push(next);
  }
  return out;
}

/** `hostRules[]`: each names an existing path matcher, and a host belongs to one rule only. */
export function checkHostRules(given: unknown, matchers: readonly WireObject[]): WireObject[] {
  const rules = Array.isArray(given) ? (given as WireObject[]) : [];
  const names = new Set(matchers.map((m) => String(m['name'])));
  const hosts = new Set<string>();
  for (const [i, rule] of rules.entries()) {
    const field = `hostRules[${i}]`;
    const list = stringList(rule['hosts']);
    if (list.length === 0) throw GoogleErrors.required(`resource.${field}.hosts`);
    for (const [j, host] of list.entries()) {
      if (hosts.has(host)) {
        throw invalid(`${field}.hosts[${j}]`, host, 'A host can only appear in one host rule of a URL map.');
      }
      hosts.add(host);
    }
    const matcher = rule['pathMatcher'];
    if (typeof matcher !== 'string' || matcher === '') {
      throw GoogleErrors.required(`resource.${field}.pathMatcher`);
    }
    if (!names.has(matcher)) {
      throw invalid(`${field}.pathMatcher`, matcher, `The URL map has no path matcher named '${matcher}'.`);
    }
  }
  return rules;
}
