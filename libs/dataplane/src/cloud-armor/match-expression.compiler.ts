import { isCelError, parse, plan, type CelInput } from '@bufbuild/cel';
import type { NormalizedArmorRequest } from './armor-request.normalizer';
import { callOf, replaceWithIdent, replaceWithPresenceTest, type CelExpr } from './cel-ast';
import { parseCommonCel } from './cel-fast-parser';
import { cloudArmorBindings, createCloudArmorCelEnv } from './cloud-armor-cel.env';
import { parseIpAddress, parseIpPrefix, prefixContains, unmapIpv4 } from './ip-address';
import { checkMatchExpression, type CheckProblem, type ExternalCall } from './match-expression.checker';
import { matchesWafSet } from './preconfigured-waf.matcher';

/** "An expression with up to five subexpressions" (rules-language reference, advanced match conditions). */
export const MAX_SUBEXPRESSIONS = 5;

export interface CompiledMatchExpression {
  readonly expression: string;
  /** Operands joined by `&&`/`||` (through `!`), the unit of the five-subexpression limit. */
  readonly subexpressions: number;
  /** true/false, or the evaluation error (e.g. reading a missing header without has()). */
  evaluate(request: NormalizedArmorRequest): boolean | Error;
}

export interface MatchExpressionOptions {
  /** CIDRs behind `evaluatePreconfiguredExpr('sourceiplist-…')`; the emulator ships none, so they never match. */
  readonly namedIpLists?: Readonly<Record<string, readonly string[]>>;
}

export type MatchExpressionCompilation =
  | { readonly ok: true; readonly value: CompiledMatchExpression }
  | { readonly ok: false; readonly problem: CheckProblem };

// Made on first use: processes that never compile a rule do not pay for it at start.
let env: ReturnType<typeof createCloudArmorCelEnv> | undefined;
// A policy evaluates several expressions against one request: build its CEL variables once.
const bindingsCache = new WeakMap<NormalizedArmorRequest, Record<string, CelInput>>();

function bindingsOf(request: NormalizedArmorRequest): Record<string, CelInput> {
  let bindings = bindingsCache.get(request);
  if (!bindings) {
    bindings = cloudArmorBindings(request);
    bindingsCache.set(request, bindings);
  }
  return bindings;
}

export function countSubexpressions(expr: CelExpr): number {
  const call = callOf(expr);
  if (call && !call.target && (call.function === '_&&_' || call.function === '_||_')) {
    return call.args.reduce((sum, arg) => sum + countSubexpressions(arg), 0);
  }
  if (call?.function === '!_' && call.args[0]) return countSubexpressions(call.args[0]);
  return 1;
}

export function compileMatchExpression(
  expression: string,
  options: MatchExpressionOptions = {},
): MatchExpressionCompilation {
  // The common shapes take the fast parser (same AST); everything else, and every syntax error, the reference.
  let root: CelExpr;
  try {
    root = parseCommonCel(expression) ?? parse(expression).expr;
  } catch (error) {
    return failure(`Syntax error: ${error instanceof Error ? error.message : String(error)}`);
  }
  const checked = checkMatchExpression(root);
  const [first] = checked.problems;
  if (first) return { ok: false, problem: first };
  // Wording of Google's library (cloudarmor.go `Compile`).
  if (checked.resultType !== 'bool') return failure('expression must evaluate to a boolean value');
  const subexpressions = countSubexpressions(root);
  if (subexpressions > MAX_SUBEXPRESSIONS) {
    // Reconstructed from a user's transcription of the real error; exact casing/punctuation unverified.
    return failure(
      `expression count of ${subexpressions} exceeds maximum of ${MAX_SUBEXPRESSIONS} expressions.`,
    );
  }
  for (const test of checked.indexPresenceTests) replaceWithPresenceTest(test.node, test.operand, test.key);
  const external = checked.externalCalls.map((call, i) => ({ call, variable: `__armor_external_${i}` }));
  for (const { call, variable } of external) replaceWithIdent(call.node, variable);
  env ??= createCloudArmorCelEnv();
  const program = plan(env, root);
  return {
    ok: true,
    value: {
      expression,
      subexpressions,
      evaluate(request) {
        const bindings = { ...bindingsOf(request) };
        for (const { call, variable } of external) bindings[variable] = externalValue(call, request, options);
        const result = program(bindings);
        if (isCelError(result)) return new Error(result.message);
        return typeof result === 'boolean' ? result : new Error('expression did not evaluate to a boolean');
      },
    },
  };
}

function failure(text: string): MatchExpressionCompilation {
  return { ok: false, problem: { text, wording: 'emulator' } };
}

function externalValue(
  call: ExternalCall,
  request: NormalizedArmorRequest,
  options: MatchExpressionOptions,
): boolean {
  if (call.kind === 'unavailable') return false;
  if (call.set.kind === 'waf') return matchesWafSet(call.set.family, call.set.crs, call.selection, request);
  const source = parseIpAddress(request.sourceIp);
  if (source === null) return false;
  return (options.namedIpLists?.[call.set.id] ?? []).some((range) => {
    const prefix = parseIpPrefix(range);
    return prefix !== null && prefixContains(prefix, unmapIpv4(source));
  });
}
