// A URL map's routing of one HTTP request, as Application Load Balancers do it: the host rule whose host pattern
// fits the Host header (exact first, then the longest `*.`/`*-` suffix wildcard, then `*`) names a path matcher;
// in it the route rules (by ascending priority: prefix, full path or regex path, header and query matches) or
// else the path rules (longest path first; `/x/*` is a prefix, a path without `*` an exact match) pick the backend
// service or redirect; what nothing matches goes to the matcher's default, then the map's.

/** The parts of a URL map (compute v1 wire shape) that routing reads. */
export interface UrlMapSpec {
  name?: string;
  defaultService?: string;
  defaultUrlRedirect?: UrlRedirect;
  hostRules?: readonly { hosts?: readonly string[]; pathMatcher?: string }[];
  pathMatchers?: readonly PathMatcherSpec[];
}

export interface UrlRedirect {
  hostRedirect?: string;
  pathRedirect?: string;
  prefixRedirect?: string;
  httpsRedirect?: boolean;
  stripQuery?: boolean;
  redirectResponseCode?: string;
}

export interface PathMatcherSpec {
  name?: string;
  defaultService?: string;
  defaultUrlRedirect?: UrlRedirect;
  pathRules?: readonly { paths?: readonly string[]; service?: string; urlRedirect?: UrlRedirect }[];
  routeRules?: readonly RouteRuleSpec[];
}

export interface RouteRuleSpec {
  priority?: number;
  service?: string;
  urlRedirect?: UrlRedirect;
  routeAction?: { weightedBackendServices?: readonly { backendService?: string; weight?: number }[] };
  matchRules?: readonly {
    prefixMatch?: string;
    fullPathMatch?: string;
    regexMatch?: string;
    ignoreCase?: boolean;
    headerMatches?: readonly {
      headerName?: string;
      exactMatch?: string;
      prefixMatch?: string;
      suffixMatch?: string;
      presentMatch?: boolean;
      regexMatch?: string;
      invertMatch?: boolean;
    }[];
    queryParameterMatches?: readonly {
      name?: string;
      exactMatch?: string;
      presentMatch?: boolean;
      regexMatch?: string;
    }[];
  }[];
}

export interface UrlMapRequest {
  host: string;
  /** The path, optionally with `?query`. */
  path: string;
  headers?: Readonly<Record<string, string>>;
}

export interface UrlMapRoute {
  /** `hostRules[i]` that matched, or none (the map's defaults). */
  hostRule?: { index: number; host: string };
  pathMatcher?: string;
  /** What decided within the path matcher, e.g. `pathRules[0] /api/*`, `routeRules[priority 1]`, `defaultService`. */
  matched: string;
  /** The backend service (or bucket) link; absent for a redirect. */
  service?: string;
  /** Other weighted backend services the route may pick, with their weights. */
  weighted?: { service: string; weight: number }[];
  redirect?: UrlRedirect;
}

function hostOnly(host: string): string {
  const lower = host.trim().toLowerCase();
  if (lower.startsWith('[')) return lower.slice(0, lower.indexOf(']') + 1);
  const colon = lower.lastIndexOf(':');
  return colon > 0 && /^\d+$/.test(lower.slice(colon + 1)) ? lower.slice(0, colon) : lower;
}

/** How well a host pattern fits: -1 no match; larger is more specific. */
function hostScore(pattern: string, host: string, hostWithPort: string): number {
  const p = pattern.toLowerCase();
  if (p === '*') return 0;
  if (!p.startsWith('*')) return p === host || p === hostWithPort ? 1_000_000 : -1;
  const suffix = p.slice(1);
  return host.endsWith(suffix) && host.length > suffix.length ? suffix.length : -1;
}

function pathScore(pattern: string, path: string): number {
  if (pattern.endsWith('/*')) {
    const prefix = pattern.slice(0, -1);
    return path.startsWith(prefix) ? prefix.length : -1;
  }
  if (pattern === '*') return 0;
  return pattern === path ? pattern.length + 1 : -1;
}

function safeRegex(source: string, flags = ''): RegExp | null {
  try {
    return new RegExp(`^(?:${source})$`, flags);
  } catch {
    return null;
  }
}

type MatchRule = NonNullable<RouteRuleSpec['matchRules']>[number];

function matchRuleFits(
  rule: MatchRule,
  path: string,
  query: URLSearchParams,
  headers: Record<string, string>,
) {
  const fold = (text: string) => (rule.ignoreCase ? text.toLowerCase() : text);
  if (rule.prefixMatch !== undefined && !fold(path).startsWith(fold(rule.prefixMatch))) return false;
  if (rule.fullPathMatch !== undefined && fold(path) !== fold(rule.fullPathMatch)) return false;
  if (rule.regexMatch !== undefined && !safeRegex(rule.regexMatch, rule.ignoreCase ? 'i' : '')?.test(path))
    return false;
  for (const header of rule.headerMatches ?? []) {
    const value = headers[(header.headerName ?? '').toLowerCase()];
    let fits: boolean;
    if (header.presentMatch !== undefined) fits = (value !== undefined) === header.presentMatch;
    else if (value === undefined) fits = false;
    else if (header.exactMatch !== undefined) fits = value === header.exactMatch;
    else if (header.prefixMatch !== undefined) fits = value.startsWith(header.prefixMatch);
    else if (header.suffixMatch !== undefined) fits = value.endsWith(header.suffixMatch);
    else if (header.regexMatch !== undefined) fits = safeRegex(header.regexMatch)?.test(value) ?? false;
    else fits = true;
    if (header.invertMatch ? fits : !fits) return false;
  }
  for (const param of rule.queryParameterMatches ?? []) {
    const value = query.get(param.name ?? '');
    if (param.presentMatch !== undefined && (value !== null) !== param.presentMatch) return false;
    if (param.exactMatch !== undefined && value !== param.exactMatch) return false;
    if (param.regexMatch !== undefined && (value === null || !safeRegex(param.regexMatch)?.test(value)))
      return false;
  }
  return true;
}

function routeTarget(
  service: string | undefined,
  redirect: UrlRedirect | undefined,
  weighted?: RouteRuleSpec['routeAction'],
): Pick<UrlMapRoute, 'service' | 'redirect' | 'weighted'> {
  if (redirect) return { redirect };
  const choices = (weighted?.weightedBackendServices ?? [])
    .filter((choice) => choice.backendService)
    .map((choice) => ({ service: choice.backendService as string, weight: choice.weight ?? 0 }));
  if (!service && choices.length > 0) {
    const [first, ...rest] = [...choices].sort((a, b) => b.weight - a.weight);
    return { service: first?.service, ...(rest.length > 0 ? { weighted: choices } : {}) };
  }
  return service ? { service } : {};
}

/** Routes one request through a URL map. */
export function routeUrlMap(map: UrlMapSpec, request: UrlMapRequest): UrlMapRoute {
  const host = hostOnly(request.host);
  const hostWithPort = request.host.trim().toLowerCase();
  const [rawPath = '/', rawQuery = ''] = request.path.split('?', 2) as [string, string?];
  const path = rawPath || '/';
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
  headers['host'] ??= request.host;

  let best: { index: number; host: string; score: number; matcher?: string } | undefined;
  (map.hostRules ?? []).forEach((rule, index) => {
    for (const pattern of rule.hosts ?? []) {
      const score = hostScore(pattern, host, hostWithPort);
      if (score >= 0 && (!best || score > best.score))
        best = { index, host: pattern, score, ...(rule.pathMatcher ? { matcher: rule.pathMatcher } : {}) };
    }
  });
  const matcher = best?.matcher ? map.pathMatchers?.find((m) => m.name === best?.matcher) : undefined;
  const fallback = (): UrlMapRoute => ({
    ...(best ? { hostRule: { index: best.index, host: best.host } } : {}),
    ...(best?.matcher ? { pathMatcher: best.matcher } : {}),
    matched: map.defaultUrlRedirect ? 'defaultUrlRedirect' : 'defaultService',
    ...routeTarget(map.defaultService, map.defaultUrlRedirect),
  });
  if (!best || !matcher) return fallback();
  const base = { hostRule: { index: best.index, host: best.host }, pathMatcher: best.matcher as string };

  if (matcher.routeRules?.length) {
    const query = new URLSearchParams(rawQuery);
    const rules = [...matcher.routeRules].sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0));
    for (const rule of rules) {
      const fits = (rule.matchRules ?? []).some((match) => matchRuleFits(match, path, query, headers));
      if (fits) {
        return {
          ...base,
          matched: `routeRules[priority ${rule.priority ?? 0}]`,
          ...routeTarget(rule.service, rule.urlRedirect, rule.routeAction),
        };
      }
    }
  } else {
    let hit: { score: number; index: number; path: string } | undefined;
    (matcher.pathRules ?? []).forEach((rule, index) => {
      for (const pattern of rule.paths ?? []) {
        const score = pathScore(pattern, path);
        if (score >= 0 && (!hit || score > hit.score)) hit = { score, index, path: pattern };
      }
    });
    const rule = hit ? matcher.pathRules?.[hit.index] : undefined;
    if (hit && rule) {
      return {
        ...base,
        matched: `pathRules[${hit.index}] ${hit.path}`,
        ...routeTarget(rule.service, rule.urlRedirect),
      };
    }
  }
  if (matcher.defaultService || matcher.defaultUrlRedirect) {
    return {
      ...base,
      matched: matcher.defaultUrlRedirect
        ? `pathMatcher ${base.pathMatcher} defaultUrlRedirect`
        : `pathMatcher ${base.pathMatcher} defaultService`,
      ...routeTarget(matcher.defaultService, matcher.defaultUrlRedirect),
    };
  }
  return { ...fallback(), ...base };
}
