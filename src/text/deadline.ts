/**
 * Cooperative time budget for extraction. Parsers here are synchronous, so they cannot be
 * interrupted; instead they call `check()` between units of work (a zip entry, a PDF object,
 * a content-stream chunk) and give up with `ExtractionTimeout` once the budget is spent.
 *
 * `breathe()` also hands the event loop back now and then (between pages, slides, XML slices):
 * a sync parse of a large file would otherwise stall the connector's other requests and timers
 * (HTTP timeouts would fire late and spuriously) for the whole budget.
 */
export class ExtractionTimeout extends Error {
  readonly code = 'EXTRACTION_TIMEOUT';
  constructor() {
    super('text extraction ran out of time');
  }
}

/** Longest stretch of synchronous work between two returns to the event loop. */
const SLICE_MS = 25;

export class Deadline {
  private readonly end: number;
  private sliceStart: number;

  constructor(
    timeoutMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.end = this.now() + Math.max(timeoutMs, 0);
    this.sliceStart = this.now();
  }

  async breathe(): Promise<void> {
    this.check();
    if (this.now() - this.sliceStart < SLICE_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.sliceStart = this.now();
    this.check();
  }

  check(): void {
    if (this.now() > this.end) throw new ExtractionTimeout();
  }
}
