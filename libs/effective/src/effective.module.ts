import { Module } from '@nestjs/common';
import { ContainerModule } from '@gke-emulator/container';
import { ClusterDnsService } from './cluster-dns.service';
import { DataplaneChannel } from './dataplane-channel';
import { DataplaneController } from './dataplane.controller';
import { DataplaneReadsRepository } from './dataplane-reads.repository';
import { DataplaneReadsService } from './dataplane-reads.service';
import { FirewallEvaluateController } from './firewall-evaluate.controller';
import { FirewallEvaluateService } from './firewall-evaluate.service';
import { ClusterReachabilityResolver } from './graphql/cluster-reachability.resolver';
import { NodeEffectiveStateChangeResolver } from './graphql/node-effective-state-change.resolver';
import { NodeEffectiveStateEvents } from './graphql/node-effective-state.events';
import { NodeEffectiveStateReader } from './graphql/node-effective-state.reader';
import { NodeEffectiveStateResolver } from './graphql/node-effective-state.resolver';
import { PodNetworkPolicyResolver } from './graphql/pod-network-policy.resolver';
import { ProjectChangeEvents } from './graphql/project-change.events';
import { ProjectChangeResolver } from './graphql/project-change.resolver';
import { ProjectVersionRepository } from './graphql/project-version.repository';
import { PodConnectivityService } from './pod-connectivity.service';

/** The effective data plane's reads (the worker computes it; see compute-cluster.task.ts), over REST and GraphQL. */
@Module({
  imports: [ContainerModule],
  controllers: [DataplaneController, FirewallEvaluateController],
  providers: [
    DataplaneChannel,
    ClusterDnsService,
    DataplaneReadsRepository,
    DataplaneReadsService,
    FirewallEvaluateService,
    PodConnectivityService,
    NodeEffectiveStateReader,
    NodeEffectiveStateEvents,
    NodeEffectiveStateResolver,
    PodNetworkPolicyResolver,
    ClusterReachabilityResolver,
    NodeEffectiveStateChangeResolver,
    ProjectChangeEvents,
    ProjectChangeResolver,
    ProjectVersionRepository,
  ],
  exports: [ClusterDnsService, DataplaneChannel, DataplaneReadsService, NodeEffectiveStateEvents],
})
export class EffectiveModule {}
