import { describe, expect, it } from 'vitest';
import { asConstraintViolation } from './db-errors';

describe('asConstraintViolation', () => {
  it.each([
    [
      {
        code: '23505',
        message: 'duplicate key value violates unique constraint "network_project_id_name_key"',
      },
      'unique',
      'network_project_id_name_key',
    ],
    [{ code: 'P2002', meta: { constraint: 'x_key' } }, 'unique', 'x_key'],
    [
      {
        code: 'P2010',
        meta: {
          driverAdapterError: {
            cause: {
              originalCode: '23P01',
              originalMessage:
                'conflicting key value violates exclusion constraint "subnet_range_no_overlap"',
            },
          },
        },
      },
      'exclusion',
      'subnet_range_no_overlap',
    ],
    [{ name: 'DriverAdapterError', cause: { code: '23503', constraint: 'fk' } }, 'foreignKey', 'fk'],
  ])('finds %j', (error, kind, constraint) => {
    expect(asConstraintViolation(error)).toMatchObject({ kind, constraint });
  });

  it.each([new Error('other'), { code: '42P01' }, null, 'text', { cause: { cause: { cause: {} } } }])(
    'ignores %j',
    (error) => {
      expect(asConstraintViolation(error)).toBeNull();
    },
  );
});
