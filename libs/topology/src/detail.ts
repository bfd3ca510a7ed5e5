import { childrenOf, type EdgeKind, type Status, type TopoElement, type TopologyModel } from './model';

/**
 * Level of detail: at scale the page draws a node's pods as a count inside the node, and a pool's nodes as a count
 * inside the pool, until the reader expands them (click or Enter on the box, a search or trace that lands inside,
 * or zooming in on them). The layout is always the full one, so expanding never moves anything. Collapsed
 * elements are not in the DOM; every one is reachable through its expandable container, which is.
 */

/** Above this many pods, nodes start collapsed (their pods a count). */
export const POD_DETAIL_LIMIT = 300;
/** Above this many nodes, node pools start collapsed (their nodes a count). */
export const NODE_DETAIL_LIMIT = 200;

export interface DetailLimits {
  pods?: number;
  nodes?: number;
}

/** The containers drawn collapsed at first: none for a small project, nodes then pools as it grows. */
export function initiallyCollapsed(model: TopologyModel, limits: DetailLimits = {}): Set<string> {
  const collapsed = new Set<string>();
  const podsOver = model.counts.pods > (limits.pods ?? POD_DETAIL_LIMIT);
  const nodesOver = model.counts.nodes > (limits.nodes ?? NODE_DETAIL_LIMIT);
  if (!podsOver && !nodesOver) return collapsed;
  const children = childrenOf(model);
  for (const element of model.elements) {
    if (podsOver && element.kind === 'node' && (children.get(element.id)?.length ?? 0) > 0)
      collapsed.add(element.id);
    if (nodesOver && element.kind === 'pool' && (children.get(element.id)?.length ?? 0) > 0)
      collapsed.add(element.id);
  }
  return collapsed;
}

/** The element itself when it is drawn, else the outermost collapsed container it is inside. */
export function drawnAs(model: TopologyModel, elementId: string, collapsed: ReadonlySet<string>): string {
  let shown = elementId;
  for (let at = model.byId.get(elementId)?.parent; at; at = model.byId.get(at)?.parent)
    if (collapsed.has(at)) shown = at;
  return shown;
}

/** The collapsed containers to open for the element to be drawn (its collapsed ancestors). */
export function toExpand(model: TopologyModel, elementId: string, collapsed: ReadonlySet<string>): string[] {
  const open: string[] = [];
  for (let at = model.byId.get(elementId)?.parent; at; at = model.byId.get(at)?.parent)
    if (collapsed.has(at)) open.push(at);
  return open;
}

/** The elements drawn: those with no collapsed ancestor. */
export function drawnElements(model: TopologyModel, collapsed: ReadonlySet<string>): TopoElement[] {
  if (collapsed.size === 0) return model.elements;
  return model.elements.filter((element) => drawnAs(model, element.id, collapsed) === element.id);
}

export interface DrawnEdge {
  id: string;
  source: string;
  target: string;
  kind: EdgeKind;
  status: Status;
  label?: string;
  /** How many of the model's edges this line stands for (a Service to a collapsed node: its pods there). */
  count: number;
}

/**
 * The lines drawn: each edge between the drawn boxes that stand for its ends, edges that land on the same pair
 * merged (counted, "bad" when any is). An edge inside one collapsed box is not drawn.
 */
export function drawnEdges(model: TopologyModel, collapsed: ReadonlySet<string>): DrawnEdge[] {
  if (collapsed.size === 0) return model.edges.map((edge) => ({ ...edge, count: 1 }));
  const merged = new Map<string, DrawnEdge>();
  const shown = new Map<string, string>();
  const as = (elementId: string) => {
    let found = shown.get(elementId);
    if (found === undefined) {
      found = drawnAs(model, elementId, collapsed);
      shown.set(elementId, found);
    }
    return found;
  };
  for (const edge of model.edges) {
    const source = as(edge.source);
    const target = as(edge.target);
    if (source === target) continue;
    if (source === edge.source && target === edge.target) {
      merged.set(edge.id, { ...edge, count: 1 });
      continue;
    }
    const key = `${edge.kind}:${source}->${target}`;
    const existing = merged.get(key);
    if (existing) {
      existing.count++;
      if (edge.status === 'bad') existing.status = 'bad';
      existing.label = `${existing.count} ${edge.kind} lines into what the box holds`;
    } else
      merged.set(key, {
        id: key,
        source,
        target,
        kind: edge.kind,
        status: edge.status,
        count: 1,
        ...(edge.label ? { label: edge.label } : {}),
      });
  }
  return [...merged.values()];
}

/** What each collapsed container says about what it holds (drawn in place of its contents). */
export function collapsedSummaries(
  model: TopologyModel,
  collapsed: ReadonlySet<string>,
): Map<string, string> {
  const tally = new Map<string, { nodes: number; pods: number; ready: number }>();
  for (const id of collapsed) tally.set(id, { nodes: 0, pods: 0, ready: 0 });
  for (const element of model.elements) {
    const shown = drawnAs(model, element.id, collapsed);
    if (shown === element.id) continue;
    const counts = tally.get(shown);
    if (!counts) continue;
    if (element.kind === 'node') counts.nodes++;
    if (element.kind === 'pod') {
      counts.pods++;
      if (element.status === 'ok') counts.ready++;
    }
  }
  const summaries = new Map<string, string>();
  for (const [id, { nodes, pods, ready }] of tally) {
    const parts: string[] = [];
    if (nodes) parts.push(`${nodes} node${nodes === 1 ? '' : 's'}`);
    if (pods)
      parts.push(
        `${pods} pod${pods === 1 ? '' : 's'} (${ready} ready${pods > ready ? `, ✗ ${pods - ready} not` : ''})`,
      );
    summaries.set(id, `▸ ${parts.join(' · ') || 'nothing inside'} — Enter, click or zoom in to show`);
  }
  return summaries;
}
