// The effective data plane: pure computations (no framework, no I/O), each in its own folder.
export {};
