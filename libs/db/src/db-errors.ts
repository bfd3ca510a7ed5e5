/**
 * Translates constraint violations, wherever the driver adapter or Prisma put them, into one shape that use cases
 * map to their wire errors. Constraints, not code, make invariants true under concurrency; this is how their
 * verdict reaches the client as a clean 4xx.
 */
export type ConstraintKind = 'unique' | 'exclusion' | 'foreignKey';

export class ConstraintViolation extends Error {
  constructor(
    readonly kind: ConstraintKind,
    readonly constraint: string | undefined,
    override readonly cause: unknown,
  ) {
    super(`${kind} constraint violated${constraint ? `: ${constraint}` : ''}`);
    this.name = 'ConstraintViolation';
  }
}

const SQLSTATE_KINDS: Record<string, ConstraintKind> = {
  '23505': 'unique',
  '23P01': 'exclusion',
  '23503': 'foreignKey',
};

const PRISMA_KINDS: Record<string, ConstraintKind> = { P2002: 'unique', P2003: 'foreignKey' };

function findDetails(error: unknown, depth = 0): { kind: ConstraintKind; constraint?: string } | null {
  if (!error || typeof error !== 'object' || depth > 5) return null;
  const record = error as Record<string, unknown>;
  const code = typeof record['code'] === 'string' ? record['code'] : undefined;
  const originalCode = typeof record['originalCode'] === 'string' ? record['originalCode'] : undefined;
  const kind =
    (code && (SQLSTATE_KINDS[code] ?? PRISMA_KINDS[code])) || (originalCode && SQLSTATE_KINDS[originalCode]);
  if (kind) {
    const message = typeof record['message'] === 'string' ? record['message'] : '';
    const originalMessage = typeof record['originalMessage'] === 'string' ? record['originalMessage'] : '';
    const named = `${message} ${originalMessage}`.match(/constraint "([^"]+)"/);
    const meta = record['meta'] as Record<string, unknown> | undefined;
    const constraint =
      named?.[1] ??
      (typeof record['constraint'] === 'string' ? record['constraint'] : undefined) ??
      (meta && typeof meta['constraint'] === 'string' ? meta['constraint'] : undefined);
    const nested =
      findDetails(record['cause'], depth + 1) ?? findDetails(meta?.['driverAdapterError'], depth + 1);
    return { kind, constraint: constraint ?? nested?.constraint };
  }
  for (const key of ['cause', 'meta', 'driverAdapterError']) {
    const found = findDetails(record[key], depth + 1);
    if (found) return found;
  }
  return null;
}

export function asConstraintViolation(error: unknown): ConstraintViolation | null {
  const details = findDetails(error);
  return details ? new ConstraintViolation(details.kind, details.constraint, error) : null;
}
