/**
 * Polls `check` until it returns a value (not `undefined`), with a deadline: how tests wait for state the emulator
 * reaches asynchronously (a load balancer's IP, the data plane's convergence) without sleeping on a guess. A
 * `check` that throws is retried too; at the deadline the error names what was awaited and the last failure.
 */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 30_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
