/**
 * The one key no request body may carry. `JSON.parse` and the YAML parser keep `__proto__` as an own property, but
 * any later copy written `target[key] = value` (a merge, a patch, a default) sets the target's prototype instead,
 * and a merge into `Object.prototype` poisons every object of the process. No API the emulator serves has a field
 * of that name, so bodies carrying it are refused where they are parsed, once for every API.
 * `constructor` and `prototype` stay ordinary keys (a ConfigMap may have them): reads follow own properties only.
 */
export const PROTOTYPE_KEY = '__proto__';

/** A body carrying `__proto__`: each API answers it with its own 400. */
export class PrototypeKeyError extends Error {
  override name = 'PrototypeKeyError';
  constructor() {
    super(`Unknown name "${PROTOTYPE_KEY}": Cannot find field.`);
  }
}

// `__proto__` written plainly or with \u escapes somewhere in its name: only such texts need the slower reviver.
const MAYBE_PROTOTYPE_KEY = /__proto__|\\u/;

function refusePrototypeKey(key: string, value: unknown): unknown {
  if (key === PROTOTYPE_KEY) throw new PrototypeKeyError();
  return value;
}

/** `JSON.parse`, refusing objects with a `__proto__` key (PrototypeKeyError); SyntaxError as JSON.parse. */
export function parseJsonSafely(text: string): unknown {
  return MAYBE_PROTOTYPE_KEY.test(text) ? JSON.parse(text, refusePrototypeKey) : JSON.parse(text);
}

/** Throws PrototypeKeyError when a parsed value (YAML, say) holds an object with an own `__proto__` key. */
export function refusePrototypeKeys(value: unknown): void {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const current = pending.pop();
    if (typeof current !== 'object' || current === null) continue;
    if (Array.isArray(current)) {
      pending.push(...(current as unknown[]));
      continue;
    }
    if (Object.hasOwn(current, PROTOTYPE_KEY)) throw new PrototypeKeyError();
    pending.push(...Object.values(current));
  }
}
