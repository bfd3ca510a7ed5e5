import type { KubeObject } from '../api/kube-object';
import type { AdmissionContext, AdmissionHook } from '../store/admission';
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
    return async (kind) => {
      const rows = await context.sql.query<{ value: string }>(
        `SELECT value FROM kube_allocation WHERE cluster_id = $1 AND kind = $2 AND ($3::uuid IS NULL OR owner_uid <> $3::uuid)`,
        [context.cluster.id, kind, except ?? null],
      );
      return new Set(rows.map((row) => row.value));
    };
  }

  private async recordServiceAllocations(context: AdmissionContext, service: KubeObject): Promise<void> {
    const values = serviceAllocations(service);
    await context.sql.query(
      `WITH wanted AS (SELECT * FROM unnest($3::text[], $4::text[]) AS w(kind, value)),
            released AS (DELETE FROM kube_allocation a WHERE a.owner_uid = $2::uuid
                          AND NOT EXISTS (SELECT 1 FROM wanted w WHERE w.kind = a.kind AND w.value = a.value))
       INSERT INTO kube_allocation (cluster_id, kind, value, owner_uid)
       SELECT $1, kind, value, $2::uuid FROM wanted
       ON CONFLICT (cluster_id, kind, value) DO NOTHING`,
      [
        context.cluster.id,
        service.metadata.uid,
        values.map(([kind]) => kind),
        values.map(([, value]) => value),
      ],
    );
  }
}
