import { describe, expect, it } from 'vitest';
import {
  absoluteBoxes,
  gridOf,
  layoutPlan,
  leafSize,
  packRows,
  podGrid,
  POD_HEIGHT,
  POD_WIDTH,
  type Box,
  type ElkGraph,
} from './layout';
import { buildTopology, id } from './model';
import { syntheticInput } from './synthetic';

/** The value, or the test fails here: fixtures the test built itself. */
function must<T>(value: T | undefined | null): T {
  if (value === undefined || value === null) throw new Error('missing fixture');
  return value;
}

const model = buildTopology(syntheticInput({ nodes: 3, pods: 7, services: 2 }));
const FIRST_NODE = must(
  must(must(syntheticInput({ nodes: 3, pods: 7, services: 2 }).clusters[0]).kubernetes).nodes[0],
).name;

function find(graph: ElkGraph, key: string): ElkGraph | undefined {
  if (graph.id === key) return graph;
  for (const child of graph.children ?? []) {
    const found = find(child, key);
    if (found) return found;
  }
  return undefined;
}

/** Whether two boxes overlap (touching edges do not). */
const overlap = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inside = (inner: Box, outer: Box) =>
  inner.x >= outer.x &&
  inner.y >= outer.y &&
  inner.x + inner.width <= outer.x + outer.width &&
  inner.y + inner.height <= outer.y + outer.height;

describe('the layout', () => {
  it('packs a project without load balancing itself (no ELK): every element boxed, inside its parent, siblings apart', () => {
    const big = buildTopology(syntheticInput({ nodes: 40, pods: 300, services: 30 }));
    const plan = layoutPlan(big);
    expect(plan.needsElk).toBe(false);
    const boxes = absoluteBoxes(plan.graph, plan.inner);
    expect(boxes.size).toBe(big.elements.length);
    const siblings = new Map<string, Box[]>();
    for (const element of big.elements) {
      const box = must(boxes.get(element.id));
      expect(box.width).toBeGreaterThan(0);
      if (element.parent) expect(inside(box, must(boxes.get(element.parent))), element.id).toBe(true);
      const list = siblings.get(element.parent ?? '') ?? [];
      for (const other of list) expect(overlap(box, other), element.id).toBe(false);
      list.push(box);
      siblings.set(element.parent ?? '', list);
    }
    // The root's size holds everything.
    for (const box of boxes.values()) {
      expect(box.x + box.width).toBeLessThanOrEqual(must(plan.graph.width));
      expect(box.y + box.height).toBeLessThanOrEqual(must(plan.graph.height));
    }
  });

  it('gives ELK the load-balancing column, its chain as edges, and the networks as sized boxes right of it', () => {
    const withLb = buildTopology({
      ...syntheticInput({ nodes: 1, pods: 1, services: 1 }),
      loadBalancing: [
        {
          collection: 'forwardingRules',
          name: 'fr',
          scope: 'global',
          selfLink: 'a',
          resource: { target: 'b' },
        },
        { collection: 'targetHttpProxies', name: 'px', scope: 'global', selfLink: 'b', resource: {} },
      ],
    });
    const plan = layoutPlan(withLb);
    expect(plan.needsElk).toBe(true);
    const graph = plan.graph;
    expect(graph.children?.map((c) => c.id)).toEqual(['lbGroup:all', id.network('vpc')]);
    expect(graph.layoutOptions?.['elk.algorithm']).toBe('layered');
    expect(graph.edges).toEqual([
      { id: `order:${id.network('vpc')}`, sources: ['lbGroup:all'], targets: [id.network('vpc')] },
    ]);
    // The network is one sized box for ELK; what it holds is laid out already.
    const network = must(graph.children?.[1]);
    expect(network.children).toBeUndefined();
    expect(network.width).toBe(plan.inner.get(id.network('vpc'))?.width);
    expect(find(graph, 'lbGroup:all')?.edges).toEqual([
      {
        id: `chain:${id.lb('forwardingRules', 'global', 'fr')}->${id.lb('targetHttpProxies', 'global', 'px')}`,
        sources: [id.lb('forwardingRules', 'global', 'fr')],
        targets: [id.lb('targetHttpProxies', 'global', 'px')],
      },
    ]);
  });

  it('sizes leaves by their text and bars, within bounds', () => {
    const subnet = must(model.byId.get(id.subnet('us-central1', 'nodes')));
    expect(leafSize(subnet).height).toBe(12 + 15 * 2 + 3 * 28);
    const long = { ...subnet, kind: 'service' as const, label: 'x'.repeat(200), lines: [], bars: [] };
    expect(leafSize(long).width).toBe(400);
  });

  it('grids pods: up to 3 in a row, then about 1.5 wide per row', () => {
    const node = must(model.byId.get(id.node(FIRST_NODE)));
    expect(podGrid(node, 0).columns).toBe(1);
    expect(podGrid(node, 2).columns).toBe(2);
    expect(podGrid(node, 3).columns).toBe(3);
    expect(podGrid(node, 10).columns).toBe(4);
    expect(podGrid(node, 110).columns).toBe(6);
    expect(podGrid(node, 4).height - podGrid(node, 3).height).toBe(POD_HEIGHT + 6);
  });

  it('grids boxes in aligned columns near the asked aspect ratio, and packs rows in order', () => {
    const grid = gridOf(new Array(100).fill({ width: 100, height: 50 }), 1.8, 10);
    // 100 boxes of 2:1, 1.8:1 overall: round(√(1.8·100·50/100)) = 9 columns
    expect(grid.cells[8]).toEqual({ x: 880, y: 0 });
    expect(grid.cells[9]).toEqual({ x: 0, y: 60 });
    expect(grid.width / grid.height).toBeGreaterThan(1.2);
    expect(grid.width / grid.height).toBeLessThan(4);
    const rows = packRows(
      [
        { width: 300, height: 40 },
        { width: 100, height: 80 },
        { width: 250, height: 20 },
      ],
      0.5,
      10,
    );
    // narrow: a row as wide as the widest box, so each box starts a row
    expect(rows.cells).toEqual([
      { x: 0, y: 0 },
      { x: 0, y: 50 },
      { x: 0, y: 140 },
    ]);
    expect(rows).toMatchObject({ width: 300, height: 160 });
  });

  it('reads a laid-out root back as absolute boxes, pods inside their node', () => {
    const plan = layoutPlan(model);
    const boxes = absoluteBoxes(plan.graph, plan.inner);
    const nodeId = id.node(FIRST_NODE);
    const nodeBox = must(boxes.get(nodeId));
    const podIds = model.elements.filter((e) => e.parent === nodeId).map((e) => e.id);
    expect(podIds.length).toBeGreaterThan(0);
    for (const pod of podIds) {
      const box = must(boxes.get(pod));
      expect(box.width).toBe(POD_WIDTH);
      expect(inside(box, nodeBox)).toBe(true);
    }
    // where ELK moved a root box, everything in it moves along
    const moved: ElkGraph = {
      ...plan.graph,
      children: plan.graph.children?.map((c) => ({ ...c, x: (c.x ?? 0) + 100, y: (c.y ?? 0) + 7 })),
    };
    const shifted = must(absoluteBoxes(moved, plan.inner).get(nodeId));
    expect(shifted).toEqual({ ...nodeBox, x: nodeBox.x + 100, y: nodeBox.y + 7 });
    expect(boxes.size).toBe(model.elements.length);
  });
});
