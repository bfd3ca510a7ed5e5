import { describe, expect, it } from 'vitest';
import {
  atLeast,
  channelFor,
  compareVersions,
  DEFAULT_GKE_VERSION,
  nodeImageOf,
  RELEASE_CHANNELS,
  resolveVersion,
} from './gke-versions';

describe('GKE versions (recorded KCC traffic)', () => {
  it('containercluster-swap: a cluster without a version runs Regular default 1.35.6-gke.1250000', () => {
    expect(DEFAULT_GKE_VERSION).toBe('1.35.6-gke.1250000');
    expect(resolveVersion(undefined)).toBe(DEFAULT_GKE_VERSION);
    expect(resolveVersion('-')).toBe(DEFAULT_GKE_VERSION);
    expect(resolveVersion('latest')).toBe(DEFAULT_GKE_VERSION);
    expect(channelFor(DEFAULT_GKE_VERSION, false)).toBe('REGULAR');
  });

  it('containernodepool-swap-gib: initialClusterVersion "1.34" → newest 1.34 patch, enrolled in STABLE', () => {
    const version = resolveVersion('1.34');
    expect(version).toBe('1.34.9-gke.1131000');
    expect(channelFor(version as string, true)).toBe('STABLE');
  });

  it.each([
    ['1.34.9', '1.34.9-gke.1131000'],
    ['1.34.9-gke.1131000', '1.34.9-gke.1131000'],
    ['1.35', '1.35.6-gke.1250000'],
    ['1.3', null],
    ['1.33', null],
    ['2', null],
  ])('resolves %s to %s', (requested, expected) => {
    expect(resolveVersion(requested)).toBe(expected);
  });

  it('resolves within a named channel only', () => {
    expect(resolveVersion(undefined, 'STABLE')).toBe(RELEASE_CHANNELS.STABLE[0]);
    expect(resolveVersion('1.35', 'STABLE')).toBeNull();
  });

  it('containercluster-swap: node image of 1.35.6-gke.1250000 is gke-1356-gke1250000-cos-125-19216-395-109-c-pre', () => {
    expect(nodeImageOf('1.35.6-gke.1250000')).toBe('gke-1356-gke1250000-cos-125-19216-395-109-c-pre');
    expect(nodeImageOf('1.34.9-gke.1131000')).toBe('gke-1349-gke1131000-cos-125-19216-395-109-c-pre');
  });

  it('compares versions numerically', () => {
    expect(compareVersions('1.35.6-gke.1250000', '1.34.9-gke.1131000')).toBeGreaterThan(0);
    expect(compareVersions('1.34.10-gke.1', '1.34.9-gke.2')).toBeGreaterThan(0);
    expect(atLeast('1.35.6-gke.1250000', '1.35')).toBe(true);
    expect(atLeast('1.34.9-gke.1131000', '1.35')).toBe(false);
  });
});
