// The topology page's browser code, bundled by scripts/build.mjs (esbuild, with ELK's API and graphql-ws) into
// dist/topology/topology.js; ELK itself runs in a Web Worker (dist/topology/elk-worker.js). It stays thin: data
// shaping and level of detail are @gke-emulator/topology's, layout is ELK's; this file fetches, draws SVG, and
// handles selection, expansion, traces and live updates.
import ELK from 'elkjs/lib/elk-api.js';
import { createClient, type Client } from 'graphql-ws';
import {
  absoluteBoxes,
  addressOf,
  buildTopology,
  CHANGES_SUBSCRIPTION,
  PROJECT_CHANGES_SUBSCRIPTION,
  CLUSTER_QUERY,
  connectivityTestBody,
  layoutPlan,
  isContainer,
  LB_COLLECTIONS,
  LINE_HEIGHT,
  BAR_HEIGHT,
  collapsedSummaries,
  drawnEdges,
  drawnElements,
  initiallyCollapsed,
  PROJECT_QUERY,
  PROJECTS_QUERY,
  toExpand,
  topologyInput,
  traceView,
  type Box,
  type ElkGraph,
  type KubernetesIn,
  type ProjectAnswer,
  type TopologyModel,
  type TraceView,
} from '@gke-emulator/topology';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire objects, read loosely
type Json = Record<string, any>;

const SVG = 'http://www.w3.org/2000/svg';
const $ = <T extends HTMLElement>(selector: string) => document.querySelector(selector) as T;
const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
const auth: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
const elkWorkerUrl =
  (document.currentScript as HTMLScriptElement | null)?.dataset['elkWorker'] ??
  '/topology/assets/elk-worker.js';
let elkInstance: InstanceType<typeof ELK> | undefined;
/** ELK in its Web Worker, started when a project has a load-balancing chain to lay out (its script is 1.6 MB). */
const elk = () => (elkInstance ??= new ELK({ workerUrl: elkWorkerUrl }));

interface State {
  project: string;
  cluster: string;
  model?: TopologyModel;
  boxes?: Map<string, Box>;
  /** Containers drawn as a count of what they hold (level of detail); the rest of the model is drawn. */
  collapsed: Set<string>;
  /** Containers the reader opened: they stay open across live reloads. */
  expanded: Set<string>;
  selected?: string;
  trace?: TraceView;
  view: { x: number; y: number; scale: number };
  subscriptions: (() => void)[];
  ws?: Client;
  refreshTimer?: ReturnType<typeof setTimeout>;
  renders: number;
}
const params = new URLSearchParams(window.location.search);
const state: State = {
  project: params.get('project') ?? '',
  cluster: params.get('cluster') ?? '',
  view: { x: 0, y: 0, scale: 1 },
  collapsed: new Set(),
  expanded: new Set(),
  subscriptions: [],
  renders: 0,
};

class AuthError extends Error {}

function status(text: string, kind: 'info' | 'error' = 'info') {
  const el = $('#status');
  el.textContent = text;
  el.dataset['kind'] = kind;
}

async function request(path: string, init: RequestInit = {}): Promise<Json> {
  const response = await fetch(path, {
    ...init,
    headers: {
      ...(init.body ? { 'content-type': 'application/json' } : {}),
      ...auth,
      ...(init.headers ?? {}),
    },
  });
  if (response.status === 401) throw new AuthError();
  const body = (await response.json().catch(() => ({}))) as Json;
  if (!response.ok) throw new Error(body['error']?.message ?? `HTTP ${response.status}`);
  return body;
}

async function graphql(query: string, variables: Json): Promise<Json> {
  const body = await request('/graphql', { method: 'POST', body: JSON.stringify({ query, variables }) });
  if (body['errors']?.length) throw new Error(body['errors'].map((e: Json) => e['message']).join('; '));
  return body['data'];
}

function showAuthHelp() {
  $('#auth-help').hidden = false;
  status(
    token
      ? 'The auth token in the address (#token=) was refused.'
      : 'This emulator was started with --auth-token: add #token=<token> to the address.',
    'error',
  );
}

// ------------------------------------------------------------------------------------------------- loading

async function load(reason: string) {
  if (!state.project) {
    status('Type a project ID and press Show.');
    return;
  }
  const started = performance.now();
  status(`Loading ${state.project} (${reason})…`);
  try {
    const answer = (await graphql(PROJECT_QUERY, { project: state.project })) as ProjectAnswer;
    fillClusterPicker(answer);
    // Load-balancing resources mean a chain for ELK: its worker starts now, while the clusters are fetched.
    if (LB_COLLECTIONS.some((collection) => ((answer[collection] as unknown[] | undefined)?.length ?? 0) > 0))
      elk();
    const kube = new Map<string, KubernetesIn>();
    await Promise.all(
      answer.clusters
        .filter((c) => !state.cluster || `${c.location}/${c.name}` === state.cluster)
        .map(async (c) => {
          const data = await graphql(CLUSTER_QUERY, {
            project: state.project,
            location: c.location,
            cluster: c.name,
          });
          kube.set(`${c.location}/${c.name}`, data['kubernetes'] as KubernetesIn);
        }),
    );
    const fetched = performance.now();
    const model = buildTopology(
      topologyInput(state.project, answer, kube),
      state.cluster ? { cluster: state.cluster } : {},
    );
    const modelled = performance.now();
    const plan = layoutPlan(model);
    const laidOut = plan.needsElk
      ? ((await elk().layout(plan.graph as never)) as unknown as ElkGraph)
      : plan.graph;
    state.model = model;
    state.boxes = absoluteBoxes(laidOut, plan.inner);
    state.collapsed = initiallyCollapsed(model);
    for (const id of state.expanded) state.collapsed.delete(id);
    const laid = performance.now();
    const svg = $('#canvas') as unknown as SVGSVGElement;
    svg.dataset['width'] = String(laidOut.width ?? 0);
    svg.dataset['height'] = String(laidOut.height ?? 0);
    draw();
    // Where the time went (read by bench/topology.ts): fetch, model, layout, draw.
    document.body.dataset['phases'] = [
      fetched - started,
      modelled - fetched,
      laid - modelled,
      performance.now() - laid,
    ]
      .map((ms) => Math.round(ms))
      .join(',');
    if (state.trace && state.model) state.trace = traceView(state.model, lastTraceDetails);
    showTrace();
    state.renders++;
    document.body.dataset['drawnElements'] = String(document.querySelectorAll('#canvas [data-id]').length);
    const ms = Math.round(performance.now() - started);
    const c = model.counts;
    status(
      `${c.networks} networks · ${c.clusters} clusters · ${c.nodes} nodes · ${c.pods} pods · ${c.services} Services — drawn in ${ms} ms`,
    );
    document.body.dataset['renders'] = String(state.renders);
    document.body.dataset['renderMs'] = String(ms);
    // Since navigation started: what bench/topology.ts reports as time to first full render.
    document.body.dataset['renderedAt'] = String(Math.round(performance.now()));
    subscribe(answer);
  } catch (error) {
    if (error instanceof AuthError) showAuthHelp();
    else status(`Could not load ${state.project}: ${(error as Error).message}`, 'error');
  }
}

/** The project picker's choices: every project the emulator holds. */
async function listProjects() {
  try {
    const data = (await graphql(PROJECTS_QUERY, {})) as { projects: { projectId: string }[] };
    $('#projects').replaceChildren(
      ...data.projects.map((p) => Object.assign(document.createElement('option'), { value: p.projectId })),
    );
  } catch {
    // typing the ID still works (an auth error shows when the project loads)
  }
}

function fillClusterPicker(answer: ProjectAnswer) {
  const picker = $<HTMLSelectElement>('#cluster');
  const options = ['', ...answer.clusters.map((c) => `${c.location}/${c.name}`)];
  if (
    Array.from(picker.options)
      .map((o) => o.value)
      .join() === options.join()
  )
    return;
  picker.replaceChildren(
    ...options.map((value) => {
      const option = document.createElement('option');
      option.value = value;
      option.textContent = value || 'all clusters';
      option.selected = value === state.cluster;
      return option;
    }),
  );
}

/**
 * Live: every data-plane change of a shown cluster (pods, endpoints, rules) and every Compute or GKE write of the
 * project reloads the picture.
 */
function subscribe(answer: ProjectAnswer) {
  const key = `${state.project}|${answer.clusters.map((c) => `${c.location}/${c.name}`).join(',')}|${state.cluster}`;
  if (document.body.dataset['subscribed'] === key) return;
  for (const stop of state.subscriptions) stop();
  state.subscriptions = [];
  state.ws ??= createClient({
    url: new URL('/graphql', window.location.href).toString().replace(/^http/, 'ws'),
    connectionParams: auth,
    lazy: true,
    retryAttempts: 1000,
  });
  // The project's Compute and GKE writes (firewall rules, subnets, load balancers, clusters): what the clusters'
  // data-plane events do not cover.
  state.subscriptions.push(
    state.ws.subscribe(
      { query: PROJECT_CHANGES_SUBSCRIPTION, variables: { project: state.project } },
      { next: () => scheduleRefresh(), error: () => undefined, complete: () => undefined },
    ),
  );
  for (const c of answer.clusters) {
    if (state.cluster && `${c.location}/${c.name}` !== state.cluster) continue;
    state.subscriptions.push(
      state.ws.subscribe(
        {
          query: CHANGES_SUBSCRIPTION,
          variables: { project: state.project, location: c.location, cluster: c.name },
        },
        {
          next: () => scheduleRefresh(),
          error: () => undefined,
          complete: () => undefined,
        },
      ),
    );
  }
  document.body.dataset['subscribed'] = key;
  $('#live').textContent = state.subscriptions.length > 0 ? '● live' : '';
}

function scheduleRefresh() {
  if (state.refreshTimer) clearTimeout(state.refreshTimer);
  state.refreshTimer = setTimeout(() => void load('the project changed'), 400);
}

// ------------------------------------------------------------------------------------------------- drawing

function svgEl<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>) {
  const el = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  return el;
}

function text(x: number, y: number, content: string, cls: string, maxChars?: number) {
  const el = svgEl('text', { x, y, class: cls });
  el.textContent = maxChars && content.length > maxChars ? `${content.slice(0, maxChars - 1)}…` : content;
  return el;
}

function center(box: Box) {
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const esc = (value: string | number) => String(value).replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
const clip = (content: string, maxChars: number) =>
  content.length > maxChars ? `${content.slice(0, maxChars - 1)}…` : content;
const textMarkup = (x: number, y: number, content: string, cls: string, maxChars: number) =>
  `<text x="${x}" y="${y}" class="${cls}">${esc(clip(content, maxChars))}</text>`;

/**
 * The picture, as one SVG string parsed once (measured: building thousands of elements one by one was the page's
 * largest cost). Collapsed containers are drawn with a count of what they hold and `aria-expanded="false"`.
 */
function draw() {
  const model = state.model as TopologyModel;
  const boxes = state.boxes as Map<string, Box>;
  const svg = $('#canvas') as unknown as SVGSVGElement;
  const summaries = collapsedSummaries(model, state.collapsed);
  const containers: string[] = [];
  const leaves: string[] = [];
  for (const element of drawnElements(model, state.collapsed)) {
    const box = boxes.get(element.id);
    if (!box) continue;
    const container = isContainer(element.kind);
    const summary = summaries.get(element.id);
    const out: string[] = [];
    out.push(
      `<g class="el kind-${element.kind} status-${element.status}${summary ? ' collapsed' : ''}" data-id="${esc(element.id)}" data-kind="${element.kind}" tabindex="0" role="button"${summary ? ' aria-expanded="false"' : ''} aria-label="${esc(`${element.kind} ${element.label}. ${element.lines.join('. ')}${summary ? `. ${summary}` : ''}`)}">`,
      `<rect x="${box.x}" y="${box.y}" width="${box.width}" height="${box.height}" rx="${container ? 8 : 5}"/>`,
    );
    const maxChars = Math.floor((box.width - 12) / 6.6);
    out.push(textMarkup(box.x + 8, box.y + 16, element.label, 'label', maxChars));
    element.lines.forEach((line, i) =>
      out.push(textMarkup(box.x + 8, box.y + 16 + LINE_HEIGHT * (i + 1), line, 'line', maxChars)),
    );
    if (summary)
      out.push(
        textMarkup(
          box.x + 8,
          box.y + 16 + LINE_HEIGHT * (element.lines.length + 1),
          summary,
          'summary',
          maxChars,
        ),
      );
    (element.bars ?? []).forEach((bar, i) => {
      const top = box.y + 16 + LINE_HEIGHT * (element.lines.length + 1) + i * BAR_HEIGHT;
      const width = box.width - 16;
      out.push(
        `<g class="bar" data-range="${esc(bar.name)}" data-used="${bar.used.toFixed(6)}">`,
        textMarkup(
          box.x + 8,
          top,
          `${bar.name} ${bar.cidr} · ${(bar.used * 100).toFixed(bar.used < 0.01 ? 3 : 1)}% used`,
          'line',
          maxChars,
        ),
        `<rect class="bar-track" x="${box.x + 8}" y="${top + 4}" width="${width}" height="8"/>`,
      );
      let offset = 0;
      for (const segment of bar.segments) {
        // Tiny allocations still get a visible sliver.
        const w = Math.max(2, segment.fraction * width);
        out.push(
          `<rect class="bar-${segment.kind}" x="${box.x + 8 + offset}" y="${top + 4}" width="${Math.min(w, width - offset)}" height="8"><title>${esc(`${segment.label}: ${segment.count} of ${bar.size} addresses`)}</title></rect>`,
        );
        offset += w;
      }
      out.push('</g>');
    });
    out.push('</g>');
    (container ? containers : leaves).push(out.join(''));
  }
  const edges: string[] = [];
  for (const edge of drawnEdges(model, state.collapsed)) {
    const a = boxes.get(edge.source);
    const b = boxes.get(edge.target);
    if (!a || !b) continue;
    const p = center(a);
    const q = center(b);
    edges.push(
      `<path d="M${p.x},${p.y} C${(p.x + q.x) / 2},${p.y} ${(p.x + q.x) / 2},${q.y} ${q.x},${q.y}" class="edge edge-${edge.kind} status-${edge.status}" data-source="${esc(edge.source)}" data-target="${esc(edge.target)}"${edge.count > 1 ? ` data-count="${edge.count}"` : ''}>${edge.label ? `<title>${esc(edge.label)}</title>` : ''}</path>`,
    );
  }
  const focused = (document.activeElement as Element | null)
    ?.closest?.('#canvas [data-id]')
    ?.getAttribute('data-id');
  svg.innerHTML = `<g id="world"><g class="containers">${containers.join('')}</g><g class="edges">${edges.join('')}</g><g class="leaves">${leaves.join('')}</g><g id="trace-layer"></g></g>`;
  if (state.renders === 0) fitToView();
  else applyView();
  if (focused) elementNode(focused)?.focus({ preventScroll: true });
  if (state.selected && model.byId.has(state.selected)) select(state.selected, false);
  else if (state.selected) showDetails(undefined);
}

/** Opens the collapsed containers around these elements (and themselves, when collapsed); true when any opened. */
function expand(elementIds: readonly string[]): boolean {
  if (!state.model) return false;
  let opened = false;
  for (const id of elementIds)
    for (const container of [
      ...toExpand(state.model, id, state.collapsed),
      ...(state.collapsed.has(id) ? [id] : []),
    ]) {
      state.collapsed.delete(container);
      state.expanded.add(container);
      opened = true;
    }
  return opened;
}

/** Zoomed in far enough to read: open the collapsed containers in view (a few at a time, the picture stays light). */
let expandTimer: ReturnType<typeof setTimeout> | undefined;
function expandInView() {
  if (expandTimer) clearTimeout(expandTimer);
  expandTimer = setTimeout(() => {
    if (!state.model || !state.boxes || state.collapsed.size === 0 || state.view.scale < 0.5) return;
    const rect = ($('#canvas') as unknown as SVGSVGElement).getBoundingClientRect();
    const left = -state.view.x / state.view.scale;
    const top = -state.view.y / state.view.scale;
    const right = left + rect.width / state.view.scale;
    const bottom = top + rect.height / state.view.scale;
    const inView = [...state.collapsed].filter((id) => {
      const box = state.boxes?.get(id);
      return box && box.x < right && box.x + box.width > left && box.y < bottom && box.y + box.height > top;
    });
    if (inView.length > 0 && inView.length <= 100 && expand(inView)) redraw();
  }, 150);
}

/** Draws again after an expansion, keeping the trace's marks. */
function redraw() {
  draw();
  decorateTrace();
}

function applyView() {
  const world = document.getElementById('world');
  world?.setAttribute('transform', `translate(${state.view.x},${state.view.y}) scale(${state.view.scale})`);
  if (state.collapsed.size > 0) expandInView();
}

function fitToView() {
  const svg = $('#canvas') as unknown as SVGSVGElement;
  const width = Number(svg.dataset['width'] ?? 1) || 1;
  const height = Number(svg.dataset['height'] ?? 1) || 1;
  const rect = svg.getBoundingClientRect();
  const scale = Math.min(1, rect.width / width, rect.height / height);
  state.view = { x: 0, y: 0, scale: Math.max(scale, 0.05) };
  applyView();
}

function zoom(factor: number, at?: { x: number; y: number }) {
  const svg = $('#canvas') as unknown as SVGSVGElement;
  const rect = svg.getBoundingClientRect();
  const point = at ?? { x: rect.width / 2, y: rect.height / 2 };
  const scale = Math.min(4, Math.max(0.03, state.view.scale * factor));
  const k = scale / state.view.scale;
  state.view = {
    x: point.x - (point.x - state.view.x) * k,
    y: point.y - (point.y - state.view.y) * k,
    scale,
  };
  applyView();
}

function reveal(elementId: string) {
  const box = state.boxes?.get(elementId);
  if (!box) return;
  const rect = ($('#canvas') as unknown as SVGSVGElement).getBoundingClientRect();
  if (state.view.scale < 0.6) state.view.scale = 0.8;
  state.view.x = rect.width / 2 - (box.x + box.width / 2) * state.view.scale;
  state.view.y = rect.height / 2 - (box.y + box.height / 2) * state.view.scale;
  applyView();
}

// ------------------------------------------------------------------------------------------------- selection

function elementNode(elementId: string): SVGGElement | null {
  return document.querySelector(`#canvas [data-id="${CSS.escape(elementId)}"]`);
}

function select(elementId: string | undefined, focus = true) {
  for (const el of Array.from(document.querySelectorAll('#canvas .selected, #canvas .related')))
    el.classList.remove('selected', 'related');
  state.selected = elementId;
  if (!elementId || !state.model) {
    showDetails(undefined);
    return;
  }
  // Selecting a collapsed container (or something inside one) opens it.
  if (expand([elementId])) {
    redraw();
    if (focus) elementNode(elementId)?.focus({ preventScroll: true });
    return;
  }
  const node = elementNode(elementId);
  node?.classList.add('selected');
  if (focus) node?.focus({ preventScroll: true });
  for (const other of state.model.related.get(elementId) ?? []) elementNode(other)?.classList.add('related');
  for (const path of Array.from(document.querySelectorAll(`#canvas .edge`))) {
    const p = path as SVGPathElement;
    if (p.dataset['source'] === elementId || p.dataset['target'] === elementId) p.classList.add('related');
  }
  showDetails(elementId);
}

function showDetails(elementId: string | undefined) {
  const panel = $('#details');
  const element = elementId ? state.model?.byId.get(elementId) : undefined;
  if (!element || !state.model) {
    panel.replaceChildren(
      Object.assign(document.createElement('p'), {
        textContent: 'Select anything on the picture (click, or Tab and Enter) to see its resource.',
      }),
    );
    return;
  }
  const heading = document.createElement('h2');
  heading.textContent = `${element.kind}: ${element.label}`;
  const lines = document.createElement('ul');
  for (const line of element.lines)
    lines.append(Object.assign(document.createElement('li'), { textContent: line }));
  const related = state.model.related.get(element.id) ?? [];
  const relatedList = document.createElement('p');
  relatedList.className = 'related-count';
  relatedList.textContent = related.length
    ? `Highlighted: ${related.length} related (${describeRelated(related)})`
    : '';
  const buttons = document.createElement('div');
  const address = addressOf(state.model, element.id);
  if (address) {
    for (const [label, field] of [
      ['Trace from here', '#trace-source'],
      ['Trace to here', '#trace-destination'],
    ] as const) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = `${label} (${address})`;
      button.addEventListener('click', () => {
        $<HTMLInputElement>(field).value = address;
        $<HTMLInputElement>(field).focus();
      });
      buttons.append(button);
    }
  }
  const pre = document.createElement('pre');
  pre.className = 'resource';
  pre.textContent = JSON.stringify(element.details, null, 2);
  panel.replaceChildren(heading, lines, relatedList, buttons, pre);
}

function describeRelated(ids: string[]): string {
  const kinds = new Map<string, number>();
  for (const id of ids) {
    const kind = state.model?.byId.get(id)?.kind ?? 'element';
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  return [...kinds].map(([kind, n]) => `${n} ${kind}${n === 1 ? '' : 's'}`).join(', ');
}

// ------------------------------------------------------------------------------------------------- traces

let lastTraceDetails: Json | undefined;

async function runTrace(event: Event) {
  event.preventDefault();
  if (!state.model) return;
  const source = $<HTMLInputElement>('#trace-source').value.trim();
  const destination = $<HTMLInputElement>('#trace-destination').value.trim();
  const port = Number($<HTMLInputElement>('#trace-port').value) || undefined;
  const protocol = $<HTMLSelectElement>('#trace-protocol').value;
  const external = $<HTMLInputElement>('#trace-external').checked;
  const testId = `topology-${Date.now().toString(36)}`;
  const base = `/networkmanagement/v1/projects/${encodeURIComponent(state.project)}/locations/global/connectivityTests`;
  $('#trace-result').textContent = 'Tracing…';
  try {
    await request(`${base}?testId=${testId}`, {
      method: 'POST',
      body: JSON.stringify(
        connectivityTestBody({
          project: state.project,
          source,
          destination,
          ...(port ? { port } : {}),
          protocol,
          external,
        }),
      ),
    });
    const deadline = Date.now() + 30_000;
    let test: Json = {};
    while (Date.now() < deadline) {
      test = await request(`${base}/${testId}`);
      if (test['reachabilityDetails']?.result) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    showTraceOf(test);
    await listSavedTests();
  } catch (error) {
    if (error instanceof AuthError) showAuthHelp();
    $('#trace-result').textContent = `The trace failed: ${(error as Error).message}`;
  }
}

function showTraceOf(test: Json) {
  lastTraceDetails = test['reachabilityDetails'];
  state.trace = state.model ? traceView(state.model, lastTraceDetails) : undefined;
  showTrace();
}

async function listSavedTests() {
  const base = `/networkmanagement/v1/projects/${encodeURIComponent(state.project)}/locations/global/connectivityTests`;
  try {
    const list = await request(base);
    const picker = $<HTMLSelectElement>('#saved-tests');
    const tests = (list['resources'] ?? []) as Json[];
    picker.replaceChildren(
      Object.assign(document.createElement('option'), {
        value: '',
        textContent: `saved tests (${tests.length})`,
      }),
      ...tests.map((t) =>
        Object.assign(document.createElement('option'), {
          value: t['name'],
          textContent: t['displayName'] ?? t['name'],
        }),
      ),
    );
    picker.onchange = async () => {
      if (!picker.value) return;
      showTraceOf(await request(`/networkmanagement/v1/${picker.value}`));
    };
  } catch {
    // the list is a convenience
  }
}

function showTrace() {
  const out = $('#trace-result');
  const trace = state.trace;
  if (!trace || !state.boxes) {
    decorateTrace();
    return;
  }
  const summary = document.createElement('p');
  summary.className = `trace-summary result-${trace.result}`;
  summary.textContent = `${trace.result === 'REACHABLE' ? '✓' : '✗'} ${trace.result}${trace.decidingRules.length ? ` — decided by ${trace.decidingRules.join('; ')}` : ''}`;
  const lists = trace.paths.map((path, p) => {
    const heading = document.createElement('h3');
    heading.textContent = `Path ${p + 1}${path.probability !== undefined ? ` (${Math.round(path.probability * 100)}%)` : ''}: ${path.outcome}`;
    const list = document.createElement('ol');
    list.className = 'hops';
    for (const hop of path.hops) {
      const item = document.createElement('li');
      item.className = hop.drop ? 'hop-drop' : '';
      item.textContent = `${hop.state}${hop.rule ? ` — ${hop.rule}` : ''}: ${hop.description}`;
      if (hop.element) {
        item.tabIndex = 0;
        item.dataset['element'] = hop.element;
        item.addEventListener('click', () => {
          select(hop.element);
          reveal(hop.element as string);
        });
      }
      list.append(item);
    }
    return [heading, list];
  });
  out.replaceChildren(summary, ...lists.flat());
  // The hops (and a few candidates) inside collapsed containers are opened, so every one is drawn and marked.
  const shown = trace.paths.flatMap((path) => [
    ...path.hops.flatMap((hop) => (hop.element ? [hop.element] : [])),
    ...(path.candidates.length <= 50 ? path.candidates : []),
  ]);
  if (expand(shown)) draw();
  decorateTrace();
}

/** On the picture: numbered hops, the deciding element marked, candidates outlined, a line through the hops. */
function decorateTrace() {
  for (const el of Array.from(document.querySelectorAll('#canvas .hop, #canvas .candidate, #canvas .drop')))
    el.classList.remove('hop', 'candidate', 'drop');
  for (const el of Array.from(document.querySelectorAll('#canvas [data-hops]')))
    el.removeAttribute('data-hops');
  const layer = document.getElementById('trace-layer');
  layer?.replaceChildren();
  const trace = state.trace;
  if (!trace || !state.boxes) return;
  for (const path of trace.paths) {
    const points: string[] = [];
    for (const hop of path.hops) {
      if (!hop.element) continue;
      const node = elementNode(hop.element);
      node?.classList.add('hop');
      if (hop.drop) node?.classList.add('drop');
      if (node) node.dataset['hops'] = [node.dataset['hops'], hop.index].filter(Boolean).join(',');
      const box = state.boxes.get(hop.element);
      if (box) {
        const c = center(box);
        points.push(`${c.x},${c.y}`);
        const badge = svgEl('g', { class: `hop-badge${hop.drop ? ' hop-badge-drop' : ''}` });
        badge.append(svgEl('circle', { cx: box.x + box.width - 4, cy: box.y + 4, r: 10 }));
        badge.append(
          text(box.x + box.width - 4, box.y + 8, hop.drop ? '✗' : String(hop.index), 'badge-text'),
        );
        layer?.append(badge);
      }
    }
    for (const candidate of path.candidates) elementNode(candidate)?.classList.add('candidate');
    if (points.length > 1)
      layer?.prepend(svgEl('polyline', { points: points.join(' '), class: 'trace-path' }));
  }
}

// ------------------------------------------------------------------------------------------------- wiring

function wire() {
  const svg = $('#canvas') as unknown as SVGSVGElement;
  $<HTMLInputElement>('#project').value = state.project;
  $('#picker').addEventListener('submit', (event) => {
    event.preventDefault();
    state.project = $<HTMLInputElement>('#project').value.trim();
    state.cluster = $<HTMLSelectElement>('#cluster').value;
    const url = new URL(window.location.href);
    url.searchParams.set('project', state.project);
    if (state.cluster) url.searchParams.set('cluster', state.cluster);
    else url.searchParams.delete('cluster');
    window.history.replaceState(null, '', url);
    state.renders = 0;
    state.expanded.clear();
    void load('picked').then(listSavedTests);
  });
  $('#cluster').addEventListener('change', () => $<HTMLFormElement>('#picker').requestSubmit());
  $('#trace-form').addEventListener('submit', (event) => void runTrace(event));
  $('#refresh').addEventListener('click', () => void load('refresh'));
  $('#zoom-in').addEventListener('click', () => zoom(1.25));
  $('#zoom-out').addEventListener('click', () => zoom(0.8));
  $('#zoom-fit').addEventListener('click', () => fitToView());
  svg.addEventListener('click', (event) => {
    const target = (event.target as Element).closest('[data-id]') as SVGGElement | null;
    select(target?.dataset['id']);
  });
  svg.addEventListener('keydown', (event) => {
    const target = (event.target as Element).closest('[data-id]') as SVGGElement | null;
    if ((event.key === 'Enter' || event.key === ' ') && target) {
      event.preventDefault();
      select(target.dataset['id']);
    }
  });
  svg.addEventListener('focusin', (event) => {
    const target = (event.target as Element).closest('[data-id]') as SVGGElement | null;
    const box = target?.dataset['id'] ? state.boxes?.get(target.dataset['id']) : undefined;
    if (!box) return;
    const rect = svg.getBoundingClientRect();
    const x = box.x * state.view.scale + state.view.x;
    const y = box.y * state.view.scale + state.view.y;
    if (x < 0 || y < 0 || x > rect.width - 40 || y > rect.height - 40)
      reveal(target?.dataset['id'] as string);
  });
  svg.addEventListener(
    'wheel',
    (event) => {
      event.preventDefault();
      const rect = svg.getBoundingClientRect();
      zoom(event.deltaY < 0 ? 1.1 : 0.9, { x: event.clientX - rect.left, y: event.clientY - rect.top });
    },
    { passive: false },
  );
  let drag: { x: number; y: number } | undefined;
  svg.addEventListener('pointerdown', (event) => {
    if ((event.target as Element).closest('[data-id]')) return;
    drag = { x: event.clientX - state.view.x, y: event.clientY - state.view.y };
  });
  window.addEventListener('pointermove', (event) => {
    if (!drag) return;
    state.view.x = event.clientX - drag.x;
    state.view.y = event.clientY - drag.y;
    applyView();
  });
  window.addEventListener('pointerup', () => (drag = undefined));
  document.addEventListener('keydown', (event) => {
    const typing = (event.target as Element).closest('input, select, textarea');
    if (typing) return;
    if (event.key === 'Escape') select(undefined);
    else if (event.key === '+' || event.key === '=') zoom(1.25);
    else if (event.key === '-') zoom(0.8);
    else if (event.key === '0') fitToView();
    else if (event.key === '/') {
      event.preventDefault();
      $<HTMLInputElement>('#search').focus();
    } else if (event.key.startsWith('Arrow') && !(event.target as Element).closest('[data-id]')) {
      const step = 60;
      if (event.key === 'ArrowLeft') state.view.x += step;
      if (event.key === 'ArrowRight') state.view.x -= step;
      if (event.key === 'ArrowUp') state.view.y += step;
      if (event.key === 'ArrowDown') state.view.y -= step;
      applyView();
    }
  });
  $('#search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const query = $<HTMLInputElement>('#search').value.trim().toLowerCase();
    if (!query || !state.model) return;
    const found =
      state.model.elements.find((e) => e.label.toLowerCase() === query) ??
      state.model.elements.find(
        (e) => e.label.toLowerCase().includes(query) || e.lines.some((l) => l.toLowerCase().includes(query)),
      );
    if (found) {
      select(found.id);
      reveal(found.id);
    } else status(`Nothing matches "${query}".`);
  });
  showDetails(undefined);
  void listProjects();
  if (state.project) void load('opened').then(listSavedTests);
  else status('Type a project ID and press Show.');
}

wire();
