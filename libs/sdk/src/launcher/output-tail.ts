/** The last lines a process wrote, for error messages (a crash reports what it said last). */
export class OutputTail {
  private lines: string[] = [];
  private partial = '';

  constructor(private readonly max = 40) {}

  push(chunk: string): string[] {
    const text = this.partial + chunk;
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    const complete = parts.map(stripAnsi);
    this.lines.push(...complete);
    if (this.lines.length > this.max) this.lines.splice(0, this.lines.length - this.max);
    return complete;
  }

  toString(): string {
    return [...this.lines, ...(this.partial ? [stripAnsi(this.partial)] : [])].join('\n').trim();
  }
}

const ANSI = new RegExp(String.fromCharCode(27) + '\\[[0-9;]*m', 'g');

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** The URL in the CLI's start banner (`gke-emulator listening on http://127.0.0.1:8085`). */
export function bannerUrl(line: string): string | undefined {
  return /^gke-emulator listening on (https?:\/\/\S+)/.exec(stripAnsi(line).trim())?.[1];
}

/** Which option a start failure is about, from what the emulator wrote on stderr. */
export function optionOfStartFailure(stderr: string, given: { databaseUrl?: boolean }): string | undefined {
  if (/EADDRINUSE/.test(stderr)) return 'port';
  if (
    /another gke-emulator (is )?using this --data-dir|postmaster\.pid|lock file .* already exists/i.test(
      stderr,
    )
  ) {
    return 'dataDir';
  }
  if (
    given.databaseUrl &&
    /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|password authentication failed|database .* does not exist|DATABASE_URL/i.test(
      stderr,
    )
  ) {
    return 'databaseUrl';
  }
  return undefined;
}
