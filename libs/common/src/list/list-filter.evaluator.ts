import { resolveFieldValues } from './list-filter-field.resolver';
import { evaluateComparison } from './list-filter.comparison';
import type { ListFilter, ListFilterNode } from './list-filter.ast';
import type { Re2Budget } from './re2.matcher';

/**
 * Whether a wire JSON resource (camelCase keys, links as full URLs) satisfies a parsed
 * filter. `undefined` (no filter) matches everything. Throws `Re2BudgetExceeded` only when `budget` runs out.
 *
 * Regular-expression comparisons (`eq`) hold when any value of the field, as text,
 * fully matches the pattern; `ne` is their negation, so a missing field matches `ne`.
 */
export function matchesFilter(
  filter: ListFilter | undefined,
  resource: unknown,
  budget?: Re2Budget,
): boolean {
  return filter === undefined || evaluate(filter.root, resource, budget);
}

function evaluate(node: ListFilterNode, resource: unknown, budget: Re2Budget | undefined): boolean {
  switch (node.kind) {
    case 'and':
      return node.operands.every((operand) => evaluate(operand, resource, budget));
    case 'or':
      return node.operands.some((operand) => evaluate(operand, resource, budget));
    case 'not':
      return !evaluate(node.operand, resource, budget);
    case 'compare':
      return evaluateComparison(node.operator, resolveFieldValues(resource, node.field), node.value);
    case 'regex': {
      const matched = resolveFieldValues(resource, node.field).some((value) => {
        const text = scalarText(value);
        return text !== undefined && node.matcher.fullMatch(text, budget);
      });
      return node.negated ? !matched : matched;
    }
  }
}

function scalarText(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    default:
      return undefined;
  }
}
