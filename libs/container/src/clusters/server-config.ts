import { GKE_VERSION } from './cluster-plan';

const VERSIONS = [GKE_VERSION, '1.31.9-gke.1000', '1.30.12-gke.1000'];

/** projects.locations.getServerConfig: the versions and image types this emulator offers. */
export function serverConfig(_location: string) {
  return {
    defaultClusterVersion: GKE_VERSION,
    validNodeVersions: VERSIONS,
    defaultImageType: 'COS_CONTAINERD',
    validImageTypes: ['COS_CONTAINERD', 'UBUNTU_CONTAINERD'],
    validMasterVersions: VERSIONS,
    channels: ['RAPID', 'REGULAR', 'STABLE'].map((channel) => ({
      channel,
      defaultVersion: GKE_VERSION,
      validVersions: VERSIONS,
    })),
  };
}
