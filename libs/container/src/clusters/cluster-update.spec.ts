import { describe, expect, it } from 'vitest';
import { GoogleApiError } from '@gke-emulator/common';
import { applyClusterUpdate, withNetworkPolicy, withResourceLabels } from './cluster-update';
import { DEFAULT_GKE_VERSION, GKE_VERSIONS } from './gke-versions';

const STORED = {
  name: 'c1',
  currentMasterVersion: 'old',
  currentNodeVersion: 'old',
  addonsConfig: { httpLoadBalancing: {}, networkPolicyConfig: { disabled: true } },
  networkConfig: { network: 'projects/p/global/networks/default' },
  resourceLabels: { team: 'a' },
  labelFingerprint: 'aaaaaaaa',
};

describe('applyClusterUpdate', () => {
  it('`-` and `latest` move master and nodes to the default version; an offered version is kept', () => {
    const offered = GKE_VERSIONS[GKE_VERSIONS.length - 1] as string;
    expect(
      applyClusterUpdate(STORED, { desiredMasterVersion: '-', desiredNodeVersion: 'latest' }).next,
    ).toMatchObject({
      currentMasterVersion: DEFAULT_GKE_VERSION,
      currentNodeVersion: DEFAULT_GKE_VERSION,
    });
    expect(applyClusterUpdate(STORED, { desiredMasterVersion: offered }).next['currentMasterVersion']).toBe(
      offered,
    );
  });

  it('refuses a version GKE does not offer with a 400 naming the field', () => {
    expect(() => applyClusterUpdate(STORED, { desiredNodeVersion: '1.2.3' })).toThrowError(
      'Invalid value for field "update.desiredNodeVersion": "1.2.3" is not a supported version.',
    );
  });

  it('merges addons, keeps the network config beside the datapath and in-transit encryption', () => {
    const { next, poolConfig } = applyClusterUpdate(STORED, {
      desiredAddonsConfig: { gcsFuseCsiDriverConfig: { enabled: true } },
      desiredDatapathProvider: 'ADVANCED_DATAPATH',
      desiredInTransitEncryptionConfig: 'IN_TRANSIT_ENCRYPTION_INTER_NODE_TRANSPARENT',
      desiredLoggingService: 'none',
      desiredMonitoringService: 'none',
      desiredLocations: ['us-central1-a', 'us-central1-b'],
    });
    expect(next).toMatchObject({
      addonsConfig: {
        httpLoadBalancing: {},
        networkPolicyConfig: { disabled: true },
        gcsFuseCsiDriverConfig: { enabled: true },
      },
      networkConfig: {
        network: 'projects/p/global/networks/default',
        datapathProvider: 'ADVANCED_DATAPATH',
        inTransitEncryptionConfig: 'IN_TRANSIT_ENCRYPTION_INTER_NODE_TRANSPARENT',
      },
      loggingService: 'none',
      monitoringService: 'none',
      locations: ['us-central1-a', 'us-central1-b'],
    });
    expect(poolConfig).toEqual({});
  });

  it('applies containerd and kubelet config to every pool; containerd also becomes a new pools` default', () => {
    const containerd = { privateRegistryAccessConfig: { enabled: true } };
    const kubelet = { cpuManagerPolicy: 'static' };
    const { next, poolConfig } = applyClusterUpdate(
      { ...STORED, nodePoolDefaults: { nodeConfigDefaults: { loggingConfig: {} } } },
      { desiredContainerdConfig: containerd, desiredNodeKubeletConfig: kubelet },
    );
    expect(poolConfig).toEqual({ containerdConfig: containerd, kubeletConfig: kubelet });
    expect(next['nodePoolDefaults']).toEqual({
      nodeConfigDefaults: { loggingConfig: {}, containerdConfig: containerd },
    });
  });

  it('sets the autopilot kubelet config, release channel and authorized networks as given', () => {
    const { next } = applyClusterUpdate(STORED, {
      desiredNodePoolAutoConfigKubeletConfig: { insecureKubeletReadonlyPortEnabled: false },
      desiredReleaseChannel: { channel: 'STABLE' },
      desiredMasterAuthorizedNetworksConfig: { enabled: true },
    });
    expect(next).toMatchObject({
      nodePoolAutoConfig: { nodeKubeletConfig: { insecureKubeletReadonlyPortEnabled: false } },
      releaseChannel: { channel: 'STABLE' },
      masterAuthorizedNetworksConfig: { enabled: true },
    });
  });

  it('accepts the pool id and image type without a change; refuses a field it does not model', () => {
    expect(applyClusterUpdate(STORED, { desiredNodePoolId: 'p', desiredImageType: 'COS' }).next).toEqual(
      STORED,
    );
    const error = (() => {
      try {
        applyClusterUpdate(STORED, { desiredAutopilot: {} });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(GoogleApiError);
    expect(error).toMatchObject({
      httpStatus: 400,
      message: 'Updating "desiredAutopilot" is not supported by gke-emulator.',
    });
  });

  it('does not change the stored object it was given', () => {
    const stored = structuredClone(STORED);
    applyClusterUpdate(stored, { desiredLoggingService: 'none', desiredAddonsConfig: { x: {} } });
    expect(stored).toEqual(STORED);
  });
});

describe('withNetworkPolicy', () => {
  it('enables Calico (or the provider asked) and its addon', () => {
    expect(withNetworkPolicy(STORED, { enabled: true })).toMatchObject({
      networkPolicy: { provider: 'CALICO', enabled: true },
      addonsConfig: { httpLoadBalancing: {}, networkPolicyConfig: {} },
    });
    expect(withNetworkPolicy(STORED, { enabled: true, provider: 'OTHER' })['networkPolicy']).toEqual({
      provider: 'OTHER',
      enabled: true,
    });
  });

  it('disables it: an empty networkPolicy, the addon disabled', () => {
    expect(withNetworkPolicy(STORED, {})).toMatchObject({
      networkPolicy: {},
      addonsConfig: { networkPolicyConfig: { disabled: true } },
    });
  });
});

describe('withResourceLabels', () => {
  it('replaces the labels and draws a new fingerprint from the injected source', () => {
    expect(withResourceLabels(STORED, { env: 'prod' }, () => 0.999)).toMatchObject({
      resourceLabels: { env: 'prod' },
      labelFingerprint: 'ffffffff',
    });
  });

  it('no labels: no resourceLabels field at all', () => {
    const next = withResourceLabels(STORED, {}, () => 0);
    expect('resourceLabels' in next).toBe(false);
    expect(next['labelFingerprint']).toBe('00000000');
  });
});
