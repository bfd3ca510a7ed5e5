// `@gke-emulator/sdk/testcontainers`: a separate entry point, so the SDK itself loads without testcontainers.
export {
  GKE_EMULATOR_IMAGE,
  GKE_EMULATOR_PORT,
  GkeEmulatorContainer,
  StartedGkeEmulatorContainer,
} from './gke-emulator-container';
