/**
 * Tells the code-cache loader (dist/code-cache.js, see code-cache.ts) that the process is ready: the code compiled
 * so far is what the next start needs, and it is saved if this build has no cache yet. A no-op when the process was
 * not started through the loader (tests, the in-process SDK launcher).
 */
export function saveCodeCache(): void {
  const save = (globalThis as Record<symbol, unknown>)[Symbol.for('gke-emulator.saveCodeCache')];
  if (typeof save === 'function') (save as () => void)();
}
