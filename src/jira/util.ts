// Small helpers shared by the Jira streams.

/** The HTTP status carried by an upstream error, if any. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}
