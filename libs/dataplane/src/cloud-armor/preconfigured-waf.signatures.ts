import type { CrsVersion, WafFamily } from './preconfigured-expression-sets.catalogue';

/**
 * A handful of regular expressions standing in for each preconfigured WAF rule set. They are NOT the OWASP Core
 * Rule Set: each approximates the intent of one CRS rule (whose number it borrows so opt-out lists keep working)
 * well enough for an emulator to block obvious attacks and let ordinary traffic through. Paranoia levels are not
 * modelled; every signature has sensitivity 1. Request bodies are not inspected.
 */
export type WafTarget =
  /** URL-decoded path and query. */
  | 'args'
  /** URL-decoded path, query and every header value (cookies included). */
  | 'all'
  | 'user-agent'
  /** The method, tested against a list of allowed methods. */
  | 'method';

export interface WafSignature {
  readonly family: WafFamily;
  /** The CRS rule number this approximates, e.g. 942100. */
  readonly rule: number;
  readonly sensitivity: number;
  readonly target: WafTarget;
  readonly pattern: RegExp;
  readonly approximates: string;
}

// CRS 3.x/4.x default `tx.allowed_methods`.
export const ALLOWED_METHODS = /^(?:GET|HEAD|POST|OPTIONS)$/;

function sig(
  family: WafFamily,
  rule: number,
  target: WafTarget,
  pattern: RegExp,
  approximates: string,
): WafSignature {
  return { family, rule, sensitivity: 1, target, pattern, approximates };
}

export const WAF_SIGNATURES: readonly WafSignature[] = [
  sig(
    'sqli',
    942100,
    'all',
    /\bunion\b[\s\S]*?\bselect\b|'\s*(?:or|and)\s+'?\w+'?\s*=|;\s*(?:drop|delete|insert|update)\s/i,
    'SQL injection detected via libinjection',
  ),
  sig(
    'sqli',
    942160,
    'all',
    /\b(?:sleep\s*\(\s*\d|benchmark\s*\()/i,
    'blind SQLi using sleep() or benchmark()',
  ),
  sig(
    'xss',
    941100,
    'all',
    /<script[\s>]|javascript:|\bon(?:error|load|click|mouseover|focus)\s*=|<(?:iframe|svg|object|embed)\b/i,
    'XSS attack detected via libinjection',
  ),
  sig('lfi', 930100, 'args', /(?:^|[\\/])\.\.(?:[\\/]|$)/, 'path traversal attack (/../)'),
  sig(
    'lfi',
    930120,
    'args',
    /\/etc\/(?:passwd|shadow|group)\b|\b(?:boot|win)\.ini\b/i,
    'OS file access attempt',
  ),
  sig(
    'rfi',
    931100,
    'args',
    /=\s*(?:https?|ftp):\/\/\d{1,3}(?:\.\d{1,3}){3}/i,
    'URL parameter using IP address',
  ),
  sig('rfi', 931130, 'args', /=\s*(?:https?|ftps?|file):\/\//i, 'off-domain reference/link'),
  sig(
    'rce',
    932100,
    'all',
    /(?:[;|`]|&&|\$\()\s*(?:ls|cat|id|whoami|uname|wget|curl|nc|bash|sh)\b/i,
    'Unix command injection',
  ),
  sig('rce', 932110, 'all', /[;|&]\s*(?:cmd|powershell)(?:\.exe)?\b/i, 'Windows command injection'),
  sig('methodenforcement', 911100, 'method', ALLOWED_METHODS, 'method is not allowed by policy'),
  sig(
    'scannerdetection',
    913100,
    'user-agent',
    /nikto|sqlmap|nmap|masscan|nessus|acunetix|wpscan|dirbuster|gobuster|zgrab|nuclei|openvas|w3af|arachni/i,
    'User-Agent associated with security scanner',
  ),
  sig('protocolattack', 921150, 'args', /[\r\n]/, 'HTTP header injection via payload (CR/LF detected)'),
  sig(
    'protocolattack',
    921160,
    'all',
    /[\r\n]\W*?(?:content-type|set-cookie|location)\s*:/i,
    'HTTP header injection via payload (CR/LF and header-name detected)',
  ),
  sig('php', 933100, 'all', /<\?(?:php\b|=)/i, 'PHP injection: opening/closing tag found'),
  sig(
    'php',
    933150,
    'all',
    /\b(?:eval|assert|system|passthru|shell_exec|phpinfo)\s*\(/i,
    'PHP injection: high-risk function name',
  ),
  sig('php', 933200, 'args', /\b(?:php|phar|zip|expect|glob):\/\//i, 'PHP injection: wrapper scheme'),
  sig(
    'sessionfixation',
    943120,
    'args',
    /(?:^|[?&;])(?:jsessionid|aspsessionid|asp\.net_sessionid|phpsessid|sessionid|sid)=/i,
    'session fixation: session id parameter name',
  ),
  sig('java', 944150, 'all', /\$\{\s*jndi\s*:/i, 'Log4j / Log4shell JNDI lookup'),
  sig(
    'java',
    944100,
    'all',
    /java\.lang\.(?:runtime|processbuilder)/i,
    'remote command execution: Java process spawn',
  ),
  sig(
    'nodejs',
    934100,
    'all',
    /\b(?:child_process|process\.mainModule|require\s*\(\s*['"]child_process)/i,
    'Node.js injection attack',
  ),
  sig(
    'generic',
    934100,
    'all',
    /\b(?:child_process|process\.mainModule|require\s*\(\s*['"]child_process)/i,
    'Node.js injection attack',
  ),
  sig(
    'generic',
    934130,
    'all',
    /__proto__|constructor\s*(?:\.|\[\s*['"])\s*prototype/i,
    'JavaScript prototype pollution',
  ),
  sig('cve', 44228, 'all', /\$\{[^}]*jndi/i, 'CVE-2021-44228 (Log4j) exploit attempt'),
  sig('json-sqli', 942550, 'all', /[{[]\s*"[^"]*"\s*(?:->>?|#>>?|@>|<@)/, 'JSON-based SQL injection'),
];

const CRS_ID_VERSION: Readonly<Record<CrsVersion, string>> = {
  '3.0': 'v030001',
  '3.3': 'v030301',
  '4.22': 'v042200',
};

/** Google's signature id, e.g. `owasp-crs-v030301-id942100-sqli` or `owasp-crs-v030001-id044228-cve`. */
export function signatureId(signature: WafSignature, crs: CrsVersion): string {
  const family = signature.family === 'json-sqli' ? 'sqli' : signature.family;
  return `owasp-crs-${CRS_ID_VERSION[crs]}-id${String(signature.rule).padStart(6, '0')}-${family}`;
}
