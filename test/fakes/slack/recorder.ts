/** One Web API call, upload or WebSocket frame seen by the fake, in arrival order. */
export interface RecordedCall {
  /** Web API method (`chat.update`), or `upload`, `response_url`, `file_download`, `ws_in`, `ws_out`. */
  method: string;
  /** Parsed arguments: form fields (JSON-looking values decoded) or the JSON body. */
  args: Record<string, unknown>;
  /** Bearer token sent, if any. */
  token?: string;
  /** HTTP status the fake answered with. */
  status: number;
  /** The JSON reply, when there was one. */
  reply?: unknown;
  at: number;
}

/** Records everything and lets tests wait for a call without sleeping. */
export class Recorder {
  readonly calls: RecordedCall[] = [];
  private readonly waiters = new Set<() => void>();

  add(call: RecordedCall): void {
    this.calls.push(call);
    for (const wake of [...this.waiters]) wake();
  }

  /** Calls of one method whose reply was ok (or every call of it with `{ all: true }`). */
  of(method: string, opts: { all?: boolean } = {}): RecordedCall[] {
    return this.calls.filter(
      (c) =>
        c.method === method &&
        (opts.all || c.status === 200) &&
        (opts.all || (c.reply as { ok?: boolean } | undefined)?.ok !== false),
    );
  }

  /** Resolves with the first call matching `predicate` (past or future); rejects after `timeoutMs`. */
  waitFor(
    predicate: (call: RecordedCall) => boolean,
    timeoutMs = 5_000,
    what = 'a matching Slack call',
  ): Promise<RecordedCall> {
    const found = this.calls.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.calls.find(predicate);
        if (!hit) return;
        cleanup();
        resolve(hit);
      };
      const timer = setTimeout(() => {
        cleanup();
        const seen = this.calls.map((c) => c.method).join(', ');
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; seen: ${seen}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }

  /** Waits for an ok call of `method` whose args satisfy `predicate`. */
  waitForCall(
    method: string,
    predicate: (args: Record<string, unknown>) => boolean = () => true,
    timeoutMs = 5_000,
  ): Promise<RecordedCall> {
    return this.waitFor(
      (c) =>
        c.method === method &&
        c.status === 200 &&
        (c.reply as { ok?: boolean } | undefined)?.ok !== false &&
        predicate(c.args),
      timeoutMs,
      `${method}`,
    );
  }
}
