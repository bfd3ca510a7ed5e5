import { Injectable } from '@nestjs/common';
import { GoogleErrors } from '@gke-emulator/common';
import type { netpol } from '@gke-emulator/dataplane';
import { DataplaneReadsService, type Freshness } from './dataplane-reads.service';

/** A pod: its namespace and name, and the node it runs on (none while Pending). */
export interface PodRef {
  namespace: string;
  name: string;
  nodeName?: string;
}

/**
 * A pod's NetworkPolicy verdicts, through the same reads as REST: `…/nodes/{n}/networkPolicies` for what isolates
 * it, `…/reachability` for whether it may open a connection to another pod.
 */
@Injectable()
export class PodConnectivityService {
  constructor(private readonly reads: DataplaneReadsService) {}

  /** What isolates the pod, as of the stored generation; null when that generation does not know it (yet). */
  async podPolicy(
    project: string,
    location: string,
    cluster: string,
    pod: PodRef,
  ): Promise<
    | (Freshness & {
        enforced: boolean;
        enforcement: string;
        policy: Pick<netpol.CompiledPodPolicy, 'ingress' | 'egress'>;
      })
    | null
  > {
    if (!pod.nodeName) return null;
    const read = await this.reads.networkPolicies(project, location, cluster, pod.nodeName);
    const { generation, observedGeneration, current, enforced, enforcement } = read;
    if (!enforced) {
      // Nothing isolates a pod of a cluster that does not enforce NetworkPolicy.
      const open: netpol.CompiledDirection = { isolated: false, policies: [], rules: [] };
      return {
        generation,
        observedGeneration,
        current,
        enforced,
        enforcement,
        policy: { ingress: open, egress: open },
      };
    }
    const found = read.pods.find((entry) => entry.pod === `${pod.namespace}/${pod.name}`);
    if (!found) return null;
    return {
      generation,
      observedGeneration,
      current,
      enforced,
      enforcement,
      policy: { ingress: found.ingress, egress: found.egress },
    };
  }

  /**
   * Whether NetworkPolicies let `source` open a connection to the pod `target` ("namespace/name", or a name in the
   * source's namespace) on that port: one evaluation, not the namespaces' whole matrix.
   */
  async canReach(
    project: string,
    location: string,
    cluster: string,
    source: PodRef,
    target: string,
    port: number,
    protocol: string,
  ) {
    const [namespace, name] = target.includes('/')
      ? (target.split('/', 2) as [string, string])
      : [source.namespace, target];
    if (!namespace || !name) {
      throw GoogleErrors.invalidFieldValue(
        'pod',
        target,
        'Must be namespace/name, or a name in the namespace.',
      );
    }
    const from = `${source.namespace}/${source.name}`;
    const to = `${namespace}/${name}`;
    const verdict = await this.reads.connection(project, location, cluster, {
      source: from,
      destination: to,
      port,
      protocol,
    });
    return {
      generation: verdict.generation,
      observedGeneration: verdict.observedGeneration,
      current: verdict.current,
      from,
      to,
      port,
      protocol: protocol.toUpperCase(),
      allowed: verdict.allowed,
      policyAllowed: verdict.policyAllowed,
      enforced: verdict.enforced,
      enforcement: verdict.enforcement,
    };
  }
}
