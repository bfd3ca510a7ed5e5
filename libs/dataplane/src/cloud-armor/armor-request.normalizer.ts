import type { ArmorRequest, ArmorTokenAttributes } from './security-policy.types';

/** An `ArmorRequest` with defaults filled in and headers keyed the way rules see them. */
export interface NormalizedArmorRequest {
  readonly sourceIp: string;
  readonly userIp: string;
  readonly regionCode: string;
  readonly asn: number;
  readonly tlsJa3Fingerprint: string;
  readonly tlsJa4Fingerprint: string;
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly scheme: string;
  /** Lowercase names; repeated headers joined with ',' (doc: "a comma-separated string of all of the values"). */
  readonly headers: ReadonlyMap<string, string>;
  readonly sni: string;
  readonly backendService: string;
  readonly token: ArmorTokenAttributes;
}

const NO_TOKEN: ArmorTokenAttributes = {
  recaptchaExemptionValid: false,
  recaptchaActionScore: 0,
  recaptchaActionCaptchaStatus: '',
  recaptchaActionAction: '',
  recaptchaActionValid: false,
  recaptchaSessionScore: 0,
  recaptchaSessionValid: false,
};

export function normalizeArmorRequest(request: ArmorRequest): NormalizedArmorRequest {
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    const key = name.toLowerCase();
    const values = typeof value === 'string' ? [value] : [...value];
    const previous = headers.get(key);
    headers.set(key, [...(previous === undefined ? [] : [previous]), ...values].join(','));
  }
  return {
    sourceIp: request.sourceIp,
    userIp: request.userIp ?? '',
    regionCode: request.regionCode ?? '',
    asn: request.asn ?? 0,
    tlsJa3Fingerprint: request.tlsJa3Fingerprint ?? '',
    tlsJa4Fingerprint: request.tlsJa4Fingerprint ?? '',
    method: request.method,
    path: request.path,
    query: request.query ?? '',
    scheme: (request.scheme ?? 'http').toLowerCase(),
    headers,
    sni: request.sni ?? '',
    backendService: request.backendService ?? '',
    token: { ...NO_TOKEN, ...request.token },
  };
}
