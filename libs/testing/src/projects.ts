import { randomBytes } from 'node:crypto';

/** A project id of its own for a test: the project is the tenant, so tests never see each other's resources. */
export function testProject(prefix = 'test'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}
