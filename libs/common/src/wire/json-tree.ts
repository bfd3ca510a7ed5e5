/**
 * What a decoded JSON (or YAML) body may hold before anything else reads it: a bounded depth (every walker of ours,
 * `JSON.stringify` and PostgreSQL's jsonb recurse), no NUL character (jsonb cannot store U+0000) and no lone UTF-16
 * surrogate (not a Unicode scalar value: Google's proto parser refuses it, Go's decoder replaces it with U+FFFD).
 * The walk is iterative, so the check itself never overflows the stack, and visits each value once.
 */
export interface JsonTreeRules {
  /** Deepest nesting of objects and arrays allowed (the body itself is depth 1). */
  maxDepth: number;
  /** `reject`: report a lone surrogate; `replace`: replace it with U+FFFD in place, as Go's encoding/json does. */
  loneSurrogates: 'reject' | 'replace';
}

export type JsonTreeProblem =
  | { kind: 'tooDeep'; path: string; key: string }
  | { kind: 'nul'; path: string }
  | { kind: 'loneSurrogate'; path: string };

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

function stringProblem(
  text: string,
  path: string,
  rules: JsonTreeRules,
): JsonTreeProblem | string | undefined {
  if (text.includes('\u0000')) return { kind: 'nul', path };
  if (!LONE_SURROGATE.test(text)) return undefined;
  if (rules.loneSurrogates === 'reject') return { kind: 'loneSurrogate', path };
  return text.replace(LONE_SURROGATES, '\ufffd');
}

function childPath(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;
}

/**
 * The first problem of `root` under `rules` (paths like `spec.ports[0].name`), or undefined. With
 * `loneSurrogates: 'replace'`, strings and keys holding lone surrogates are rewritten in place.
 */
export function checkJsonTree(root: unknown, rules: JsonTreeRules): JsonTreeProblem | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop() as { value: unknown; path: string; depth: number };
    if (typeof value === 'string') {
      const problem = stringProblem(value, path, rules);
      if (typeof problem === 'object') return problem;
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth + 1 > rules.maxDepth) {
      const key = path.slice(Math.max(path.lastIndexOf('.'), path.lastIndexOf('[')) + 1).replace(/]$/, '');
      return { kind: 'tooDeep', path, key };
    }
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        const item: unknown = value[index];
        if (typeof item === 'string') {
          const fixed = stringProblem(item, childPath(path, index), rules);
          if (typeof fixed === 'object') return fixed;
          if (typeof fixed === 'string') value[index] = fixed;
        } else stack.push({ value: item, path: childPath(path, index), depth: depth + 1 });
      }
      continue;
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const fixedKey = stringProblem(key, childPath(path, key), rules);
      if (typeof fixedKey === 'object') return fixedKey;
      const item = record[key];
      let name = key;
      if (typeof fixedKey === 'string') {
        Reflect.deleteProperty(record, key);
        record[fixedKey] = item;
        name = fixedKey;
      }
      if (typeof item === 'string') {
        const fixed = stringProblem(item, childPath(path, name), rules);
        if (typeof fixed === 'object') return fixed;
        if (typeof fixed === 'string') record[name] = fixed;
      } else stack.push({ value: item, path: childPath(path, name), depth: depth + 1 });
    }
  }
  return undefined;
}
