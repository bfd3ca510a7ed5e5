import { IngressController } from './ingress.controller';
import { LoadBalancerController } from './load-balancer.controller';
import { PodReadinessController } from './pod-readiness.controller';

export { IngressController, LoadBalancerController, PodReadinessController };

/**
 * Starts the asynchronous controllers (GKE's service and ingress controllers) of an application that serves. Not
 * on module init: printing the GraphQL schema builds the application without a database.
 */
export async function startKubeControllers(app: {
  get<T>(type: abstract new (...args: never[]) => T): T;
}): Promise<void> {
  // Independent (each its own LISTEN connection and start-up scan): started together.
  await Promise.all([
    app.get(LoadBalancerController).start(),
    app.get(IngressController).start(),
    app.get(PodReadinessController).start(),
  ]);
}
