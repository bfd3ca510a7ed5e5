import type { parse } from '@bufbuild/cel';

/** The CEL AST as @bufbuild/cel parses it (cel.expr.Expr), named without importing @bufbuild/cel-spec directly. */
export type CelExpr = ReturnType<typeof parse>['expr'];
export type CelExprKind = CelExpr['exprKind'];
export type CelCall = Extract<CelExprKind, { case: 'callExpr' }>['value'];
export type CelConstant = Extract<CelExprKind, { case: 'constExpr' }>['value'];

export function callOf(expr: CelExpr): CelCall | undefined {
  return expr.exprKind.case === 'callExpr' ? expr.exprKind.value : undefined;
}

export function stringLiteral(expr: CelExpr | undefined): string | undefined {
  if (expr?.exprKind.case !== 'constExpr') return undefined;
  const constant = expr.exprKind.value.constantKind;
  return constant.case === 'stringValue' ? constant.value : undefined;
}

export function intLiteral(expr: CelExpr | undefined): bigint | undefined {
  if (expr?.exprKind.case !== 'constExpr') return undefined;
  const constant = expr.exprKind.value.constantKind;
  return constant.case === 'int64Value' ? constant.value : undefined;
}

/** `a.b.c` for an identifier/field-selection chain, undefined for anything else. */
export function qualifiedName(expr: CelExpr): string | undefined {
  if (expr.exprKind.case === 'identExpr') return expr.exprKind.value.name;
  if (expr.exprKind.case !== 'selectExpr' || expr.exprKind.value.testOnly) return undefined;
  const { operand, field } = expr.exprKind.value;
  const parent = operand ? qualifiedName(operand) : undefined;
  return parent === undefined ? undefined : `${parent}.${field}`;
}

/** String literals of a list literal, or undefined when it is not a list of string literals. */
export function stringListLiteral(expr: CelExpr | undefined): string[] | undefined {
  if (expr?.exprKind.case !== 'listExpr') return undefined;
  const items = expr.exprKind.value.elements.map((element) => stringLiteral(element));
  return items.every((item): item is string => item !== undefined) ? items : undefined;
}

// The rewrites below replace a node in place, keeping its id; objects carry the protobuf-es `$typeName` tag.

export function replaceWithPresenceTest(node: CelExpr, operand: CelExpr, field: string): void {
  node.exprKind = {
    case: 'selectExpr',
    value: { $typeName: 'cel.expr.Expr.Select', operand, field, testOnly: true },
  };
}

export function replaceWithIdent(node: CelExpr, name: string): void {
  node.exprKind = { case: 'identExpr', value: { $typeName: 'cel.expr.Expr.Ident', name } };
}
