import {
  CelScalar,
  celEnv,
  celFunc,
  celMethod,
  type CelEnv,
  type CelFunc,
  type CelInput,
} from '@bufbuild/cel';
import type { Registry } from '@bufbuild/protobuf';
import type { NormalizedArmorRequest } from './armor-request.normalizer';
import {
  base64Decode,
  lowerAscii,
  upperAscii,
  urlDecode,
  urlDecodeUni,
  utf8ToUnicode,
} from './cel-string-functions';
import { parseIpAddress, parseIpPrefix, prefixContains, unmapIpv4 } from './ip-address';
import { latin1Matches } from './latin1-regex';

const { BOOL, STRING } = CelScalar;

function matches(subject: string, pattern: string): boolean {
  const result = latin1Matches(subject, pattern);
  if (result instanceof Error) throw result;
  return result;
}

/** Google's library answers these errors (cloudarmor.go `inIpRange`); the rule then does not match. */
function inIpRange(ip: string, range: string): boolean {
  const address = parseIpAddress(ip);
  if (address === null || address.zone !== '') throw new Error(`invalid IP address: ${ip}`);
  const prefix = parseIpPrefix(range);
  if (prefix === null || prefix.address.zone !== '') throw new Error(`invalid IP range: ${range}`);
  return prefixContains({ ...prefix, address: unmapIpv4(prefix.address) }, unmapIpv4(address));
}

/** The functions Cloud Armor adds to (or changes in) standard CEL. */
export const CLOUD_ARMOR_CEL_FUNCS: readonly CelFunc[] = [
  celFunc('inIpRange', [STRING, STRING], BOOL, inIpRange),
  celMethod('lower', STRING, [], STRING, function () {
    return lowerAscii(this);
  }),
  celMethod('upper', STRING, [], STRING, function () {
    return upperAscii(this);
  }),
  celMethod('base64Decode', STRING, [], STRING, function () {
    return base64Decode(this);
  }),
  celMethod('urlDecode', STRING, [], STRING, function () {
    return urlDecode(this);
  }),
  celMethod('urlDecodeUni', STRING, [], STRING, function () {
    return urlDecodeUni(this);
  }),
  celMethod('utf8ToUnicode', STRING, [], STRING, function () {
    return utf8ToUnicode(this);
  }),
  celMethod('matches', STRING, [STRING], BOOL, function (pattern) {
    return matches(this, pattern);
  }),
  celFunc('matches', [STRING, STRING], BOOL, matches),
];

export interface CloudArmorCelEnvOptions {
  /** More functions (the CEL network extension for conformance runs). */
  readonly funcs?: readonly CelFunc[];
  readonly registry?: Registry;
}

export function createCloudArmorCelEnv(options: CloudArmorCelEnvOptions = {}): CelEnv {
  return celEnv({
    funcs: [...CLOUD_ARMOR_CEL_FUNCS, ...(options.funcs ?? [])],
    ...(options.registry ? { registry: options.registry } : {}),
  });
}

/** The `request`, `origin` and `token` variables of the rules language. */
export function cloudArmorBindings(request: NormalizedArmorRequest): Record<string, CelInput> {
  const token = request.token;
  return {
    request: {
      method: request.method,
      headers: new Map(request.headers),
      path: request.path,
      query: request.query,
      scheme: request.scheme,
    },
    origin: {
      ip: request.sourceIp,
      user_ip: request.userIp,
      region_code: request.regionCode,
      asn: BigInt(request.asn),
      tls_ja3_fingerprint: request.tlsJa3Fingerprint,
      tls_ja4_fingerprint: request.tlsJa4Fingerprint,
    },
    token: {
      recaptcha_exemption: { valid: token.recaptchaExemptionValid },
      recaptcha_action: {
        score: token.recaptchaActionScore,
        captcha_status: token.recaptchaActionCaptchaStatus,
        action: token.recaptchaActionAction,
        valid: token.recaptchaActionValid,
      },
      recaptcha_session: { score: token.recaptchaSessionScore, valid: token.recaptchaSessionValid },
    },
  };
}
