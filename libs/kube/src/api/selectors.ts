import { KubeErrors } from './kube-status';
import { isQualifiedName, isValidLabelValue } from './names';

export type LabelOperator = 'exists' | 'notExists' | 'equals' | 'notEquals' | 'in' | 'notIn';

export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

export type Labels = Readonly<Record<string, string>>;

/** `labels.Parse`'s key check: every `IsQualifiedName` message, joined with "; " (undefined when the key is good). */
export function labelKeyProblem(key: string): string | undefined {
  const errors = isQualifiedName(key);
  return errors.length > 0 ? errors.join('; ') : undefined;
}

/** `labels.Parse`'s value check: every `IsValidLabelValue` message, joined with "; ". */
export function labelValueProblem(value: string): string | undefined {
  const errors = isValidLabelValue(value);
  return errors.length > 0 ? errors.join('; ') : undefined;
}

type Token = { type: 'id'; text: string } | { type: 'op'; text: '!' | '=' | '==' | '!=' | ',' | '(' | ')' };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '!' && text[i + 1] === '=') {
      tokens.push({ type: 'op', text: '!=' });
      i += 2;
    } else if (ch === '=' && text[i + 1] === '=') {
      tokens.push({ type: 'op', text: '==' });
      i += 2;
    } else if (ch === '!' || ch === '=' || ch === ',' || ch === '(' || ch === ')') {
      tokens.push({ type: 'op', text: ch });
      i++;
    } else {
      let j = i;
      while (j < text.length && !/[\s!=,()]/.test(text[j] as string)) j++;
      tokens.push({ type: 'id', text: text.slice(i, j) });
      i = j;
    }
  }
  return tokens;
}

function parseError(message: string): never {
  throw KubeErrors.badRequest(`unable to parse requirement: ${message}`);
}

/** Parses a `labelSelector` query parameter; a selector that does not parse is a 400 BadRequest. */
export function parseLabelSelector(text: string): LabelRequirement[] {
  const tokens = tokenize(text);
  const requirements: LabelRequirement[] = [];
  let at = 0;
  const peek = () => tokens[at];
  const describe = (token: Token | undefined) => (token ? `'${token.text}'` : 'end of string');
  while (at < tokens.length) {
    let negated = false;
    if (peek()?.text === '!' && peek()?.type === 'op') {
      negated = true;
      at++;
    }
    const keyToken = tokens[at++];
    if (!keyToken || keyToken.type !== 'id') parseError(`found ${describe(keyToken)}, expected: identifier`);
    const key = keyToken.text;
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) parseError(`<nil>: Invalid value: "${key}": ${keyProblem}`);
    const next = peek();
    if (negated) {
      if (next && next.text !== ',') parseError(`found ${describe(next)}, expected: ',' or 'end of string'`);
      requirements.push({ key, operator: 'notExists', values: [] });
    } else if (!next || next.text === ',') {
      requirements.push({ key, operator: 'exists', values: [] });
    } else if (next.type === 'op' && (next.text === '=' || next.text === '==' || next.text === '!=')) {
      at++;
      const valueToken = peek();
      let value = '';
      if (valueToken && valueToken.type === 'id' && valueToken.text !== 'in' && valueToken.text !== 'notin') {
        value = valueToken.text;
        at++;
      } else if (valueToken && valueToken.type === 'id') {
        value = valueToken.text;
        at++;
      } else if (valueToken && valueToken.text !== ',') {
        parseError(`found ${describe(valueToken)}, expected: identifier`);
      }
      const valueProblem = labelValueProblem(value);
      if (valueProblem) parseError(`<nil>: Invalid value: "${value}": ${valueProblem}`);
      requirements.push({ key, operator: next.text === '!=' ? 'notEquals' : 'equals', values: [value] });
    } else if (next.type === 'id' && (next.text === 'in' || next.text === 'notin')) {
      at++;
      if (peek()?.text !== '(') parseError(`found ${describe(peek())}, expected: '('`);
      at++;
      const values: string[] = [];
      for (;;) {
        const token = tokens[at++];
        if (!token) parseError(`found end of string, expected: ')'`);
        if (token.text === ')' && token.type === 'op') break;
        if (token.text === ',' && token.type === 'op') continue;
        if (token.type !== 'id') parseError(`found ${describe(token)}, expected: ',', ')' or identifier`);
        const valueProblem = labelValueProblem(token.text);
        if (valueProblem) parseError(`<nil>: Invalid value: "${token.text}": ${valueProblem}`);
        values.push(token.text);
      }
      if (values.length === 0) parseError(`for 'in', 'notin' operators, values set can't be empty`);
      requirements.push({ key, operator: next.text === 'in' ? 'in' : 'notIn', values });
    } else {
      parseError(`found ${describe(next)}, expected: in, notin, =, ==, !=, gt, lt`);
    }
    const separator = peek();
    if (separator) {
      if (separator.text !== ',')
        parseError(`found ${describe(separator)}, expected: ',' or 'end of string'`);
      at++;
      if (!peek()) parseError(`found end of string, expected: identifier`);
    }
  }
  return requirements;
}

export function matchesLabels(
  requirements: readonly LabelRequirement[],
  labels: Labels | undefined,
): boolean {
  const own = labels ?? {};
  return requirements.every(({ key, operator, values }) => {
    const has = Object.prototype.hasOwnProperty.call(own, key);
    const value = has ? own[key] : undefined;
    switch (operator) {
      case 'exists':
        return has;
      case 'notExists':
        return !has;
      case 'equals':
      case 'in':
        return has && values.includes(value as string);
      case 'notEquals':
      case 'notIn':
        return !has || !values.includes(value as string);
    }
  });
}

/** A `metav1.LabelSelector` (Deployments, NetworkPolicies): matchLabels AND matchExpressions. */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: {
    key: string;
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    values?: string[];
  }[];
}

export function requirementsOf(selector: LabelSelectorObject): LabelRequirement[] {
  const fromLabels = Object.entries(selector.matchLabels ?? {}).map(([key, value]): LabelRequirement => ({
    key,
    operator: 'equals',
    values: [value],
  }));
  const operators = { In: 'in', NotIn: 'notIn', Exists: 'exists', DoesNotExist: 'notExists' } as const;
  const fromExpressions = (selector.matchExpressions ?? []).map((expression): LabelRequirement => ({
    key: expression.key,
    operator: operators[expression.operator],
    values: expression.values ?? [],
  }));
  return [...fromLabels, ...fromExpressions];
}

/** Renders a LabelSelector the way kubectl and the printers show it: `app=web,tier in (a,b)`. */
export function formatLabelSelector(selector: LabelSelectorObject | undefined): string {
  if (!selector) return '<none>';
  const parts = requirementsOf(selector).map(({ key, operator, values }) => {
    switch (operator) {
      case 'exists':
        return key;
      case 'notExists':
        return `!${key}`;
      case 'equals':
        return `${key}=${values[0]}`;
      case 'notEquals':
        return `${key}!=${values[0]}`;
      case 'in':
        return `${key} in (${values.join(',')})`;
      case 'notIn':
        return `${key} notin (${values.join(',')})`;
    }
  });
  return parts.length === 0 ? '<none>' : parts.join(',');
}

export interface FieldRequirement {
  field: string;
  operator: 'equals' | 'notEquals';
  value: string;
}

function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '\\' && i + 1 < text.length) {
      current += ch + (text[i + 1] as string);
      i++;
    } else if (ch === separator) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

function unescapeValue(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '\\') {
      const next = text[i + 1];
      if (next === undefined || !['\\', ',', '='].includes(next)) {
        throw KubeErrors.badRequest(`invalid field selector: invalid escape sequence: \\${next ?? ''}`);
      }
      out += next;
      i++;
    } else if (ch === '=' || ch === ',') {
      throw KubeErrors.badRequest(`invalid field selector: unescaped ${ch} in field selector value`);
    } else {
      out += ch;
    }
  }
  return out;
}

/** Parses a `fieldSelector`, then checks each field is one the kind supports (else 400, as the server does). */
export function parseFieldSelector(text: string, supported: readonly string[]): FieldRequirement[] {
  if (text.trim() === '') return [];
  return splitUnescaped(text, ',').map((part): FieldRequirement => {
    const match = /^([^=!]*?)\s*(!=|==|=)(.*)$/s.exec(part);
    if (!match) throw KubeErrors.badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
    const field = (match[1] as string).trim();
    const value = unescapeValue(match[3] as string);
    if (!supported.includes(field)) throw KubeErrors.badRequest(`field label not supported: ${field}`);
    return { field, operator: match[2] === '!=' ? 'notEquals' : 'equals', value };
  });
}

export function matchesFields(
  requirements: readonly FieldRequirement[],
  fields: Readonly<Record<string, string>>,
): boolean {
  return requirements.every(({ field, operator, value }) =>
    operator === 'equals' ? (fields[field] ?? '') === value : (fields[field] ?? '') !== value,
  );
}
