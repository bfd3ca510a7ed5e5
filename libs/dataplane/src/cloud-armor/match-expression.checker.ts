import {
  callOf,
  intLiteral,
  qualifiedName,
  stringListLiteral,
  stringLiteral,
  type CelCall,
  type CelExpr,
} from './cel-ast';
import { parseIpPrefix } from './ip-address';
import { regexProblem } from './latin1-regex';
import {
  findPreconfiguredExpressionSet,
  type PreconfiguredExpressionSet,
} from './preconfigured-expression-sets.catalogue';
import { ALL_SIGNATURES, type WafSelection } from './preconfigured-waf.matcher';

/**
 * Static checks of a match expression against the Cloud Armor dialect of CEL: the declarations of Google's
 * `cloud-armor-v1` environment (github.com/cel-expr/cloud-armor-rules, config/cloud-armor-v1.yaml) plus the
 * service-side functions of the rules-language reference (evaluatePreconfiguredExpr/Waf, evaluateThreatIntelligence,
 * evaluateAddressGroup). Problem texts follow cel-go's checker where one exists.
 */
type StaticType =
  'bool' | 'int' | 'double' | 'string' | 'uint' | 'bytes' | 'null' | 'headers' | 'list' | 'map' | 'dyn';

export interface CheckProblem {
  readonly text: string;
  readonly wording: 'google-observed' | 'emulator';
}

/** A call the evaluator answers outside CEL, replaced by a variable bound per request. */
export type ExternalCall =
  | {
      readonly node: CelExpr;
      readonly kind: 'waf';
      readonly set: PreconfiguredExpressionSet;
      readonly selection: WafSelection;
    }
  /** evaluateThreatIntelligence / evaluateAddressGroup: no feed or group data in the emulator, never match. */
  | { readonly node: CelExpr; readonly kind: 'unavailable'; readonly function: string };

export interface CheckResult {
  readonly problems: readonly CheckProblem[];
  /** `has(m['k'])` calls: Cloud Armor's has() accepts an index with a string literal (cel-go only a selection). */
  readonly indexPresenceTests: readonly {
    readonly node: CelExpr;
    readonly operand: CelExpr;
    readonly key: string;
  }[];
  readonly externalCalls: readonly ExternalCall[];
  readonly resultType: StaticType;
}

const ATTRIBUTES: Readonly<Record<string, StaticType>> = {
  'request.method': 'string',
  'request.headers': 'headers',
  'request.path': 'string',
  'request.query': 'string',
  'request.scheme': 'string',
  'origin.ip': 'string',
  'origin.region_code': 'string',
  'origin.asn': 'int',
  'origin.user_ip': 'string',
  'origin.tls_ja3_fingerprint': 'string',
  'origin.tls_ja4_fingerprint': 'string',
  'token.recaptcha_exemption.valid': 'bool',
  'token.recaptcha_action.score': 'double',
  'token.recaptcha_action.captcha_status': 'string',
  'token.recaptcha_action.action': 'string',
  'token.recaptcha_action.valid': 'bool',
  'token.recaptcha_session.score': 'double',
  'token.recaptcha_session.valid': 'bool',
};

type Signature = readonly [params: readonly StaticType[], result: StaticType];

const EQUALITY: readonly Signature[] = (['bool', 'int', 'double', 'string'] as const).map((t) => [
  [t, t],
  'bool',
]);
const ORDERING: readonly Signature[] = (['int', 'double'] as const).map((t) => [[t, t], 'bool']);
const ARITHMETIC: readonly Signature[] = (['int', 'double'] as const).map((t) => [[t, t], t]);

// Operators and global functions of cloud-armor-v1 (no `in`, `?:`, `/`, `%`, unary minus, no macros but has()).
const GLOBALS: Readonly<Record<string, readonly Signature[]>> = {
  '_&&_': [[['bool', 'bool'], 'bool']],
  '_||_': [[['bool', 'bool'], 'bool']],
  '!_': [[['bool'], 'bool']],
  '_==_': EQUALITY,
  '_!=_': EQUALITY,
  '_<_': ORDERING,
  '_<=_': ORDERING,
  '_>_': ORDERING,
  '_>=_': ORDERING,
  '_+_': [...ARITHMETIC, [['string', 'string'], 'string']],
  '_-_': ARITHMETIC,
  '_*_': ARITHMETIC,
  '_[_]': [
    [['headers', 'string'], 'dyn'],
    [['list', 'int'], 'dyn'],
  ],
  size: [[['string'], 'int']],
  int: [
    [['string'], 'int'],
    [['int'], 'int'],
  ],
  matches: [[['string', 'string'], 'bool']],
  inIpRange: [[['string', 'string'], 'bool']],
};

const STRING_TO_STRING: readonly Signature[] = [[[], 'string']];
const STRING_PREDICATE: readonly Signature[] = [[['string'], 'bool']];
const MEMBERS: Readonly<Record<string, readonly Signature[]>> = {
  lower: STRING_TO_STRING,
  upper: STRING_TO_STRING,
  base64Decode: STRING_TO_STRING,
  urlDecode: STRING_TO_STRING,
  urlDecodeUni: STRING_TO_STRING,
  utf8ToUnicode: STRING_TO_STRING,
  contains: STRING_PREDICATE,
  startsWith: STRING_PREDICATE,
  endsWith: STRING_PREDICATE,
  matches: STRING_PREDICATE,
  size: [[[], 'int']],
};

const TYPE_NAMES: Partial<Record<StaticType, string>> = {
  headers: 'map(string, dyn)',
  list: 'list(dyn)',
  map: 'map(dyn, dyn)',
  null: 'null_type',
};

function typeName(type: StaticType): string {
  return TYPE_NAMES[type] ?? type;
}

function accepts(param: StaticType, arg: StaticType): boolean {
  return param === arg || arg === 'dyn' || param === 'dyn';
}

export function checkMatchExpression(root: CelExpr): CheckResult {
  const checker = new Checker();
  const resultType = checker.infer(root);
  return {
    problems: checker.problems,
    indexPresenceTests: checker.indexPresenceTests,
    externalCalls: checker.externalCalls,
    resultType,
  };
}

class Checker {
  readonly problems: CheckProblem[] = [];
  readonly indexPresenceTests: { node: CelExpr; operand: CelExpr; key: string }[] = [];
  readonly externalCalls: ExternalCall[] = [];

  private problem(text: string, wording: CheckProblem['wording'] = 'emulator'): 'dyn' {
    this.problems.push({ text, wording });
    return 'dyn';
  }

  infer(expr: CelExpr): StaticType {
    const kind = expr.exprKind;
    switch (kind.case) {
      case 'constExpr':
        return constantType(kind.value.constantKind.case);
      case 'identExpr':
      case 'selectExpr':
        return this.inferAttribute(expr);
      case 'callExpr':
        return this.inferCall(expr, kind.value);
      case 'listExpr':
        kind.value.elements.forEach((element) => this.infer(element));
        return 'list';
      case 'structExpr':
        if (kind.value.messageName !== '') return this.problem(`unknown type '${kind.value.messageName}'`);
        for (const entry of kind.value.entries) {
          if (entry.keyKind.case === 'mapKey') this.infer(entry.keyKind.value);
          if (entry.value) this.infer(entry.value);
        }
        return 'map';
      case 'comprehensionExpr':
        return this.problem('macros (all, exists, exists_one, map, filter) are not supported by Cloud Armor');
      default:
        return this.problem('invalid expression');
    }
  }

  private inferAttribute(expr: CelExpr): StaticType {
    if (expr.exprKind.case === 'selectExpr' && expr.exprKind.value.testOnly) {
      // has(x.f): only map selection makes sense here (request.headers.user_agent).
      const operand = expr.exprKind.value.operand;
      if (operand && this.infer(operand) === 'headers') return 'bool';
      return this.problem('invalid argument to has() macro');
    }
    const name = qualifiedName(expr);
    if (name !== undefined) {
      const known = Object.hasOwn(ATTRIBUTES, name) ? ATTRIBUTES[name] : undefined;
      if (known) return known;
      // request.headers.user_agent: field selection on the headers map.
      if (/^request\.headers\.[^.]+$/.test(name)) return 'dyn';
      return this.problem(`undeclared reference to '${name}' (in container '')`);
    }
    const operand = expr.exprKind.case === 'selectExpr' ? expr.exprKind.value.operand : undefined;
    const operandType = operand ? this.infer(operand) : 'dyn';
    if (operandType === 'headers' || operandType === 'dyn') return 'dyn';
    return this.problem(`type '${typeName(operandType)}' does not support field selection`);
  }

  private inferCall(expr: CelExpr, call: CelCall): StaticType {
    switch (call.function) {
      case 'has':
        return this.checkIndexPresence(expr, call);
      case 'evaluatePreconfiguredExpr':
      case 'evaluatePreconfiguredWaf':
        return this.checkPreconfigured(expr, call);
      case 'evaluateThreatIntelligence':
      case 'evaluateAddressGroup':
        call.args.forEach((arg) => this.infer(arg));
        if (stringLiteral(call.args[0]) === undefined) {
          return this.problem(`the first argument of ${call.function}() must be a string literal`);
        }
        this.externalCalls.push({ node: expr, kind: 'unavailable', function: call.function });
        return 'bool';
    }
    const target = call.target ? this.infer(call.target) : undefined;
    const args = call.args.map((arg) => this.infer(arg));
    this.checkLiteralArguments(call);
    const table = target === undefined ? GLOBALS : MEMBERS;
    // Own entries only: `constructor(1)` must not find Object.prototype's constructor.
    const signatures = Object.hasOwn(table, call.function) ? table[call.function] : undefined;
    if (!signatures) return this.problem(`undeclared reference to '${call.function}' (in container '')`);
    const candidates = signatures.filter(([params]) => {
      const wanted = target === undefined ? params : (['string', ...params] as const);
      const given = target === undefined ? args : [target, ...args];
      return wanted.length === given.length && wanted.every((param, i) => accepts(param, given[i] ?? 'dyn'));
    });
    if (candidates.length === 0) {
      const shown = `(${args.map(typeName).join(', ')})`;
      const applied = target === undefined ? shown : `${typeName(target)}.${shown}`;
      return this.problem(`found no matching overload for '${call.function}' applied to '${applied}'`);
    }
    const results = new Set(candidates.map(([, result]) => result));
    return results.size === 1 ? (candidates[0]?.[1] ?? 'dyn') : 'dyn';
  }

  /** Constant regexes and IP ranges are checked when the rule is saved, not when a request arrives. */
  private checkLiteralArguments(call: CelCall): void {
    if (call.function === 'matches') {
      const pattern = stringLiteral(call.target ? call.args[0] : call.args[1]);
      const problem = pattern === undefined ? undefined : regexProblem(pattern);
      // Wording seen in a real response: "Invalid regular expression: <re>, Capture Groups are not allowed."
      if (problem) this.problem(`Invalid regular expression: ${pattern}, ${problem}.`, 'google-observed');
    }
    if (call.function === 'inIpRange') {
      const range = stringLiteral(call.args[1]);
      if (range !== undefined && parseIpPrefix(range) === null) this.problem(`Invalid IP range: ${range}.`);
    }
  }

  private checkIndexPresence(expr: CelExpr, call: CelCall): StaticType {
    const index = call.args.length === 1 && call.args[0] ? callOf(call.args[0]) : undefined;
    const [operand, keyExpr] = index?.function === '_[_]' && !index.target ? index.args : [];
    const key = stringLiteral(keyExpr);
    if (!operand || key === undefined || this.infer(operand) !== 'headers') {
      return this.problem('invalid argument to has() macro');
    }
    this.indexPresenceTests.push({ node: expr, operand, key });
    return 'bool';
  }

  private checkPreconfigured(expr: CelExpr, call: CelCall): StaticType {
    const name = call.function;
    const id = stringLiteral(call.args[0]);
    if (call.target || call.args.length < 1 || call.args.length > 2 || id === undefined) {
      return this.problem(
        `${name}() takes a preconfigured expression set name literal and optional settings`,
      );
    }
    const set = findPreconfiguredExpressionSet(id);
    if (!set || (name === 'evaluatePreconfiguredWaf' && set.kind !== 'waf')) {
      // Wording from the Cloud Armor troubleshooting guide.
      return this.problem(`${id} isn't a valid preconfigured expression set.`, 'google-observed');
    }
    const selection =
      name === 'evaluatePreconfiguredExpr'
        ? this.exclusionList(call.args[1])
        : this.wafSettings(call.args[1]);
    if (selection) this.externalCalls.push({ node: expr, kind: 'waf', set, selection });
    return 'bool';
  }

  private exclusionList(arg: CelExpr | undefined): WafSelection | undefined {
    if (arg === undefined) return ALL_SIGNATURES;
    const ids = stringListLiteral(arg);
    if (ids === undefined) {
      this.problem('the rule ids to exclude must be a list of string literals');
      return undefined;
    }
    return { ...ALL_SIGNATURES, optOutIds: ids };
  }

  /** `{'sensitivity': 0..4, 'opt_out_rule_ids': [...]}` or `{'sensitivity': 0, 'opt_in_rule_ids': [...]}`. */
  private wafSettings(arg: CelExpr | undefined): WafSelection | undefined {
    if (arg === undefined) return ALL_SIGNATURES;
    if (arg.exprKind.case !== 'structExpr' || arg.exprKind.value.messageName !== '') {
      this.problem('the settings of evaluatePreconfiguredWaf() must be a map literal');
      return undefined;
    }
    let sensitivity: number | undefined;
    let optOutIds: string[] | undefined;
    let optInIds: string[] | undefined;
    for (const entry of arg.exprKind.value.entries) {
      const key = entry.keyKind.case === 'mapKey' ? stringLiteral(entry.keyKind.value) : undefined;
      if (key === 'sensitivity') {
        const level = intLiteral(entry.value);
        if (level === undefined || level < 0n || level > 4n)
          this.problem('sensitivity must be an integer from 0 to 4');
        else sensitivity = Number(level);
      } else if (key === 'opt_out_rule_ids' || key === 'opt_in_rule_ids') {
        const ids = stringListLiteral(entry.value);
        if (ids === undefined) this.problem(`${key} must be a list of string literals`);
        else if (key === 'opt_out_rule_ids') optOutIds = ids;
        else optInIds = ids;
      } else {
        this.problem(`unknown evaluatePreconfiguredWaf() setting '${key ?? '?'}'`);
      }
    }
    if (optOutIds && optInIds) this.problem('opt_in_rule_ids and opt_out_rule_ids cannot both be set');
    if (optInIds && sensitivity !== 0) this.problem('opt_in_rule_ids can only be used with sensitivity 0');
    return {
      sensitivity: sensitivity ?? ALL_SIGNATURES.sensitivity,
      optOutIds: optOutIds ?? [],
      optInIds: optInIds ?? [],
    };
  }
}

function constantType(kind: string | undefined): StaticType {
  switch (kind) {
    case 'stringValue':
      return 'string';
    case 'int64Value':
      return 'int';
    case 'uint64Value':
      return 'uint';
    case 'doubleValue':
      return 'double';
    case 'boolValue':
      return 'bool';
    case 'bytesValue':
      return 'bytes';
    default:
      return 'null';
  }
}
