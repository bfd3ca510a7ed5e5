import { describe, expect, it } from 'vitest';
import { GoogleApiError } from '@gke-emulator/common';
import { deleteUnlessInUse, resourceInUseError } from './in-use';

const fkViolation = {
  code: '23503',
  message: 'update or delete on table "network" violates foreign key constraint "cluster_network_id_fkey"',
};

describe('resource in use by another resource (real logs: "The backend_service resource … is already being used by …")', () => {
  it('is a synchronous 400 resourceInUseByAnotherResource naming the resource and its user', () => {
    const error = resourceInUseError(
      'network',
      'projects/p/global/networks/n',
      'projects/p/global/firewalls/f',
    );
    expect(error).toBeInstanceOf(GoogleApiError);
    expect(error.httpStatus).toBe(400);
    expect(error.reason).toBe('resourceInUseByAnotherResource');
    expect(error.message).toBe(
      "The network resource 'projects/p/global/networks/n' is already being used by 'projects/p/global/firewalls/f'",
    );
  });

  it('reports a foreign key refusal of the delete as the in-use error, naming the user found afterwards', async () => {
    const run = deleteUnlessInUse(
      () => Promise.reject(fkViolation),
      'subnetwork',
      'projects/p/regions/r/subnetworks/s',
      async () => 'projects/p/zones/r-a/instances/node-1',
    );
    await expect(run).rejects.toMatchObject({
      httpStatus: 400,
      reason: 'resourceInUseByAnotherResource',
      message:
        "The subnetwork resource 'projects/p/regions/r/subnetworks/s' is already being used by 'projects/p/zones/r-a/instances/node-1'",
    });
  });

  it('lets other failures through untouched and returns what the delete returns', async () => {
    const other = new Error('boom');
    await expect(
      deleteUnlessInUse(
        () => Promise.reject(other),
        'address',
        'x',
        async () => null,
      ),
    ).rejects.toBe(other);
    await expect(
      deleteUnlessInUse(
        async () => 'op',
        'address',
        'x',
        async () => null,
      ),
    ).resolves.toBe('op');
  });
});
