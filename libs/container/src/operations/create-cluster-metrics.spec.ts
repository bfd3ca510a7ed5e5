import { describe, expect, it } from 'vitest';
import { createClusterMetrics, CREATE_CLUSTER_METRICS } from './container-operation.service';

const asRecord = (regional: boolean) =>
  Object.fromEntries(createClusterMetrics(regional).map((m) => [m.name, m.intValue]));

describe('createClusterMetrics', () => {
  it('containercluster-containerdconfigupdateignored: a regional cluster configures in 9 steps', () => {
    expect(asRecord(true)).toEqual({
      CLUSTER_CONFIGURING: '9',
      CLUSTER_CONFIGURING_TOTAL: '9',
      CLUSTER_DEPLOYING: '10',
      CLUSTER_DEPLOYING_TOTAL: '10',
      CLUSTER_HEALTHCHECKING: '1',
      CLUSTER_HEALTHCHECKING_TOTAL: '2',
    });
  });

  it('containercluster-swap: a zonal cluster configures in 8 steps', () => {
    expect(asRecord(false)).toMatchObject({ CLUSTER_CONFIGURING: '8', CLUSTER_CONFIGURING_TOTAL: '8' });
    expect(CREATE_CLUSTER_METRICS).toEqual(createClusterMetrics(false));
  });

  it('keeps the order GKE writes them in', () => {
    expect(createClusterMetrics(true).map((m) => m.name)).toEqual([
      'CLUSTER_CONFIGURING',
      'CLUSTER_CONFIGURING_TOTAL',
      'CLUSTER_DEPLOYING',
      'CLUSTER_DEPLOYING_TOTAL',
      'CLUSTER_HEALTHCHECKING',
      'CLUSTER_HEALTHCHECKING_TOTAL',
    ]);
  });
});
