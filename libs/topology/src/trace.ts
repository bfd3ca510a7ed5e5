import { id, type TopologyModel } from './model';

/**
 * A connectivity test's answer (Network Management API v1 `reachabilityDetails`) placed on the picture: each step
 * becomes a hop on the element it happened at, the step that dropped names its deciding rule, and the endpoints
 * kube-proxy or a load balancer may pick become candidates.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the wire Step, read loosely
type Json = Record<string, any>;

export interface Hop {
  index: number;
  state: string;
  description: string;
  /** The element the step happened at, when the picture has it. */
  element?: string;
  /** This step dropped the packet. */
  drop: boolean;
  /** At a drop: what decided (a firewall rule, NetworkPolicies, or the drop cause). */
  rule?: string;
}

export interface TracePath {
  probability?: number;
  hops: Hop[];
  /** Elements that may receive the packet where it is balanced (backends, Service endpoints). */
  candidates: string[];
  /** The last step's state: DELIVER, DROP, FORWARD, ABORT. */
  outcome: string;
}

export interface TraceView {
  result: string;
  paths: TracePath[];
  /** Deciding rules of the drops, in path order, deduplicated. */
  decidingRules: string[];
}

/** The element a step happened at: the pod, node, rule, forwarding rule or Service it names. */
export function stepElement(model: TopologyModel, step: Json): string | undefined {
  const has = (key: string | undefined) => (key && model.byId.has(key) ? key : undefined);
  if (step['pod']) return model.podByName.get(`${step['pod'].namespace}/${step['pod'].name}`);
  if (step['networkPolicy']) {
    const pod = model.podByName.get(step['networkPolicy'].pod);
    if (pod) return pod;
  }
  if (step['firewall']) {
    const rule = has(id.firewall(step['firewall'].displayName));
    if (rule) return rule;
  }
  if (step['instance']) return has(id.node(step['instance'].displayName));
  if (step['kubeProxy']) return has(id.node(step['kubeProxy'].node));
  if (step['forwardingRule']) {
    const name = step['forwardingRule'].displayName as string;
    const found = model.elements.find((e) => e.kind === 'forwardingRule' && e.label === name);
    if (found) return found.id;
    return model.byIp.get(step['forwardingRule'].vip);
  }
  if (step['endpoint']?.destinationIp && step['state'] === 'START_FROM_INTERNET') return undefined;
  for (const address of [step['deliver']?.ipAddress, step['forward']?.ipAddress, step['drop']?.destinationIp])
    if (address && model.byIp.has(address)) return model.byIp.get(address);
  return undefined;
}

/** What decided a drop, in words a person can look up on the picture. */
export function decidingRule(step: Json): string | undefined {
  if (step['firewall']) return `firewall ${step['firewall'].displayName} (${step['firewall'].action ?? ''})`;
  if (step['networkPolicy']) {
    const policy = step['networkPolicy'];
    const names = (policy.isolatingPolicies ?? []) as string[];
    return `NetworkPolicy ${names.join(', ') || '(none)'} (${policy.direction}: ${policy.decision ?? 'denied'})`;
  }
  if (step['kubeProxy']) return `kube-proxy ${step['kubeProxy'].verdict} on ${step['kubeProxy'].node}`;
  if (step['drop']) return `drop: ${step['drop'].cause}`;
  if (step['abort']) return `abort: ${step['abort'].cause}`;
  return undefined;
}

export function traceView(model: TopologyModel, details: Json | undefined): TraceView {
  const paths: TracePath[] = [];
  const decidingRules: string[] = [];
  for (const trace of (details?.['traces'] ?? []) as Json[]) {
    const steps = (trace['steps'] ?? []) as Json[];
    const candidates = new Set<string>();
    const hops: Hop[] = steps.map((step, index) => {
      for (const backend of (step['loadBalancer']?.backends ?? []) as Json[]) {
        const node = model.byId.has(id.node(backend['displayName']))
          ? id.node(backend['displayName'])
          : undefined;
        if (node) candidates.add(node);
      }
      for (const endpoint of (step['kubeProxy']?.endpoints ?? []) as Json[]) {
        const pod = endpoint['pod'] ? model.podByName.get(endpoint['pod']) : model.byIp.get(endpoint['ip']);
        if (pod) candidates.add(pod);
      }
      const drop = step['causesDrop'] === true;
      let rule: string | undefined;
      if (drop) {
        rule = decidingRule(step);
        if (rule && !decidingRules.includes(rule)) decidingRules.push(rule);
      }
      const element = stepElement(model, step);
      return {
        index: index + 1,
        state: String(step['state'] ?? ''),
        description: String(step['description'] ?? ''),
        ...(element ? { element } : {}),
        drop,
        ...(rule ? { rule } : {}),
      };
    });
    // A drop step without its own rule (the final DROP) inherits the rule of the step that caused it.
    const last = steps[steps.length - 1];
    if (last?.['state'] === 'DROP' && decidingRules.length === 0) {
      const rule = decidingRule(last);
      if (rule) decidingRules.push(rule);
    }
    paths.push({
      ...(typeof trace['probability'] === 'number' ? { probability: trace['probability'] } : {}),
      hops,
      candidates: [...candidates],
      outcome: String(last?.['state'] ?? 'NONE'),
    });
  }
  return { result: String(details?.['result'] ?? 'UNKNOWN'), paths, decidingRules };
}

/** The body of connectivityTests.create for a source and destination typed or picked on the page. */
export function connectivityTestBody(request: {
  project: string;
  source: string;
  destination: string;
  port?: number;
  protocol: string;
  /** The source is outside Google Cloud (the internet). */
  external: boolean;
}): Json {
  return {
    source: {
      ipAddress: request.source,
      ...(request.external ? { networkType: 'NON_GCP_NETWORK' } : { projectId: request.project }),
    },
    destination: {
      ipAddress: request.destination,
      projectId: request.project,
      ...(request.port ? { port: request.port } : {}),
    },
    protocol: request.protocol,
    description: 'Run from the topology page',
  };
}

/** The address to put in a trace form for a picked element (pod IP, node IP, ClusterIP, forwarding rule IP). */
export function addressOf(model: TopologyModel, elementId: string): string | undefined {
  for (const [address, owner] of model.byIp) if (owner === elementId) return address;
  return undefined;
}
