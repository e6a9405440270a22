/**
 * Cooperative time budget for extraction. Parsers here are synchronous, so they cannot be
 * interrupted; instead they call `check()` between units of work (a zip entry, a PDF object,
 * a content-stream chunk) and give up with `ExtractionTimeout` once the budget is spent.
 */
export class ExtractionTimeout extends Error {
  readonly code = 'EXTRACTION_TIMEOUT';
  constructor() {
    super('text extraction ran out of time');
  }
}

export class Deadline {
  private readonly end: number;

  constructor(
    timeoutMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.end = this.now() + Math.max(timeoutMs, 0);
  }

  check(): void {
    if (this.now() > this.end) throw new ExtractionTimeout();
  }
}
