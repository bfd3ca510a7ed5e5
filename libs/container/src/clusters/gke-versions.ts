/**
 * The GKE versions this emulator offers, per release channel, as real GKE offered them when the newest recordings in
 * `../shared/oracles/gcp-recorded/` were made (2026-08: Regular's default 1.35.6-gke.1250000, Stable's
 * 1.34.9-gke.1131000). Newest first; a channel's first version is its default.
 */
export const RELEASE_CHANNELS = {
  RAPID: ['1.35.6-gke.1250000'],
  REGULAR: ['1.35.6-gke.1250000', '1.34.9-gke.1131000'],
  STABLE: ['1.34.9-gke.1131000'],
} as const satisfies Record<string, readonly string[]>;

export type ReleaseChannel = keyof typeof RELEASE_CHANNELS;

/** Every version offered, newest first. */
export const GKE_VERSIONS: readonly string[] = [...new Set(Object.values(RELEASE_CHANNELS).flat())].sort(
  (a, b) => compareVersions(b, a),
);

/** A cluster created without a version or channel runs Regular's default. */
export const DEFAULT_GKE_VERSION: string = RELEASE_CHANNELS.REGULAR[0];

/** The COS build GKE's node images of these versions are built on (`gke-<version>-cos-<build>-c-pre`). */
const COS_BUILD = '125-19216-395-109';

function parts(version: string): number[] {
  return version
    .split(/[.-]|gke/)
    .filter(Boolean)
    .map(Number);
}

export function compareVersions(a: string, b: string): number {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * What a version request means: blank, `-` or `latest` → the channel's default; `1.34`, `1.34.9` → the newest offered
 * version of that minor or patch; a full version → itself. Null when nothing offered matches.
 */
export function resolveVersion(requested: string | undefined, channel?: ReleaseChannel): string | null {
  const offered: readonly string[] = channel ? RELEASE_CHANNELS[channel] : GKE_VERSIONS;
  if (requested === undefined || requested === '' || requested === '-' || requested === 'latest') {
    return offered[0] ?? null;
  }
  return (
    offered.find(
      (version) =>
        version === requested || version.startsWith(`${requested}.`) || version.startsWith(`${requested}-`),
    ) ?? null
  );
}

/**
 * The channel a new cluster is enrolled in when it names none: Regular for the default version, else the most stable
 * channel that offers the version asked for (the recordings: `initialClusterVersion: "1.34"` → STABLE).
 */
export function channelFor(version: string, versionRequested: boolean): ReleaseChannel {
  if (!versionRequested) return 'REGULAR';
  for (const channel of ['STABLE', 'REGULAR', 'RAPID'] as const) {
    if ((RELEASE_CHANNELS[channel] as readonly string[]).includes(version)) return channel;
  }
  return 'REGULAR';
}

/** The node image GKE runs a version on: `1.35.6-gke.1250000` → `gke-1356-gke1250000-cos-…-c-pre`. */
export function nodeImageOf(version: string): string {
  const [kube = '', build = ''] = version.split('-gke.');
  return `gke-${kube.replace(/\./g, '')}-gke${build}-cos-${COS_BUILD}-c-pre`;
}

/** Whether `version` is at least `major.minor`. */
export function atLeast(version: string, minor: string): boolean {
  return compareVersions(version, minor) >= 0;
}
