import { describe, expect, it } from 'vitest';
import {
  collapsedSummaries,
  drawnAs,
  drawnEdges,
  drawnElements,
  initiallyCollapsed,
  toExpand,
} from './detail';
import { buildTopology, id } from './model';
import { syntheticInput } from './synthetic';

const small = buildTopology(syntheticInput({ nodes: 3, pods: 7, services: 2 }));
const big = buildTopology(syntheticInput({ nodes: 30, pods: 400, services: 20 }));
const C = 'us-central1/big';

describe('level of detail', () => {
  it('draws a small project whole, collapses nodes above the pod limit and pools above the node limit', () => {
    expect(initiallyCollapsed(small).size).toBe(0);
    expect(drawnElements(small, new Set())).toBe(small.elements);
    const nodes = initiallyCollapsed(big);
    const nodeIds = big.elements.filter((e) => e.kind === 'node').map((e) => e.id);
    expect([...nodes].sort()).toEqual(nodeIds.filter((n) => big.elements.some((e) => e.parent === n)).sort());
    const pools = initiallyCollapsed(big, { nodes: 10 });
    expect(pools.has(id.pool(C, 'default-pool'))).toBe(true);
  });

  it('draws what is outside collapsed boxes, stands a hidden element for its outermost collapsed container', () => {
    const collapsed = initiallyCollapsed(big, { nodes: 10 });
    const pod = big.elements.find((e) => e.kind === 'pod' && e.parent !== id.cluster('us-central1', 'big'));
    if (!pod?.parent) throw new Error('no scheduled pod in the fixture');
    const pool = big.byId.get(pod.parent)?.parent ?? '';
    expect(pool.startsWith('pool:')).toBe(true);
    expect(drawnAs(big, pod.id, collapsed)).toBe(pool);
    expect(toExpand(big, pod.id, collapsed).sort()).toEqual([pod.parent, pool].sort());
    const drawn = new Set(drawnElements(big, collapsed).map((e) => e.id));
    expect(drawn.has(pool)).toBe(true);
    expect(drawn.has(pod.id)).toBe(false);
    expect(drawn.has(pod.parent)).toBe(false);
    // Services stay drawn: only nodes and pods are folded.
    expect(big.elements.filter((e) => e.kind === 'service').every((e) => drawn.has(e.id))).toBe(true);
  });

  it('merges the lines into a collapsed box, counted, and drops lines inside one', () => {
    const collapsed = initiallyCollapsed(big);
    const edges = drawnEdges(big, collapsed);
    const drawn = new Set(drawnElements(big, collapsed).map((e) => e.id));
    for (const edge of edges) {
      expect(drawn.has(edge.source)).toBe(true);
      expect(drawn.has(edge.target)).toBe(true);
    }
    const members = big.edges.filter((e) => e.kind === 'member').length;
    const drawnMembers = edges.filter((e) => e.kind === 'member');
    expect(drawnMembers.reduce((sum, e) => sum + e.count, 0)).toBe(members);
    expect(drawnMembers.length).toBeLessThan(members);
    expect(drawnEdges(small, new Set()).map((e) => e.id)).toEqual(small.edges.map((e) => e.id));
  });

  it('says what a collapsed box holds', () => {
    const collapsed = initiallyCollapsed(big, { nodes: 10 });
    const pool = id.pool(C, 'default-pool');
    const podsInPool = big.elements.filter(
      (e) => e.kind === 'pod' && big.byId.get(e.parent ?? '')?.parent === pool,
    ).length;
    const ready = big.elements.filter(
      (e) => e.kind === 'pod' && e.status === 'ok' && big.byId.get(e.parent ?? '')?.parent === pool,
    ).length;
    const nodes = big.elements.filter((e) => e.parent === pool).length;
    expect(collapsedSummaries(big, collapsed).get(pool)).toMatch(
      new RegExp(`^▸ ${nodes} nodes · ${podsInPool} pods \\(${ready} ready`),
    );
  });
});
