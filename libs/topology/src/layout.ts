import { childrenOf, isContainer, type ElementKind, type TopoElement, type TopologyModel } from './model';

/**
 * Where every box goes. Containers whose contents are a plain packing (a network's subnets and clusters, a
 * cluster's pools, a pool's nodes, a node's pods, the Services column) are packed here in rows, in model order —
 * what ELK's box algorithm did, measured at most of the page's layout time at 1,000 nodes (and ELK's 1.6 MB
 * script costs its compile before any layout). ELK (elkjs, in a Web Worker) lays out what needs a real graph
 * layout: the load-balancing chain (forwarding rule → proxy → URL map → backend service → group, layered top to
 * bottom) and its place left of the networks. Edges that cross containers (a Service to its pods, a target pool
 * to its nodes) are drawn straight by the page.
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

const LAYERED_ROOT = { 'elk.algorithm': 'layered', 'elk.direction': 'RIGHT', 'elk.spacing.nodeNode': '40' };
// Top to bottom: the chain stays narrow beside the networks on a laptop screen.
const LAYERED_LB = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.spacing.nodeNode': '16',
  'elk.layered.spacing.nodeNodeBetweenLayers': '40',
};
const ROOT_PADDING = 20;
const ROOT_GAP = 40;

export const POD_WIDTH = 180;
export const POD_HEIGHT = 12 + LINE_HEIGHT * 3;
const POD_GAP = 6;
const NODE_PADDING = 10;
const NODE_GAP = 12;
const BOX_GAP = 16;
const BOX_PADDING = 10;

function titleHeight(element: TopoElement): number {
  return TITLE_HEIGHT + Math.max(0, element.lines.length - 1) * LINE_HEIGHT;
}

function minimumWidth(element: TopoElement): number {
  const longest = Math.max(element.label.length + 4, ...element.lines.map((line) => line.length));
  return Math.max(160, longest * CHAR_WIDTH + 20);
}

/**
 * A node's pods as a grid of uniform chips: up to 3 in a row, then about 1.5 times as wide as tall (at most 6
 * columns).
 */
export function podGrid(node: TopoElement, pods: number): { columns: number; width: number; height: number } {
  const columns = pods <= 3 ? Math.max(1, pods) : Math.min(6, Math.ceil(Math.sqrt(pods * 1.5)));
  const rows = Math.ceil(pods / columns);
  const longest = Math.max(node.label.length + 4, ...node.lines.map((line) => line.length));
  return {
    columns,
    width: Math.max(longest * CHAR_WIDTH + 20, columns * (POD_WIDTH + POD_GAP) - POD_GAP + 2 * NODE_PADDING),
    height: titleHeight(node) + rows * (POD_HEIGHT + POD_GAP) - (rows > 0 ? POD_GAP : 0) + NODE_PADDING,
  };
}

/**
 * A pool's nodes as a grid about 1.8 times as wide as tall: columns as wide as their widest node, rows as tall as
 * their tallest.
 */
export function gridOf(
  sizes: readonly { width: number; height: number }[],
  aspectRatio: number,
  gap: number,
): { width: number; height: number; cells: { x: number; y: number }[] } {
  if (sizes.length === 0) return { width: 0, height: 0, cells: [] };
  const meanWidth = sizes.reduce((sum, size) => sum + size.width, 0) / sizes.length;
  const meanHeight = sizes.reduce((sum, size) => sum + size.height, 0) / sizes.length;
  const columns = Math.max(
    1,
    Math.min(sizes.length, Math.round(Math.sqrt((aspectRatio * sizes.length * meanHeight) / meanWidth))),
  );
  const widths = new Array<number>(columns).fill(0);
  const heights = new Array<number>(Math.ceil(sizes.length / columns)).fill(0);
  sizes.forEach((size, i) => {
    widths[i % columns] = Math.max(widths[i % columns] ?? 0, size.width);
    const row = Math.floor(i / columns);
    heights[row] = Math.max(heights[row] ?? 0, size.height);
  });
  const lefts: number[] = [];
  widths.reduce((x, w) => (lefts.push(x), x + w + gap), 0);
  const tops: number[] = [];
  heights.reduce((y, h) => (tops.push(y), y + h + gap), 0);
  return {
    width: widths.reduce((sum, w) => sum + w, 0) + (columns - 1) * gap,
    height: heights.reduce((sum, h) => sum + h, 0) + (heights.length - 1) * gap,
    cells: sizes.map((_, i) => ({ x: lefts[i % columns] ?? 0, y: tops[Math.floor(i / columns)] ?? 0 })),
  };
}

/**
 * Boxes packed in rows, in order, each row as tall as its tallest box; the row width is chosen so the whole is
 * about `aspectRatio` times as wide as tall (and fits the widest box).
 */
export function packRows(
  sizes: readonly { width: number; height: number }[],
  aspectRatio: number,
  gap: number,
): { width: number; height: number; cells: { x: number; y: number }[] } {
  if (sizes.length === 0) return { width: 0, height: 0, cells: [] };
  const area = sizes.reduce((sum, size) => sum + (size.width + gap) * (size.height + gap), 0);
  const rowWidth = Math.max(Math.sqrt(area * aspectRatio), ...sizes.map((size) => size.width));
  const cells: { x: number; y: number }[] = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  let width = 0;
  for (const size of sizes) {
    if (x > 0 && x + size.width > rowWidth) {
      y += rowHeight + gap;
      x = 0;
      rowHeight = 0;
    }
    cells.push({ x, y });
    x += size.width + gap;
    width = Math.max(width, x - gap);
    rowHeight = Math.max(rowHeight, size.height);
  }
  return { width, height: y + rowHeight, cells };
}

export interface LayoutPlan {
  /** The root: with `needsElk`, ELK's input; otherwise already laid out. */
  graph: ElkGraph;
  /** Whether ELK must lay out `graph` (a load-balancing chain to place). */
  needsElk: boolean;
  /** The contents of the root's packed boxes, laid out here (ELK sees each as one sized box). */
  inner: Map<string, ElkGraph>;
}

/** The model's layout: everything packed here, and ELK's graph for the load-balancing column when there is one. */
export function layoutPlan(model: TopologyModel): LayoutPlan {
  const children = childrenOf(model);
  const packed = (element: TopoElement): ElkGraph => {
    const kids = children.get(element.id) ?? [];
    if (element.kind === 'node') {
      const grid = podGrid(element, kids.length);
      const title = titleHeight(element);
      return {
        id: element.id,
        width: grid.width,
        height: grid.height,
        children: kids.map((pod, i) => ({
          id: pod.id,
          x: NODE_PADDING + (i % grid.columns) * (POD_WIDTH + POD_GAP),
          y: title + Math.floor(i / grid.columns) * (POD_HEIGHT + POD_GAP),
          width: POD_WIDTH,
          height: POD_HEIGHT,
        })),
      };
    }
    if (!isContainer(element.kind) && kids.length === 0) return { id: element.id, ...leafSize(element) };
    const inside = kids.map(packed);
    const sizes = inside.map((k) => ({ width: k.width ?? 0, height: k.height ?? 0 }));
    const pool = element.kind === 'pool';
    const arranged = pool ? gridOf(sizes, 1.8, NODE_GAP) : packRows(sizes, 1.6, BOX_GAP);
    const padding = pool ? NODE_PADDING : BOX_PADDING;
    const title = titleHeight(element);
    inside.forEach((kid, i) => {
      kid.x = padding + (arranged.cells[i]?.x ?? 0);
      kid.y = title + (arranged.cells[i]?.y ?? 0);
    });
    return {
      id: element.id,
      width: Math.max(minimumWidth(element), arranged.width + 2 * padding),
      height: title + (inside.length ? arranged.height : 12) + padding,
      children: inside,
    };
  };
  const roots = children.get('') ?? [];
  const inner = new Map<string, ElkGraph>();
  const sized = roots.map((root) => {
    if (root.kind === 'lbGroup') return lbGraph(model, root, children.get(root.id) ?? []);
    const graph = packed(root);
    inner.set(root.id, graph);
    return { id: root.id, width: graph.width ?? 0, height: graph.height ?? 0 };
  });
  const lb = roots.find((r) => r.kind === 'lbGroup');
  if (lb) {
    return {
      graph: {
        id: 'root',
        layoutOptions: {
          ...LAYERED_ROOT,
          'elk.padding': `[top=${ROOT_PADDING},left=${ROOT_PADDING},bottom=${ROOT_PADDING},right=${ROOT_PADDING}]`,
        },
        children: sized,
        edges: roots
          .filter((other) => other !== lb)
          .map((other) => ({ id: `order:${other.id}`, sources: [lb.id], targets: [other.id] })),
      },
      needsElk: true,
      inner,
    };
  }
  // No chain to lay out: the roots (networks, usually one) side by side.
  let x = ROOT_PADDING;
  for (const root of sized) {
    root.x = x;
    root.y = ROOT_PADDING;
    x += (root.width ?? 0) + ROOT_GAP;
  }
  return {
    graph: {
      id: 'root',
      width: Math.max(0, x - ROOT_GAP) + ROOT_PADDING,
      height: Math.max(0, ...sized.map((r) => r.height ?? 0)) + 2 * ROOT_PADDING,
      children: sized,
    },
    needsElk: false,
    inner,
  };
}

/** The load-balancing column as ELK's graph: its resources as leaves, the chain between them as edges. */
function lbGraph(model: TopologyModel, group: TopoElement, kids: readonly TopoElement[]): ElkGraph {
  const title = titleHeight(group);
  const inside = new Set(kids.map((k) => k.id));
  return {
    id: group.id,
    layoutOptions: {
      ...LAYERED_LB,
      'elk.padding': `[top=${title},left=10,bottom=10,right=10]`,
      'elk.nodeSize.constraints': 'MINIMUM_SIZE',
      'elk.nodeSize.minimum': `(${minimumWidth(group)}, ${title + 12})`,
    },
    children: kids.map((kid) => ({ id: kid.id, ...leafSize(kid) })),
    edges: model.edges
      .filter((e) => e.kind === 'chain' && inside.has(e.source) && inside.has(e.target))
      .map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  };
}

/** Every element's box in the root's coordinates, from the laid-out root and the packed boxes' contents. */
export function absoluteBoxes(laidOut: ElkGraph, inner: ReadonlyMap<string, ElkGraph>): Map<string, Box> {
  const boxes = new Map<string, Box>();
  const walk = (node: ElkGraph, dx: number, dy: number) => {
    for (const child of node.children ?? []) {
      const x = dx + (child.x ?? 0);
      const y = dy + (child.y ?? 0);
      boxes.set(child.id, { x, y, width: child.width ?? 0, height: child.height ?? 0 });
      walk(inner.get(child.id) ?? child, x, y);
    }
  };
  walk(laidOut, 0, 0);
  return boxes;
}
