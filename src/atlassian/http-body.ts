// Request and response plumbing of the HTTP client: query strings, headers, error excerpts, bounded bodies.
import { pipeline, type Readable } from 'node:stream';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { IncomingHttpHeaders } from 'node:http';
import { TransientError } from '../cdk/errors';
import type { HttpMetrics } from './metrics';
import type { Query } from './product-client';

export type Headers = Record<string, string | undefined>;

/** `?a=1&id=1&id=2`: arrays as repeated keys, null/undefined dropped, appended to any query already in the URL. */
export function withQuery(url: string, params: Query | undefined): string {
  if (!params) return url;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, String(item));
  }
  const query = search.toString();
  if (!query) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}

export function flatHeaders(raw: IncomingHttpHeaders): Headers {
  const out: Headers = {};
  for (const [key, value] of Object.entries(raw ?? {})) {
    out[key.toLowerCase()] = Array.isArray(value)
      ? value.join(', ')
      : value == null
        ? undefined
        : String(value);
  }
  return out;
}

const unzip = promisify(zlib.unzip);
const brotli = promisify(zlib.brotliDecompress);
/**
 * Output chunk of one decompression when the size is not known up front. Node's default (16 KiB) makes a
 * page of a few hundred KiB cost dozens of callbacks on the main thread.
 */
const DECODE_CHUNK = 256 * 1024;
const MAX_EXACT_CHUNK = 64 * 1024 * 1024;

/**
 * A gzip body's decoded size, from its trailer (RFC 1952: ISIZE, the last four bytes, little-endian), one
 * byte more so that zlib never fills its buffer and asks for another. Then the output is that one buffer,
 * with no chunks to join: half the transient memory of a chunked decode. Only a hint: a cut body has a
 * garbage trailer (hence the cap), and it fails to decode anyway.
 */
function gzipChunk(body: Buffer): number {
  if (body.length < 18 || body[0] !== 0x1f || body[1] !== 0x8b) return DECODE_CHUNK;
  return Math.min(MAX_EXACT_CHUNK, Math.max(1024, body.readUInt32LE(body.length - 4) + 1));
}

/**
 * A response body as received, decompressed: in one call on libuv's pool rather than through a stream,
 * which hands every 16 KiB to the main thread (at a hundred requests a second, a tenth of its time).
 * Throws on a corrupt or cut compressed body.
 */
export async function decodeBody(body: Buffer, contentEncoding: string | undefined): Promise<Buffer> {
  const compression = compressionOf(contentEncoding);
  if (compression === 'zlib') return unzip(body, { chunkSize: gzipChunk(body) });
  if (compression === 'br') return brotli(body, { chunkSize: DECODE_CHUNK });
  return body;
}

/** A response body decompressed as it streams (attachment downloads, which may be large). */
export function decodedStream(body: Readable, contentEncoding: string | undefined): Readable {
  const compression = compressionOf(contentEncoding);
  if (!compression) return body;
  const decoder = compression === 'zlib' ? zlib.createUnzip() : zlib.createBrotliDecompress();
  // A failure on either side ends the decoder with that error, which the reader then sees.
  return pipeline(body, decoder, () => undefined);
}

/** The Content-Encodings the connector asks for: gzip and deflate (zlib's unzip reads both), and br. */
function compressionOf(contentEncoding: string | undefined): 'zlib' | 'br' | undefined {
  const encoding = contentEncoding?.trim().toLowerCase();
  if (encoding === 'gzip' || encoding === 'x-gzip' || encoding === 'deflate') return 'zlib';
  return encoding === 'br' ? 'br' : undefined;
}

/** First 200 characters of an error body, Atlassian's `errorMessages`/`message` preferred. */
export function excerpt(body: unknown): string {
  let text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : '';
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    const messages = [json.errorMessages, json.message, json.error_description, json.error, json.title]
      .flat()
      .filter((m): m is string => typeof m === 'string' && m.length > 0);
    if (messages.length) text = messages.join('; ');
  } catch {
    // not JSON: keep the raw text (an HTML error page, a proxy message)
  }
  const flat = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

/** Reads a (small) error body from a stream response so it can be quoted and the socket reused. */
export async function drain(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      size += buffer.length;
      if (size > 64 * 1024) break;
      chunks.push(buffer);
    }
  } catch {
    // the body of an error response is only for the message
  }
  stream.destroy();
  return Buffer.concat(chunks);
}

/** Reads a download body, giving up (null) once it is over maxBytes; counts the bytes into `metrics`. */
export async function collectBody(
  stream: Readable,
  headers: Headers,
  maxBytes: number,
  metrics: Pick<HttpMetrics, 'bytes'>,
): Promise<Buffer | null> {
  const declared = Number(headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    stream.destroy();
    return null;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      size += buffer.length;
      metrics.bytes += buffer.length;
      if (size > maxBytes) {
        stream.destroy();
        return null;
      }
      chunks.push(buffer);
    }
  } catch (error) {
    const code = (error as { code?: string }).code ?? (error as Error).name;
    throw new TransientError(`Download interrupted after ${size} bytes: ${code}`);
  }
  return Buffer.concat(chunks);
}
