import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { newResourceId } from '@gke-emulator/common';
import type { Tx } from '@gke-emulator/db';
import { ContainerErrors } from '../wire/container-errors';
import { randomHex } from './cluster-plan';
import { buildNodePoolResource, DEFAULT_MACHINE_TYPE, nodePoolPath } from './cluster-resource';
import { type ClusterForNodes, NodeProvisioner } from './node-provisioner';
import { type NodePoolSpec } from './node-pool-request';
import { NodePoolRepository } from './node-pool.repository';

/** Writes node pools and their nodes; shared by cluster create and nodePools.create. */
@Injectable()
export class NodePoolWriter {
  constructor(
    private readonly nodes: NodeProvisioner,
    private readonly repository: NodePoolRepository,
  ) {}

  async create(tx: Tx, cluster: ClusterForNodes, location: string, spec: NodePoolSpec) {
    const id = newResourceId();
    const groups = Object.fromEntries(spec.zones.map((zone) => [zone, randomHex(8)]));
    const machineType = String(spec.config['machineType'] ?? DEFAULT_MACHINE_TYPE);
    const resource = buildNodePoolResource({
      project: cluster.project,
      location,
      cluster: cluster.name,
      routesBased: cluster.routesBased,
      podRange: cluster.podRange,
      podRangeName: cluster.podRangeName,
      subnetwork: `projects/${cluster.project}/regions/${cluster.subnetwork.region}/subnetworks/${cluster.subnetwork.name}`,
      name: spec.name,
      nodeCount: spec.nodeCount,
      zones: spec.zones,
      maxPods: spec.maxPods,
      config: spec.config,
      given: spec.given,
      version: spec.version,
      groups,
      etag: randomUUID(),
      now: new Date(),
    });
    try {
      await this.repository.insert(tx, { id, clusterId: cluster.id, name: spec.name, resource });
    } catch (error) {
      const record = error as { code?: string };
      if (record.code === 'P2002') {
        throw ContainerErrors.alreadyExists(nodePoolPath(cluster.project, location, cluster.name, spec.name));
      }
      throw error;
    }
    await this.nodes.addNodes(
      tx,
      cluster,
      { id, name: spec.name, maxPods: spec.maxPods, machineType, groups },
      spec.zones,
      spec.nodeCount,
    );
    return id;
  }
}
