import { randomBytes } from 'node:crypto';

/** Google's rule for project ids: 6-30 characters, a lowercase letter first, no hyphen last. */
export const PROJECT_ID = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

function base36(value: number, width: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < width; i++) {
    out = ALPHABET[rest % 36] + out;
    rest = Math.floor(rest / 36);
  }
  return out;
}

/**
 * Hands out project ids unique per call and per process: `<prefix>-<process tag>-<counter>`. The process tag is
 * random (6 base-36 characters, ~2e9 values), so parallel test files (separate processes or workers) do not meet;
 * the counter makes calls in one process distinct without randomness per call.
 */
export class ProjectIds {
  private counter = 0;
  private readonly tag: string;

  constructor(
    private readonly prefix = 'test',
    random: Buffer = randomBytes(4),
  ) {
    if (!/^[a-z][a-z0-9]{0,11}$/.test(prefix)) {
      throw new Error(`prefix: "${prefix}" must be 1-12 lowercase letters or digits, a letter first`);
    }
    this.tag = base36(random.readUInt32BE(0) % 36 ** 6, 6);
  }

  next(): string {
    this.counter += 1;
    return `${this.prefix}-${this.tag}-${this.counter.toString(36)}`;
  }
}
