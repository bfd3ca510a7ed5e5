import { resolveFieldValues } from './list-filter-field.resolver';
import { evaluateComparison } from './list-filter.comparison';
import type { ListFilter, ListFilterNode } from './list-filter.ast';

/**
 * Whether a wire JSON resource (camelCase keys, links as full URLs) satisfies a parsed
 * filter. `undefined` (no filter) matches everything. Never throws.
 *
 * Regular-expression comparisons (`eq`) hold when any value of the field, as text,
 * fully matches the pattern; `ne` is their negation, so a missing field matches `ne`.
 */
export function matchesFilter(filter: ListFilter | undefined, resource: unknown): boolean {
  return filter === undefined || evaluate(filter.root, resource);
}

function evaluate(node: ListFilterNode, resource: unknown): boolean {
  switch (node.kind) {
    case 'and':
      return node.operands.every((operand) => evaluate(operand, resource));
    case 'or':
      return node.operands.some((operand) => evaluate(operand, resource));
    case 'not':
      return !evaluate(node.operand, resource);
    case 'compare':
      return evaluateComparison(node.operator, resolveFieldValues(resource, node.field), node.value);
    case 'regex': {
      const matched = resolveFieldValues(resource, node.field).some((value) => {
        const text = scalarText(value);
        return text !== undefined && node.matcher.fullMatch(text);
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
