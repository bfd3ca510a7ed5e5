export { GkeEmulatorClient } from './client';
export type {
  ClusterOptions,
  EmulatorSettings,
  GkeEmulatorClientOptions,
  ProjectOption,
  ResetResult,
  WaitForConvergenceOptions,
} from './client';
export type * from './dataplane';
export { ConnectivityApi } from './connectivity';
export type {
  ConnectivityEndpoint,
  ConnectivityStep,
  ConnectivityTest,
  ConnectivityTestInput,
  ConnectivityTestSummary,
  ConnectivityTrace,
  ReachabilityDetails,
  TraceOptions,
} from './connectivity';
export {
  GkeEmulatorError,
  GkeEmulatorGraphqlError,
  GkeEmulatorOptionError,
  GkeEmulatorUnavailableError,
} from './errors';
export type { GoogleErrorBody } from './errors';
export type { DocumentTypeDecoration, DocumentNodeLike, GraphqlDocument } from './graphql-document';
export type { EmulatorKube, ClusterCredentials } from './kube';
export type {
  ComputeClientName,
  ComputeClient,
  ComputeOperation,
  ContainerOperation,
  ClusterManagerClient,
} from './official-clients';
export { PROJECT_ID } from './project-id';
export { RunningEmulator, startEmulator } from './launcher/start-emulator';
export type { EmulatorExit, LogLevel, StartEmulatorOptions } from './launcher/options';
export * from './graphql';
