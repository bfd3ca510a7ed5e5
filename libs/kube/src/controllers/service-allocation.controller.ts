import type { KubeObject } from '../api/kube-object';
import type { AdmissionContext, AdmissionHook } from '../store/admission';
import type { ControllerRepository } from './controller.repository';
import type { InWriteController } from './in-write-controller';
import {
  allocateServiceFields,
  serviceAllocationCauses,
  serviceAllocations,
  type TakenValues,
} from './service-allocation';

/**
 * The API server's Service allocators: ClusterIPs from the services range and NodePorts, filled in on write,
 * requested ones checked (see service-allocation.ts), and each Service's holdings kept in the allocation table
 * (whose unique key settles races between transactions).
 */
export class ServiceAllocationController implements InWriteController {
  readonly name = 'service-allocators';

  constructor(private readonly repository: ControllerRepository) {}

  hooks(): Record<string, AdmissionHook> {
    return {
      services: {
        mutate: async (context, service) => {
          const old = context.operation === 'UPDATE' ? context.old : undefined;
          await context.objects.lockCluster();
          await allocateServiceFields(
            service,
            old,
            context.cluster.servicesRange,
            this.taken(context, old?.metadata.uid),
          );
        },
        validate: (context, service) =>
          serviceAllocationCauses(
            service,
            context.old,
            context.cluster.servicesRange,
            this.taken(context, context.old?.metadata.uid),
          ),
        afterWrite: async (context, type, service) => {
          if (context.dryRun || type === 'DELETED') return;
          await this.recordServiceAllocations(context, service);
        },
      },
    };
  }

  /** What other Services hold (everything but `except`'s own). */
  private taken(context: AdmissionContext, except: string | undefined): TakenValues {
    return (kind) => this.repository.taken(context.sql, context.cluster.id, kind, except);
  }

  private async recordServiceAllocations(context: AdmissionContext, service: KubeObject): Promise<void> {
    await this.repository.replaceAllocations(
      context.sql,
      context.cluster.id,
      String(service.metadata.uid),
      serviceAllocations(service),
    );
  }
}
