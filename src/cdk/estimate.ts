// ESTIMATE without holding up the read: the count is asked for side by side with the first pages, and the
// message goes out with the first event after it is known (usually before the first record). Awaited
// first, it cost every stream one round trip before its first page.
import type { StreamEvent } from './stream';

/** `events`, with one ESTIMATE of `rowCount` placed as soon as the count is known (none if undefined). */
export async function* withEstimate(
  events: AsyncIterable<StreamEvent>,
  rowCount: Promise<number | undefined>,
): AsyncGenerator<StreamEvent> {
  let known: number | undefined;
  const counted = rowCount.then(
    (n) => void (known = n),
    () => undefined, // an estimate is best effort
  );
  for await (const event of events) {
    if (known !== undefined) {
      yield { type: 'estimate', rowCount: known };
      known = undefined;
    }
    yield event;
  }
  await counted;
}
