import { DEFAULT_GKE_VERSION, GKE_VERSIONS, RELEASE_CHANNELS } from './gke-versions';

/** projects.locations.getServerConfig: the versions, channels and image types this emulator offers. */
export function serverConfig(_location: string) {
  return {
    defaultClusterVersion: DEFAULT_GKE_VERSION,
    validNodeVersions: GKE_VERSIONS,
    defaultImageType: 'COS_CONTAINERD',
    validImageTypes: ['COS_CONTAINERD', 'UBUNTU_CONTAINERD'],
    validMasterVersions: GKE_VERSIONS,
    channels: Object.entries(RELEASE_CHANNELS).map(([channel, versions]) => ({
      channel,
      defaultVersion: versions[0],
      validVersions: versions,
    })),
  };
}
