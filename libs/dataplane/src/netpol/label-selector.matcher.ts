import type { LabelSelector, Labels } from './network-policy.types';

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export const SELECTOR_OPERATORS: readonly SelectorOperator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** One requirement of a normalized selector; matchLabels entries become `In [value]`. */
export interface SelectorRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
}

/** A label selector as plain data: every requirement must hold; no requirements matches everything. */
export interface CompiledSelector {
  readonly requirements: readonly SelectorRequirement[];
}

export function isSelectorOperator(operator: string): operator is SelectorOperator {
  return (SELECTOR_OPERATORS as readonly string[]).includes(operator);
}

/**
 * Normalizes a validated selector. Throws on an unknown operator: callers validate first, as the API server
 * would have refused the object.
 */
export function compileSelector(selector: LabelSelector): CompiledSelector {
  const requirements: SelectorRequirement[] = Object.entries(selector.matchLabels ?? {}).map(
    ([key, value]) => ({ key, operator: 'In', values: [value] }),
  );
  for (const expression of selector.matchExpressions ?? []) {
    if (!isSelectorOperator(expression.operator)) {
      throw new RangeError(`unknown label selector operator: ${expression.operator}`);
    }
    requirements.push({
      key: expression.key,
      operator: expression.operator,
      values: [...(expression.values ?? [])],
    });
  }
  return { requirements };
}

export function matchesRequirement(requirement: SelectorRequirement, labels: Labels): boolean {
  const has = Object.hasOwn(labels, requirement.key);
  switch (requirement.operator) {
    case 'In':
      return has && requirement.values.includes(labels[requirement.key] ?? '');
    // NotIn also matches objects without the key (apimachinery labels.Selector semantics).
    case 'NotIn':
      return !has || !requirement.values.includes(labels[requirement.key] ?? '');
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
  }
}

export function matchesSelector(selector: CompiledSelector, labels: Labels): boolean {
  return selector.requirements.every((requirement) => matchesRequirement(requirement, labels));
}

export function isEmptySelector(selector: CompiledSelector): boolean {
  return selector.requirements.length === 0;
}
