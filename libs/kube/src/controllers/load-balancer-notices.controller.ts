import { field, type KubeObject } from '../api/kube-object';
import type { AdmissionHook } from '../store/admission';
import type { InWriteController } from './in-write-controller';
import type { ControllerRepository } from './controller.repository';

/**
 * Wakes GKE's asynchronous controllers (load-balancer.controller.ts, ingress.controller.ts) once a write that
 * concerns them commits: a LoadBalancer Service (now or before) for the service controller; any Service, Ingress
 * or BackendConfig for the ingress controller, which reconciles the whole cluster.
 */
export class LoadBalancerNoticesController implements InWriteController {
  readonly name = 'load-balancer-notices';

  constructor(private readonly repository: ControllerRepository) {}

  hooks(): Record<string, AdmissionHook> {
    const ingressNotice: AdmissionHook = {
      afterWrite: async (context) => {
        if (!context.dryRun && context.subresource !== 'status')
          await this.repository.notifyIngresses(context.sql, context.cluster.id);
      },
    };
    return {
      ingresses: ingressNotice,
      backendconfigs: ingressNotice,
      services: {
        afterWrite: async (context, _type, service) => {
          if (context.dryRun) return;
          const balanced = (object: KubeObject | undefined) =>
            field(object, 'spec', 'type') === 'LoadBalancer';
          await this.repository.notifyIngresses(context.sql, context.cluster.id);
          // The service controller acts on what the Service asks for, not on the status it writes itself.
          if ((balanced(service) || balanced(context.old)) && context.subresource !== 'status') {
            await this.repository.notifyLoadBalancer(context.sql, {
              clusterId: String(context.cluster.id),
              namespace: String(service.metadata.namespace),
              name: String(service.metadata.name),
              uid: String(service.metadata.uid),
            });
          }
        },
      },
    };
  }
}
