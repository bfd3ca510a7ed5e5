export { KubeModule } from './kube.module';
export { KubeApi, type KubeResponse } from './apiserver/kube-api';
export type { KubeRequest } from './apiserver/kube-request';
export {
  KubeStore,
  DEFAULT_NAMESPACES,
  type WriteOptions,
  type ListOptions,
  type ObjectList,
  type WatchEvent,
} from './store/kube-store';
export {
  KubeAdmission,
  type AdmissionContext,
  type AdmissionHook,
  type AdmissionWriter,
  type WatchEventType,
} from './store/admission';
export { registerKubernetesApi, type KubeRequestCheck, type KubeRequestRefusal } from './http/kube-http';
export { KubeStatusError, KubeErrors, type StatusBody, type StatusCause } from './api/kube-status';
export type { KubeObject, ObjectMeta } from './api/kube-object';
export { RESOURCE_KINDS, kindByResource, type ResourceKind } from './api/resources';
export { matchesLabels, requirementsOf, parseLabelSelector, type LabelSelectorObject } from './api/selectors';
export {
  LoadBalancerController,
  IngressController,
  startKubeControllers,
} from './controllers/start-controllers';
export { LabelModel, PodModel } from './graphql/kube.models';
export { JsonScalar } from './graphql/json.scalar';
