import { childrenOf, isContainer, type ElementKind, type TopoElement, type TopologyModel } from './model';

/**
 * The model as ELK's input graph (elkjs lays it out; this module only says what goes where and how big leaves
 * are), and ELK's answer read back as absolute boxes. Edges that cross containers (a Service to its pods, a target
 * pool to its nodes) are left out of ELK and drawn straight by the page: ELK positions the boxes.
 */

export interface ElkGraph {
  id: string;
  width?: number;
  height?: number;
  x?: number;
  y?: number;
  layoutOptions?: Record<string, string>;
  children?: ElkGraph[];
  edges?: { id: string; sources: string[]; targets: string[] }[];
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Pixels per character of the page's 12px sans-serif, a little generous. */
export const CHAR_WIDTH = 7;
export const LINE_HEIGHT = 15;
/** Room for a container's title and its first line. */
export const TITLE_HEIGHT = 38;

const LEAF_WIDTH: Partial<Record<ElementKind, number>> = {
  service: 250,
  ingress: 270,
  subnet: 300,
  firewall: 280,
  policy: 250,
  forwardingRule: 240,
  targetPool: 220,
  targetProxy: 220,
  urlMap: 240,
  backendService: 240,
  instanceGroup: 220,
};

export const BAR_HEIGHT = 28;

export function leafSize(element: TopoElement): { width: number; height: number } {
  const longest = Math.max(element.label.length, ...element.lines.map((line) => line.length));
  const base = LEAF_WIDTH[element.kind] ?? 200;
  const width = Math.min(Math.max(base, longest * CHAR_WIDTH + 16), base * 1.6);
  const bars = element.bars?.length ?? 0;
  return {
    width: Math.round(width),
    height: 12 + LINE_HEIGHT * (1 + element.lines.length) + bars * BAR_HEIGHT,
  };
}

const ALGORITHM: Partial<Record<ElementKind | 'root', Record<string, string>>> = {
  root: { 'elk.algorithm': 'layered', 'elk.direction': 'RIGHT', 'elk.spacing.nodeNode': '40' },
  // Top to bottom: the chain (forwarding rule → proxy → URL map → backend service → group) stays narrow beside
  // the networks on a laptop screen.
  lbGroup: {
    'elk.algorithm': 'layered',
    'elk.direction': 'DOWN',
    'elk.spacing.nodeNode': '16',
    'elk.layered.spacing.nodeNodeBetweenLayers': '40',
  },
  pool: { 'elk.algorithm': 'box', 'elk.aspectRatio': '1.8', 'elk.spacing.nodeNode': '12' },
};
const DEFAULT_CONTAINER = { 'elk.algorithm': 'box', 'elk.aspectRatio': '1.6', 'elk.spacing.nodeNode': '16' };

export function elkGraph(model: TopologyModel): ElkGraph {
  const children = childrenOf(model);
  const build = (element: TopoElement): ElkGraph => {
    const kids = children.get(element.id) ?? [];
    if (element.kind === 'node') {
      const grid = podGrid(element, kids.length);
      return { id: element.id, width: grid.width, height: grid.height };
    }
    if (!isContainer(element.kind) && kids.length === 0) return { id: element.id, ...leafSize(element) };
    const longest = Math.max(element.label.length + 4, ...element.lines.map((line) => line.length));
    const title = TITLE_HEIGHT + Math.max(0, element.lines.length - 1) * LINE_HEIGHT;
    const graph: ElkGraph = {
      id: element.id,
      layoutOptions: {
        ...(ALGORITHM[element.kind] ?? DEFAULT_CONTAINER),
        'elk.padding': `[top=${title},left=10,bottom=10,right=10]`,
        'elk.nodeSize.constraints': 'MINIMUM_SIZE',
        'elk.nodeSize.minimum': `(${Math.max(160, longest * CHAR_WIDTH + 20)}, ${title + 12})`,
      },
      children: kids.map(build),
    };
    if (element.kind === 'lbGroup') {
      const inside = new Set(kids.map((k) => k.id));
      graph.edges = model.edges
        .filter((e) => e.kind === 'chain' && inside.has(e.source) && inside.has(e.target))
        .map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] }));
    }
    return graph;
  };
  const roots = children.get('') ?? [];
  const rootEdges: ElkGraph['edges'] = [];
  const lb = roots.find((r) => r.kind === 'lbGroup');
  if (lb)
    for (const other of roots)
      if (other !== lb) rootEdges.push({ id: `order:${other.id}`, sources: [lb.id], targets: [other.id] });
  return {
    id: 'root',
    layoutOptions: { ...ALGORITHM.root, 'elk.padding': '[top=20,left=20,bottom=20,right=20]' },
    children: roots.map(build),
    edges: rootEdges,
  };
}

export const POD_WIDTH = 180;
export const POD_HEIGHT = 12 + LINE_HEIGHT * 3;
const POD_GAP = 6;
const NODE_PADDING = 10;

/**
 * A node's pods as a grid: a node's interior is uniform chips, so it is sized here and ELK places the node among
 * its pool's nodes (measured: handing ELK 5,000 chips as well tripled its time for no better picture).
 */
export function podGrid(node: TopoElement, pods: number): { columns: number; width: number; height: number } {
  const columns = pods <= 3 ? Math.max(1, pods) : Math.min(6, Math.ceil(Math.sqrt(pods * 1.5)));
  const rows = Math.ceil(pods / columns);
  const title = TITLE_HEIGHT + Math.max(0, node.lines.length - 1) * LINE_HEIGHT;
  const longest = Math.max(node.label.length + 4, ...node.lines.map((line) => line.length));
  return {
    columns,
    width: Math.max(longest * CHAR_WIDTH + 20, columns * (POD_WIDTH + POD_GAP) - POD_GAP + 2 * NODE_PADDING),
    height: title + rows * (POD_HEIGHT + POD_GAP) - (rows > 0 ? POD_GAP : 0) + NODE_PADDING,
  };
}

/** Every laid-out element's box in the root's coordinates (pods from their node's grid). */
export function absoluteBoxes(model: TopologyModel, laidOut: ElkGraph): Map<string, Box> {
  const boxes = new Map<string, Box>();
  const children = childrenOf(model);
  const placePods = (nodeId: string, box: Box) => {
    const node = model.byId.get(nodeId);
    const pods = children.get(nodeId) ?? [];
    if (!node || pods.length === 0) return;
    const grid = podGrid(node, pods.length);
    const title = TITLE_HEIGHT + Math.max(0, node.lines.length - 1) * LINE_HEIGHT;
    pods.forEach((pod, i) => {
      boxes.set(pod.id, {
        x: box.x + NODE_PADDING + (i % grid.columns) * (POD_WIDTH + POD_GAP),
        y: box.y + title + Math.floor(i / grid.columns) * (POD_HEIGHT + POD_GAP),
        width: POD_WIDTH,
        height: POD_HEIGHT,
      });
    });
  };
  const walk = (node: ElkGraph, dx: number, dy: number) => {
    for (const child of node.children ?? []) {
      const x = dx + (child.x ?? 0);
      const y = dy + (child.y ?? 0);
      const box = { x, y, width: child.width ?? 0, height: child.height ?? 0 };
      boxes.set(child.id, box);
      if (model.byId.get(child.id)?.kind === 'node') placePods(child.id, box);
      walk(child, x, y);
    }
  };
  walk(laidOut, 0, 0);
  return boxes;
}
