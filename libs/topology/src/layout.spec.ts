import { describe, expect, it } from 'vitest';
import { absoluteBoxes, elkGraph, leafSize, podGrid, POD_HEIGHT, POD_WIDTH, type ElkGraph } from './layout';
import { buildTopology, id } from './model';
import { syntheticInput } from './synthetic';

/** The value, or the test fails here: fixtures the test built itself. */
function must<T>(value: T | undefined | null): T {
  if (value === undefined || value === null) throw new Error('missing fixture');
  return value;
}

const model = buildTopology(syntheticInput({ nodes: 3, pods: 7, services: 2 }));
const C = 'us-central1/big';
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

describe('the ELK graph', () => {
  it('mirrors the containment, nodes as sized leaves (their pods are a grid), containers with room for a title', () => {
    const graph = elkGraph(model);
    expect(graph.children?.map((c) => c.id)).toEqual([id.network('vpc')]);
    const network = find(graph, id.network('vpc'));
    expect(network?.children?.map((c) => c.id)).toEqual([
      id.subnet('us-central1', 'nodes'),
      id.firewalls('vpc'),
      id.cluster('us-central1', 'big'),
    ]);
    const node = find(graph, id.node(FIRST_NODE));
    expect(node?.children).toBeUndefined();
    expect(node?.width).toBeGreaterThanOrEqual(3 * POD_WIDTH);
    const pool = find(graph, id.pool(C, 'default-pool'));
    expect(pool?.layoutOptions?.['elk.algorithm']).toBe('box');
    expect(pool?.layoutOptions?.['elk.padding']).toMatch(/^\[top=\d+,/);
  });

  it('puts the load-balancing column first, its chain as ELK edges', () => {
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
    const graph = elkGraph(withLb);
    expect(graph.children?.map((c) => c.id)).toEqual(['lbGroup:all', id.network('vpc')]);
    expect(graph.edges).toEqual([
      { id: `order:${id.network('vpc')}`, sources: ['lbGroup:all'], targets: [id.network('vpc')] },
    ]);
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

  it('reads ELK’s answer back as absolute boxes, pods inside their node', () => {
    const graph = elkGraph(model);
    // what ELK answers: positions relative to the parent
    const place = (g: ElkGraph, x: number) => {
      g.x = x;
      g.y = 5;
      g.width ??= 1000;
      g.height ??= 800;
      for (const child of g.children ?? []) place(child, 10);
    };
    for (const child of graph.children ?? []) place(child, 20);
    const boxes = absoluteBoxes(model, graph);
    const nodeId = id.node(FIRST_NODE);
    const nodeBox = must(boxes.get(nodeId));
    // network 20, cluster +10, pool +10, node +10
    expect(nodeBox.x).toBe(50);
    expect(nodeBox.y).toBe(20);
    const podIds = model.elements.filter((e) => e.parent === nodeId).map((e) => e.id);
    expect(podIds.length).toBeGreaterThan(0);
    for (const pod of podIds) {
      const box = must(boxes.get(pod));
      expect(box.width).toBe(POD_WIDTH);
      expect(box.x).toBeGreaterThanOrEqual(nodeBox.x);
      expect(box.x + box.width).toBeLessThanOrEqual(nodeBox.x + nodeBox.width);
      expect(box.y + box.height).toBeLessThanOrEqual(nodeBox.y + nodeBox.height);
    }
    expect(boxes.size).toBe(model.elements.length);
  });
});
