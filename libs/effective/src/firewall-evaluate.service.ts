import { Injectable } from '@nestjs/common';
import { GoogleApiError, GoogleErrors } from '@gke-emulator/common';
import { ClusterDirectory } from '@gke-emulator/container';
import type { vpc } from '@gke-emulator/dataplane';
import { DataplaneReadsRepository, type NetworkInstanceRow } from './dataplane-reads.repository';
import { DataplaneReadsService, type Freshness } from './dataplane-reads.service';
import {
  evaluateFirewallQuestion,
  type FirewallEvaluation,
  type FirewallEvaluationQuery,
  parseFirewallQuestion,
  toFirewallEvaluationBody,
} from './firewall-evaluation';

type Json = Record<string, unknown>;

function toInstance(project: string, row: NetworkInstanceRow): vpc.VpcInstance {
  const tags = (row.resource['tags'] as Json | undefined)?.['items'];
  const account = ((row.resource['serviceAccounts'] as Json[] | undefined) ?? [])[0]?.['email'];
  return {
    name: row.name,
    network: `projects/${project}/global/networks/${row.network}`,
    tags: Array.isArray(tags) ? tags.map(String) : [],
    ...(typeof account === 'string' ? { serviceAccount: account } : {}),
    ipAddresses: [row.ip],
  };
}

/**
 * "Is this connection allowed into / out of this VM, and by which rule?", answered from the node's effective
 * firewall as the worker stored it (what `…/nodes/{n}/firewall` serves). An INGRESS packet from the primary
 * address of another node of the network carries that VM's tags and service account, for source-tag rules.
 */
@Injectable()
export class FirewallEvaluateService {
  constructor(
    private readonly reads: DataplaneReadsService,
    private readonly clusters: ClusterDirectory,
    private readonly repository: DataplaneReadsRepository,
  ) {}

  /**
   * The REST answer: freshness, the packet, the verdict and the rule that decided (its wire rule's links in full
   * on `base`, the Compute API root the client used).
   */
  async evaluate(
    project: string,
    location: string,
    clusterName: string,
    node: string,
    query: FirewallEvaluationQuery,
    base: string,
  ) {
    const { freshness, evaluation } = await this.evaluation(project, location, clusterName, node, query);
    return { node, ...freshness, ...toFirewallEvaluationBody(evaluation, base) };
  }

  /** The evaluation itself, with the deciding rule as stored. */
  async evaluation(
    project: string,
    location: string,
    clusterName: string,
    node: string,
    query: FirewallEvaluationQuery,
  ): Promise<{ freshness: Freshness; evaluation: FirewallEvaluation }> {
    const question = parseFirewallQuestion(query);
    const stored = await this.reads.firewall(project, location, clusterName, node);
    const cluster = await this.clusters.findCluster(project, location, clusterName);
    const rules = stored.rules as vpc.EffectiveFirewallRule[] | undefined;
    if (!cluster)
      throw GoogleErrors.notFound(`projects/${project}/locations/${location}/clusters/${clusterName}`);
    if (!Array.isArray(rules)) {
      throw new GoogleApiError(
        400,
        'resourceNotReady',
        `The firewall of node '${node}' has not been computed yet (generation ${stored.generation}, observed ${stored.observedGeneration}): wait for GET /emulator/v1/dataplane to converge.`,
      );
    }
    const remote = question.direction === 'INGRESS' ? question.src : undefined;
    const rows = await this.repository.nodeAndPeer(cluster.networkId, cluster.id, node, remote);
    const self = rows.find((row) => row.is_node);
    if (!self) {
      throw GoogleErrors.notFound(
        `projects/${project}/locations/${location}/clusters/${clusterName}/nodes/${node}`,
      );
    }
    const peerRow = remote === undefined ? undefined : rows.find((row) => row.ip === remote);
    const instance = toInstance(project, self);
    const evaluation = evaluateFirewallQuestion(
      { instance, rules },
      question,
      self.ip,
      peerRow && toInstance(project, peerRow),
    );
    const { generation, observedGeneration, current } = stored;
    return { freshness: { generation, observedGeneration, current }, evaluation };
  }
}
