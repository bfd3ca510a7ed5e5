// A reader of the .proto files Google's client libraries ship: messages (fields, nested types, oneofs), enums,
// services (rpcs with their options, `google.api.http` included) and each declaration's leading comment, which is
// where those files keep the API's documentation. Enough of the proto3 grammar for generated API protos; no
// dependency. Pure: text in, a model out.

/**
 * @typedef {{ kind: 'ident' | 'string' | 'number' | 'symbol', value: string, comment: string }} Token
 * @typedef {{ name: string, type: string, label: 'optional' | 'repeated' | 'map' | '', keyType?: string,
 *   number: number, comment: string, options: Record<string, unknown>, oneof?: string }} Field
 * @typedef {{ name: string, fullName: string, comment: string, fields: Field[] }} Message
 * @typedef {{ name: string, fullName: string, comment: string,
 *   values: { name: string, number: number, comment: string, options: Record<string, unknown> }[] }} Enum
 * @typedef {{ name: string, requestType: string, responseType: string, comment: string,
 *   options: Record<string, unknown> }} Rpc
 * @typedef {{ name: string, fullName: string, comment: string, options: Record<string, unknown>, rpcs: Rpc[] }} Service
 * @typedef {{ messages: Map<string, Message>, enums: Map<string, Enum>, services: Map<string, Service> }} ProtoModel
 */

/** The tokens of a .proto file; each carries the `//` comment block right above it (a blank line ends a block). */
export function tokenize(text) {
  /** @type {Token[]} */
  const tokens = [];
  let block = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '\n') {
      // a blank line detaches the comment above it
      let j = i + 1;
      while (j < n && (text[j] === ' ' || text[j] === '\t' || text[j] === '\r')) j++;
      if (text[j] === '\n') block = [];
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      const line = text.slice(i + 2, end < 0 ? n : end);
      block.push(line.startsWith(' ') ? line.slice(1) : line);
      i = end < 0 ? n : end;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    const comment = block.join('\n');
    block = [];
    if (c === '"' || c === "'") {
      let j = i + 1;
      let value = '';
      while (j < n && text[j] !== c) {
        if (text[j] === '\\') {
          const next = text[j + 1];
          value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
          j += 2;
        } else value += text[j++];
      }
      tokens.push({ kind: 'string', value, comment });
      i = j + 1;
      continue;
    }
    const word = /^[A-Za-z_.][A-Za-z0-9_.]*/.exec(text.slice(i, i + 200));
    if (word) {
      tokens.push({ kind: 'ident', value: word[0], comment });
      i += word[0].length;
      continue;
    }
    const number = /^-?(0x[0-9a-fA-F]+|[0-9.]+([eE][-+]?\d+)?)/.exec(text.slice(i, i + 50));
    if (number) {
      tokens.push({ kind: 'number', value: number[0], comment });
      i += number[0].length;
      continue;
    }
    tokens.push({ kind: 'symbol', value: c, comment });
    i++;
  }
  return tokens;
}

/** Parses one .proto file's text into `model` (shared across files, keyed by full name). */
export function parseProto(text, model = emptyModel()) {
  const tokens = tokenize(text);
  let pos = 0;
  let pkg = '';
  const peek = (k = 0) => tokens[pos + k];
  const next = () => {
    const token = tokens[pos++];
    if (!token) throw new Error('unexpected end of proto');
    return token;
  };
  const expect = (value) => {
    const token = next();
    if (token.value !== value) throw new Error(`expected "${value}", got "${token.value}" (token ${pos})`);
    return token;
  };
  const skipStatement = () => {
    let depth = 0;
    for (;;) {
      const token = next();
      if (token.value === '{' && token.kind === 'symbol') depth++;
      else if (token.value === '}' && token.kind === 'symbol') {
        depth--;
        if (depth === 0) return;
      } else if (token.value === ';' && depth === 0) return;
    }
  };
  /** A constant, or an aggregate `{ key: value key { ... } }` (repeated keys become arrays). */
  const optionValue = () => {
    const token = next();
    if (token.value === '{' && token.kind === 'symbol') {
      const object = {};
      while (peek().value !== '}') {
        const key = next().value;
        if (peek().value === ':') next();
        const value = optionValue();
        if (Object.hasOwn(object, key))
          object[key] = [...(Array.isArray(object[key]) ? object[key] : [object[key]]), value];
        else object[key] = value;
        if (peek().value === ',' || peek().value === ';') next();
      }
      next();
      return object;
    }
    if (token.kind === 'string') {
      let value = token.value;
      while (peek().kind === 'string') value += next().value;
      return value;
    }
    if (token.kind === 'number') return Number(token.value);
    if (token.value === 'true' || token.value === 'false') return token.value === 'true';
    return token.value;
  };
  /** `option (a.b).c = value;` → options['(a.b).c'] */
  const optionName = () => {
    let name = '';
    while (peek().value !== '=') {
      const token = next();
      name += token.value;
    }
    return name;
  };
  const bracketOptions = () => {
    const options = {};
    if (peek().value !== '[') return options;
    next();
    while (peek().value !== ']') {
      const name = optionName();
      expect('=');
      options[name] = optionValue();
      if (peek().value === ',') next();
    }
    next();
    return options;
  };

  const parseEnum = (scope) => {
    const nameToken = next();
    const fullName = `${scope}.${nameToken.value}`;
    /** @type {Enum} */
    const en = { name: nameToken.value, fullName, comment: '', values: [] };
    expect('{');
    while (peek().value !== '}') {
      const token = peek();
      if (token.value === 'option' || token.value === 'reserved') {
        skipStatement();
        continue;
      }
      next();
      expect('=');
      const number = Number(next().value);
      const options = bracketOptions();
      expect(';');
      en.values.push({ name: token.value, number, comment: token.comment, options });
    }
    next();
    model.enums.set(fullName, en);
    return en;
  };

  const parseMessage = (scope) => {
    const nameToken = next();
    const fullName = `${scope}.${nameToken.value}`;
    /** @type {Message} */
    const message = { name: nameToken.value, fullName, comment: '', fields: [] };
    model.messages.set(fullName, message);
    expect('{');
    const body = (oneof) => {
      while (peek().value !== '}') {
        const token = peek();
        if (token.value === 'message') {
          const comment = next().comment;
          parseMessage(fullName).comment = comment;
        } else if (token.value === 'enum') {
          const comment = next().comment;
          parseEnum(fullName).comment = comment;
        } else if (token.value === 'oneof') {
          next();
          const name = next().value;
          expect('{');
          body(name);
          next();
        } else if (['option', 'reserved', 'extensions', 'extend'].includes(token.value)) {
          skipStatement();
        } else if (token.value === ';') {
          next();
        } else {
          const comment = token.comment;
          let label = '';
          if (token.value === 'optional' || token.value === 'repeated') label = next().value;
          let type;
          let keyType;
          if (peek().value === 'map' && peek(1).value === '<') {
            next();
            next();
            keyType = next().value;
            expect(',');
            type = next().value;
            expect('>');
            label = 'map';
          } else type = next().value;
          const name = next().value;
          expect('=');
          const number = Number(next().value);
          const options = bracketOptions();
          expect(';');
          message.fields.push({
            name,
            type,
            label: /** @type {Field['label']} */ (label),
            ...(keyType ? { keyType } : {}),
            number,
            comment,
            options,
            ...(oneof ? { oneof } : {}),
          });
        }
      }
    };
    body(undefined);
    next();
    return message;
  };

  const parseService = () => {
    const nameToken = next();
    const fullName = `${pkg}.${nameToken.value}`;
    /** @type {Service} */
    const service = { name: nameToken.value, fullName, comment: '', options: {}, rpcs: [] };
    expect('{');
    while (peek().value !== '}') {
      const token = next();
      if (token.value === 'option') {
        const name = optionName();
        expect('=');
        service.options[name] = optionValue();
        expect(';');
      } else if (token.value === 'rpc') {
        const name = next().value;
        expect('(');
        if (peek().value === 'stream') next();
        const requestType = next().value;
        expect(')');
        expect('returns');
        expect('(');
        if (peek().value === 'stream') next();
        const responseType = next().value;
        expect(')');
        const options = {};
        if (peek().value === '{') {
          next();
          while (peek().value !== '}') {
            if (peek().value === ';') {
              next();
              continue;
            }
            expect('option');
            const optName = optionName();
            expect('=');
            options[optName] = optionValue();
            expect(';');
          }
          next();
        }
        if (peek()?.value === ';') next();
        service.rpcs.push({ name, requestType, responseType, comment: token.comment, options });
      } else if (token.value === ';') {
        // empty statement
      } else throw new Error(`unexpected "${token.value}" in service ${nameToken.value}`);
    }
    next();
    model.services.set(fullName, service);
    return service;
  };

  while (pos < tokens.length) {
    const token = peek();
    if (token.value === 'package') {
      next();
      pkg = next().value;
      expect(';');
    } else if (token.value === 'message') {
      next();
      parseMessage(pkg).comment = token.comment;
    } else if (token.value === 'enum') {
      next();
      parseEnum(pkg).comment = token.comment;
    } else if (token.value === 'service') {
      next();
      parseService().comment = token.comment;
    } else skipStatement();
  }
  return model;
}

/** @returns {ProtoModel} */
export function emptyModel() {
  return { messages: new Map(), enums: new Map(), services: new Map() };
}

/**
 * The full name `type` names when used inside `scope` (a message's or package's full name), by protobuf's
 * scoping: the innermost enclosing scope first; a leading dot is already absolute.
 */
export function resolveType(model, type, scope) {
  if (type.startsWith('.')) return type.slice(1);
  const parts = scope.split('.');
  for (let i = parts.length; i >= 0; i--) {
    const candidate = [...parts.slice(0, i), type].join('.');
    if (model.messages.has(candidate) || model.enums.has(candidate)) return candidate;
  }
  return undefined;
}

/** protobuf's JSON name of a field: `self_link` → `selfLink`, `I_p_protocol` → `IPProtocol`. */
export function jsonName(field) {
  const explicit = field.options?.json_name;
  if (typeof explicit === 'string') return explicit;
  return field.name.replace(/_([a-zA-Z0-9])/g, (_, c) => c.toUpperCase());
}
