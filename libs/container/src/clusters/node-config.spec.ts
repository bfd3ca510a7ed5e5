import { describe, expect, it } from 'vitest';
import {
  applyNodePoolUpdate,
  DEFAULT_OAUTH_SCOPES,
  nodeConfigNameProblem,
  renderNodeConfig,
} from './node-config';

const V = '1.35.6-gke.1250000';

describe('node pool config as GKE returns it (recorded KCC traffic)', () => {
  it('containernodepool-kubeletconfig: defaults of an e2-medium pool on pd-balanced', () => {
    const config = renderNodeConfig({ loggingConfig: { variantConfig: { variant: 'DEFAULT' } } }, V);
    expect(config).toEqual({
      bootDisk: { diskType: 'pd-balanced', sizeGb: '100' },
      diskSizeGb: 100,
      diskType: 'pd-balanced',
      effectiveCgroupMode: 'EFFECTIVE_CGROUP_MODE_V2',
      imageType: 'COS_CONTAINERD',
      kubeletConfig: { insecureKubeletReadonlyPortEnabled: false, maxParallelImagePulls: 2 },
      loggingConfig: { variantConfig: { variant: 'DEFAULT' } },
      machineType: 'e2-medium',
      metadata: { 'disable-legacy-endpoints': 'true' },
      nodeImageConfig: {
        image: 'gke-1356-gke1250000-cos-125-19216-395-109-c-pre',
        imageProject: 'gke-node-images',
      },
      oauthScopes: DEFAULT_OAUTH_SCOPES,
      resourceLabels: { 'goog-gke-node-pool-provisioning-model': 'on-demand' },
      serviceAccount: 'default',
      shieldedInstanceConfig: { enableIntegrityMonitoring: true },
      windowsNodeConfig: {},
    });
  });

  it('containercluster-swap-dedicated-ssd: nodes with local SSDs pull 3 images in parallel', () => {
    const config = renderNodeConfig(
      { machineType: 'n2-standard-2', ephemeralStorageLocalSsdConfig: { localSsdCount: 1 } },
      V,
    );
    expect(config['kubeletConfig']).toEqual({
      insecureKubeletReadonlyPortEnabled: false,
      maxParallelImagePulls: 3,
    });
  });

  it('containernodepool-kubeletconfig: kubelet settings asked for are kept beside the defaults', () => {
    const config = renderNodeConfig({ kubeletConfig: { cpuCfsQuota: true, podPidsLimit: '1024' } }, V);
    expect(config['kubeletConfig']).toEqual({
      cpuCfsQuota: true,
      podPidsLimit: '1024',
      insecureKubeletReadonlyPortEnabled: false,
      maxParallelImagePulls: 2,
    });
  });

  it('containercluster-swap: linuxNodeConfig is echoed; cgroup v1 gives EFFECTIVE_CGROUP_MODE_V1', () => {
    const linuxNodeConfig = { cgroupMode: 'CGROUP_MODE_V2', swapConfig: { enabled: true } };
    expect(renderNodeConfig({ linuxNodeConfig }, V)['linuxNodeConfig']).toEqual(linuxNodeConfig);
    expect(renderNodeConfig({}, V)).not.toHaveProperty('linuxNodeConfig');
    expect(
      renderNodeConfig({ linuxNodeConfig: { cgroupMode: 'CGROUP_MODE_V1' } }, V)['effectiveCgroupMode'],
    ).toBe('EFFECTIVE_CGROUP_MODE_V1');
  });

  it('containercluster-containerdconfigupdateignored: given scopes replace the default ones', () => {
    const scopes = ['https://www.googleapis.com/auth/cloud-platform'];
    expect(renderNodeConfig({ oauthScopes: scopes }, V)['oauthScopes']).toEqual(scopes);
  });

  it('spot nodes are labelled with their provisioning model; a custom boot disk is reported in bootDisk', () => {
    const config = renderNodeConfig({ spot: true, diskType: 'pd-ssd', diskSizeGb: 50 }, V);
    expect(config['resourceLabels']).toEqual({ 'goog-gke-node-pool-provisioning-model': 'spot' });
    expect(config['bootDisk']).toEqual({ diskType: 'pd-ssd', sizeGb: '50' });
    expect(config['kubeletConfig']).toMatchObject({ maxParallelImagePulls: 3 });
  });

  it('containercluster-swap: UpdateNodePool replaces linuxNodeConfig (swap turned off)', () => {
    const stored = { machineType: 'e2-medium', linuxNodeConfig: { swapConfig: { enabled: true } } };
    const next = applyNodePoolUpdate(stored, {
      name: 'default-pool',
      linuxNodeConfig: { cgroupMode: 'CGROUP_MODE_V2', swapConfig: { enabled: false } },
    });
    expect(next).toEqual({
      machineType: 'e2-medium',
      linuxNodeConfig: { cgroupMode: 'CGROUP_MODE_V2', swapConfig: { enabled: false } },
    });
  });

  it('containernodepool-kubeletconfig: a kubelet update without maxParallelImagePulls reports 3', () => {
    const next = applyNodePoolUpdate({}, { kubeletConfig: { podPidsLimit: '2048' } });
    expect(renderNodeConfig(next, V)['kubeletConfig']).toEqual({
      podPidsLimit: '2048',
      maxParallelImagePulls: 3,
      insecureKubeletReadonlyPortEnabled: false,
    });
  });

  it('UpdateNodePool unwraps labels, taints and tags', () => {
    const next = applyNodePoolUpdate(
      {},
      { labels: { labels: { a: 'b' } }, taints: { taints: [{ key: 'k' }] }, tags: { tags: ['t'] } },
    );
    expect(next).toEqual({ labels: { a: 'b' }, taints: [{ key: 'k' }], tags: ['t'] });
  });
});

describe('nodeConfigNameProblem', () => {
  it.each([
    [{}, undefined],
    [{ machineType: 'e2-medium', diskType: 'pd-ssd', imageType: 'COS_CONTAINERD' }, undefined],
    [{ machineType: 'n2-custom-4-8192-ext' }, undefined],
    [{ machineType: 'a'.repeat(63) }, undefined],
    [
      { machineType: 'a'.repeat(64) },
      `Invalid value for field "nodePool.config.machineType": "${'a'.repeat(64)}". machine type "${'a'.repeat(64)}" does not exist.`,
    ],
    [
      { machineType: 'x'.repeat(1 << 20) },
      `Invalid value for field "nodePool.config.machineType": "${'x'.repeat(64)}…". machine type "${'x'.repeat(64)}…" does not exist.`,
    ],
    [
      { machineType: 'E2-Medium' },
      'Invalid value for field "nodePool.config.machineType": "E2-Medium". machine type "E2-Medium" does not exist.',
    ],
    [{ machineType: 7 }, 'Invalid value for field "nodePool.config.machineType": 7.'],
    [
      { diskType: 'pd ssd' },
      'Invalid value for field "nodePool.config.diskType": "pd ssd". disk type "pd ssd" does not exist.',
    ],
    [
      { imageType: 'C'.repeat(256) },
      `Invalid value for field "nodePool.config.imageType": "${'C'.repeat(64)}…". It must be at most 255 characters long.`,
    ],
    [{ serviceAccount: 's'.repeat(255) }, undefined],
    [{ minCpuPlatform: ['Intel'] }, 'Invalid value for field "nodePool.config.minCpuPlatform": ["Intel"].'],
  ])('%j', (config, expected) => {
    expect(nodeConfigNameProblem(config, 'nodePool.config')).toBe(expected);
  });
  it('names top-level fields of an UpdateNodePoolRequest without a prefix', () => {
    expect(nodeConfigNameProblem({ machineType: '-x' }, '')).toBe(
      'Invalid value for field "machineType": "-x". machine type "-x" does not exist.',
    );
  });
});
