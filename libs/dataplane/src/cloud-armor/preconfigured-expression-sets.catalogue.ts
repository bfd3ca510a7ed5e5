import { WAF_SIGNATURES, signatureId } from './preconfigured-waf.signatures';

/**
 * The preconfigured expression sets Cloud Armor accepts in `evaluatePreconfiguredExpr`/`evaluatePreconfiguredWaf`,
 * as Google lists them:
 * - CRS 3.0 (`sqli-stable` … `sessionfixation-canary`) and CRS 3.3 (`*-v33-stable|canary`, adding java, nodejs):
 *   the "Tuning Google Cloud Armor WAF rules" / "preconfigured WAF rules overview" tables (cloud.google.com/armor/docs/
 *   rule-tuning, waf-rules).
 * - CRS 4.22 (`*-v422-stable`, with `generic` instead of nodejs): configure-waf and rule-tuning examples; the
 *   `*-v422-canary` twins follow the stable/canary pattern of the older versions (not seen listed verbatim).
 * - `cve-canary`, `json-sqli-canary`: waf-rules page; `sourceiplist-*`: named IP lists (armor/docs/named-ip-lists).
 */
export type WafFamily =
  | 'sqli'
  | 'xss'
  | 'lfi'
  | 'rfi'
  | 'rce'
  | 'methodenforcement'
  | 'scannerdetection'
  | 'protocolattack'
  | 'php'
  | 'sessionfixation'
  | 'java'
  | 'nodejs'
  | 'generic'
  | 'cve'
  | 'json-sqli';

/** The OWASP CRS release a set is built from; it appears in signature ids (`owasp-crs-v030301-id942100-sqli`). */
export type CrsVersion = '3.0' | '3.3' | '4.22';

export type PreconfiguredExpressionSet =
  | { readonly kind: 'waf'; readonly id: string; readonly family: WafFamily; readonly crs: CrsVersion }
  | { readonly kind: 'sourceIpList'; readonly id: string; readonly provider: string };

const CRS30_FAMILIES: readonly WafFamily[] = [
  'sqli',
  'xss',
  'lfi',
  'rfi',
  'rce',
  'methodenforcement',
  'scannerdetection',
  'protocolattack',
  'php',
  'sessionfixation',
];
const CRS33_FAMILIES: readonly WafFamily[] = [...CRS30_FAMILIES, 'java', 'nodejs'];
const CRS422_FAMILIES: readonly WafFamily[] = [...CRS30_FAMILIES, 'java', 'generic'];
const CHANNELS = ['stable', 'canary'] as const;

function crsSets(
  families: readonly WafFamily[],
  crs: CrsVersion,
  infix: string,
): PreconfiguredExpressionSet[] {
  return families.flatMap((family) =>
    CHANNELS.map((channel) => ({ kind: 'waf' as const, id: `${family}${infix}-${channel}`, family, crs })),
  );
}

export const PRECONFIGURED_EXPRESSION_SETS: readonly PreconfiguredExpressionSet[] = [
  ...crsSets(CRS30_FAMILIES, '3.0', ''),
  ...crsSets(CRS33_FAMILIES, '3.3', '-v33'),
  ...crsSets(CRS422_FAMILIES, '4.22', '-v422'),
  { kind: 'waf', id: 'cve-canary', family: 'cve', crs: '3.0' },
  { kind: 'waf', id: 'json-sqli-canary', family: 'json-sqli', crs: '3.0' },
  ...['fastly', 'cloudflare', 'imperva'].map((provider) => ({
    kind: 'sourceIpList' as const,
    id: `sourceiplist-${provider}`,
    provider,
  })),
];

const BY_ID = new Map(PRECONFIGURED_EXPRESSION_SETS.map((set) => [set.id, set]));

export function findPreconfiguredExpressionSet(id: string): PreconfiguredExpressionSet | undefined {
  return BY_ID.get(id);
}

/** `compute#securityPoliciesListPreconfiguredExpressionSetsResponse` (securityPolicies.listPreconfiguredExpressionSets). */
export interface ListPreconfiguredExpressionSetsResponse {
  readonly preconfiguredExpressionSets: {
    readonly wafRules: {
      readonly expressionSets: readonly {
        readonly id: string;
        readonly aliases: readonly string[];
        /**
         * Only the signatures this emulator approximates (see preconfigured-waf.signatures.ts); Google lists every
         * CRS rule of the set. Ids use Google's `owasp-crs-v<version>-id<rule>-<family>` form.
         */
        readonly expressions: readonly { readonly id: string; readonly sensitivity: number }[];
      }[];
    };
  };
}

export function listPreconfiguredExpressionSets(): ListPreconfiguredExpressionSetsResponse {
  const expressionSets = PRECONFIGURED_EXPRESSION_SETS.map((set) => ({
    id: set.id,
    aliases: [],
    expressions:
      set.kind === 'waf'
        ? WAF_SIGNATURES.filter((s) => s.family === set.family).map((s) => ({
            id: signatureId(s, set.crs),
            sensitivity: s.sensitivity,
          }))
        : [],
  }));
  return { preconfiguredExpressionSets: { wafRules: { expressionSets } } };
}
