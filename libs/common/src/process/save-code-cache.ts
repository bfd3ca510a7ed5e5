/**
 * Tells the code-cache loader (dist/code-cache.js, see code-cache.ts) that the process is ready: the code compiled
 * so far is what the next start needs, and it is saved if this build has no cache yet. `prepare` runs before the
 * save, and only in a start that saves: what it compiles (a part built on first use, such as GraphQL) is in the
 * cache for later starts, which still build it on first use; a `prepare` that rejects cancels the save. A no-op when the process was not started through the
 * loader (tests, the in-process SDK launcher).
 */
export function saveCodeCache(prepare?: () => Promise<unknown>): void {
  const save = (globalThis as Record<symbol, unknown>)[Symbol.for('gke-emulator.saveCodeCache')];
  if (typeof save === 'function') (save as (prepare?: () => Promise<unknown>) => void)(prepare);
}
