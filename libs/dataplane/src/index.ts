// The effective data plane: pure computations (no framework, no I/O), one namespace per concern.
export * as cloudArmor from './cloud-armor';
export * as dns from './dns';
export * as kubeProxy from './kube-proxy';
export * as netpol from './netpol';
export * as vpc from './vpc';
export * as connectivity from './trace';
