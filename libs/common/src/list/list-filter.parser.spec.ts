import { describe, expect, it } from 'vitest';
import { ListFilterError } from './list-errors';
import { parseListFilter } from './list-filter.parser';
import type { ListFilterNode } from './list-filter.ast';

/** Compact rendering of an AST, to assert structure and precedence in one string. */
function show(node: ListFilterNode): string {
  switch (node.kind) {
    case 'and':
    case 'or':
      return `${node.kind}(${node.operands.map(show).join(', ')})`;
    case 'not':
      return `not(${show(node.operand)})`;
    case 'compare':
      return `${node.field.join('.')} ${node.operator} ${node.value.quoted ? JSON.stringify(node.value.text) : node.value.text}`;
    case 'regex':
      return `${node.field.join('.')} ${node.negated ? 'ne' : 'eq'} /${node.matcher.pattern}/`;
  }
}

function parse(filter: string): string {
  const parsed = parseListFilter(filter);
  return parsed === undefined ? '<none>' : `${parsed.grammar}: ${show(parsed.root)}`;
}

describe('parseListFilter', () => {
  it.each([undefined, '', '   ', '\t\n'])('treats %j as no filter', (filter) => {
    expect(parseListFilter(filter)).toBeUndefined();
  });

  it.each<[filter: string, ast: string]>([
    // AIP-160 comparisons and quoting
    ['name = example-instance', 'aip160: name = example-instance'],
    ['name=example-instance', 'aip160: name = example-instance'],
    ['name != example-instance', 'aip160: name != example-instance'],
    ['name = "example instance"', 'aip160: name = "example instance"'],
    ["name = 'example instance'", 'aip160: name = "example instance"'],
    ['name = "say \\"hi\\""', 'aip160: name = "say \\"hi\\""'],
    ['cpuCount > 4', 'aip160: cpuCount > 4'],
    ['cpuCount>=4', 'aip160: cpuCount >= 4'],
    ['cpuCount < -1.5e3', 'aip160: cpuCount < -1.5e3'],
    ['cpuCount<=4', 'aip160: cpuCount <= 4'],
    ['labels.owner:*', 'aip160: labels.owner : *'],
    ['labels.owner : "*"', 'aip160: labels.owner : "*"'],
    ['labels:owner', 'aip160: labels : owner'],
    ['labels.cost-center = a_b', 'aip160: labels.cost-center = a_b'],
    ['scheduling.automaticRestart = false', 'aip160: scheduling.automaticRestart = false'],
    [
      'network = https://www.googleapis.com/compute/v1/projects/p/global/networks/default',
      'aip160: network = https://www.googleapis.com/compute/v1/projects/p/global/networks/default',
    ],
    ['name = a=b', 'aip160: name = a=b'],
    // combinations and AIP-160 precedence: OR binds tighter than AND; juxtaposition is AND
    [
      '(scheduling.automaticRestart = true) (cpuPlatform = "Intel Skylake")',
      'aip160: and(scheduling.automaticRestart = true, cpuPlatform = "Intel Skylake")',
    ],
    [
      '(cpuPlatform = "Intel Skylake") OR (cpuPlatform = "Intel Broadwell") AND (scheduling.automaticRestart = true)',
      'aip160: and(or(cpuPlatform = "Intel Skylake", cpuPlatform = "Intel Broadwell"), scheduling.automaticRestart = true)',
    ],
    ['a = 1 AND b = 2 OR c = 3', 'aip160: and(a = 1, or(b = 2, c = 3))'],
    ['a = 1 OR b = 2 AND c = 3', 'aip160: and(or(a = 1, b = 2), c = 3)'],
    ['a = 1 b = 2 OR c = 3', 'aip160: and(a = 1, or(b = 2, c = 3))'],
    ['(a = 1 OR b = 2) (c = 3 OR d = 4)', 'aip160: and(or(a = 1, b = 2), or(c = 3, d = 4))'],
    ['((a = 1))', 'aip160: a = 1'],
    ['NOT a = 1', 'aip160: not(a = 1)'],
    ['-a = 1', 'aip160: not(a = 1)'],
    ['NOT NOT a = 1', 'aip160: a = 1'],
    ['-labels.owner:*', 'aip160: not(labels.owner : *)'],
    ['NOT (a = 1 OR b = 2)', 'aip160: not(or(a = 1, b = 2))'],
    ['a = -1', 'aip160: a = -1'],
    // regular-expression grammar
    ['name eq foo-.*', 'regex: name eq /foo-.*/'],
    ['name ne .*instance', 'regex: name ne /.*instance/'],
    ['name eq unquoted literal', 'regex: name eq /unquoted literal/'],
    ["name eq 'single quoted literal'", 'regex: name eq /single quoted literal/'],
    ['name eq "double quoted literal"', 'regex: name eq /double quoted literal/'],
    ['name eq "a\\.b"', 'regex: name eq /a\\.b/'],
    ['name eq "a" b', 'regex: name eq /"a" b/'],
    ['  name   eq   foo  ', 'regex: name eq /foo/'],
    ['name eq (a|b)-.*', 'regex: name eq /(a|b)-.*/'],
    ['(name eq foo)', 'regex: name eq /foo/'],
    [
      '(fieldname1 eq literal) (fieldname2 ne "literal")',
      'regex: and(fieldname1 eq /literal/, fieldname2 ne /literal/)',
    ],
    ['(name eq (a|b)-.*)(zone ne .*-b)', 'regex: and(name eq /(a|b)-.*/, zone ne /.*-b/)'],
    ['(name eq [)]+)', 'regex: name eq /[)]+/'],
    ['(name eq a\\)b)', 'regex: name eq /a\\)b/'],
    ['(name eq "a\\) \\(b")', 'regex: name eq /a\\) \\(b/'],
    ['(description eq hello world )', 'regex: description eq /hello world/'],
    [
      '(labels.env eq prod) (scheduling.automaticRestart ne true)',
      'regex: and(labels.env eq /prod/, scheduling.automaticRestart ne /true/)',
    ],
    ['eq = 1', 'aip160: eq = 1'],
  ])('%s', (filter, ast) => {
    expect(parse(filter)).toBe(ast);
  });

  it.each([
    // not a comparison
    'foo',
    'name',
    'name =',
    '= foo',
    'name foo',
    '"name" = foo',
    'name ! foo',
    'name == foo',
    'name = "unterminated',
    'name = foo)',
    '(name = foo',
    '()',
    'AND name = a',
    'name = a AND',
    'name = a OR',
    'name = a AND OR b = c',
    'NOT',
    '-',
    'NOT = 1',
    'labels..env = a',
    '.name = a',
    'name. = a',
    'name = (a)',
    `${'('.repeat(65)}a = 1${')'.repeat(65)}`,
    // the two grammars cannot be mixed
    '(name eq foo) (zone = bar)',
    '(name = foo) (zone eq bar)',
    'name = foo AND zone eq bar',
    'name = foo zone ne bar',
    '(name eq foo) AND (zone eq bar)',
    '(name eq foo) OR (zone eq bar)',
    '(name eq foo) zone eq bar',
    'NOT name eq foo',
    // malformed regular-expression filters
    'name eq',
    'name eq   ',
    '(name eq )',
    '(name eq foo',
    '(name eq "foo)',
    '(name eq "foo" bar)',
    '(name eq foo) (',
    '(eq foo)',
    '(name foo)',
    // invalid RE2
    'name eq (foo',
    'name eq a**',
    'name eq \\1',
    'name eq (?=a)',
    'name eq [z-a]',
    'name eq a{1001}',
    '(name eq a\\) (zone eq b)',
  ])("rejects %j with Google's wording", (filter) => {
    expect(() => parseListFilter(filter)).toThrow(ListFilterError);
    expect(() => parseListFilter(filter)).toThrow(
      `Invalid value for field 'filter': '${filter}'. Invalid list filter expression.`,
    );
  });

  it('accepts nesting up to the limit', () => {
    expect(parse(`${'('.repeat(64)}a = 1${')'.repeat(64)}`)).toBe('aip160: a = 1');
  });

  it('keeps the source text', () => {
    expect(parseListFilter(' name = a ')?.source).toBe(' name = a ');
  });
});
