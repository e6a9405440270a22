/**
 * PDF standard security handler (ISO 32000-2 §7.6.4), for the common case of a PDF that is
 * encrypted but opens without a password: only an *owner* password restricts printing or
 * copying, and the user password is empty. Viewers open such files silently, so their text is
 * as readable as any other PDF's. A PDF that needs a user password, or uses another security
 * handler (public-key), is reported as encrypted.
 *
 * Supported: RC4 40–128 bit (R2–R4), AES-128 (R4, AESV2), AES-256 (R5, R6, AESV3).
 * Only streams are decrypted: the text lives in content streams, fonts' ToUnicode streams and
 * object streams; strings in object dictionaries are never read for text.
 */
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { PdfName, type PdfDict, type PdfValue } from './pdf-lexer';

export interface StreamDecryptor {
  /** Decrypt one stream's raw bytes; `num`/`gen` identify its object (per-object keys, R2–R4). */
  stream(data: Uint8Array, num: number, gen: number): Uint8Array;
}

type Method = 'none' | 'rc4' | 'aes128' | 'aes256';

/** Algorithm 2's padding string, which stands for the empty password. */
const PAD = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');

/**
 * A decryptor for the empty user password, or undefined when the file cannot be opened without
 * a password (or uses a handler we do not implement).
 */
export function emptyPasswordDecryptor(
  encrypt: PdfDict,
  fileId: Uint8Array,
  resolve: (v: PdfValue | undefined) => PdfValue | undefined,
): StreamDecryptor | undefined {
  const get = (key: string): PdfValue | undefined => resolve(encrypt.get(key));
  const numberOf = (key: string): number | undefined => {
    const v = get(key);
    return typeof v === 'number' ? v : undefined;
  };
  const bytesOf = (key: string): Buffer | undefined => {
    const v = get(key);
    return v instanceof Uint8Array ? Buffer.from(v) : undefined;
  };
  const filter = get('Filter');
  if (!(filter instanceof PdfName) || filter.name !== 'Standard') return undefined;
  const v = numberOf('V') ?? 0;
  const r = numberOf('R') ?? 0;
  const o = bytesOf('O');
  const u = bytesOf('U');
  const p = numberOf('P');
  if (!o || !u || p === undefined) return undefined;
  const method = streamMethod(v, get('CF'), get('StmF'), resolve);
  if (method === undefined) return undefined;
  if (method === 'none') return { stream: (data) => data };

  if (r >= 5) {
    const ue = bytesOf('UE');
    if (!ue || ue.length < 32 || u.length < 48) return undefined;
    const hash = (salt: Buffer): Buffer => (r === 5 ? sha('sha256', salt) : hash2B(salt));
    if (!hash(u.subarray(32, 40)).equals(u.subarray(0, 32))) return undefined;
    const intermediate = hash(u.subarray(40, 48));
    const decipher = createDecipheriv('aes-256-cbc', intermediate, Buffer.alloc(16));
    decipher.setAutoPadding(false);
    const fileKey = Buffer.concat([decipher.update(ue.subarray(0, 32)), decipher.final()]);
    return { stream: (data) => aesDecrypt('aes-256-cbc', fileKey, data) };
  }

  // R2–R4: Algorithm 2 (file key), Algorithms 4/5 (is the empty string the user password?).
  const length = r === 2 ? 5 : Math.min(Math.max((numberOf('Length') ?? 40) / 8, 5), 16);
  const encryptMetadata = get('EncryptMetadata') !== false;
  const pBytes = Buffer.alloc(4);
  pBytes.writeInt32LE(p | 0);
  let key = md5(
    PAD,
    o.subarray(0, 32),
    pBytes,
    fileId,
    r >= 4 && !encryptMetadata ? Buffer.from([255, 255, 255, 255]) : Buffer.alloc(0),
  );
  if (r >= 3) for (let i = 0; i < 50; i++) key = md5(key.subarray(0, length));
  key = key.subarray(0, length);
  if (r === 2) {
    if (!rc4(key, PAD).equals(u.subarray(0, 32))) return undefined;
  } else {
    let x = rc4(key, md5(PAD, fileId));
    for (let i = 1; i <= 19; i++) x = rc4(Buffer.from(key.map((b) => b ^ i)), x);
    if (!x.equals(u.subarray(0, 16))) return undefined;
  }
  return {
    // Algorithm 1: each object has its own key derived from the file key and its number.
    stream: (data, num, gen) => {
      const salt = method === 'aes128' ? Buffer.from('sAlT', 'latin1') : Buffer.alloc(0);
      const id = Buffer.from([
        num & 0xff,
        (num >> 8) & 0xff,
        (num >> 16) & 0xff,
        gen & 0xff,
        (gen >> 8) & 0xff,
      ]);
      const objectKey = md5(key, id, salt).subarray(0, Math.min(length + 5, 16));
      return method === 'aes128' ? aesDecrypt('aes-128-cbc', objectKey, data) : rc4(objectKey, data);
    },
  };
}

/** V1/V2 are RC4; V4/V5 name a crypt filter (`/StmF`) whose `/CFM` says the cipher. */
function streamMethod(
  v: number,
  cf: PdfValue | undefined,
  stmF: PdfValue | undefined,
  resolve: (v: PdfValue | undefined) => PdfValue | undefined,
): Method | undefined {
  if (v === 1 || v === 2) return 'rc4';
  if (v !== 4 && v !== 5) return undefined;
  const filterName = stmF instanceof PdfName ? stmF.name : 'Identity';
  if (filterName === 'Identity') return 'none';
  const filters = cf instanceof Map ? cf : undefined;
  const filter = resolve(filters?.get(filterName));
  const cfm = filter instanceof Map ? resolve(filter.get('CFM')) : undefined;
  switch (cfm instanceof PdfName ? cfm.name : 'None') {
    case 'V2':
      return 'rc4';
    case 'AESV2':
      return 'aes128';
    case 'AESV3':
      return 'aes256';
    case 'None':
      return 'none';
    default:
      return undefined;
  }
}

/** Algorithm 2.B (R6) for the empty password and no user data. */
function hash2B(salt: Buffer): Buffer {
  let k = sha('sha256', salt);
  let e = Buffer.alloc(0);
  for (let i = 0; i < 64 || e[e.length - 1]! > i - 32; i++) {
    const k1 = Buffer.concat(Array.from({ length: 64 }, () => k));
    const cipher = createCipheriv('aes-128-cbc', k.subarray(0, 16), k.subarray(16, 32));
    cipher.setAutoPadding(false);
    e = Buffer.concat([cipher.update(k1), cipher.final()]);
    let sum = 0;
    for (let j = 0; j < 16; j++) sum += e[j]!;
    k = sha(['sha256', 'sha384', 'sha512'][sum % 3]!, e);
  }
  return k.subarray(0, 32);
}

function aesDecrypt(algorithm: 'aes-128-cbc' | 'aes-256-cbc', key: Buffer, data: Uint8Array): Uint8Array {
  // A damaged stream (wrong length, truncated file) yields nothing rather than failing the file.
  if (data.length < 32 || data.length % 16 !== 0) return new Uint8Array(0);
  const decipher = createDecipheriv(algorithm, key, data.subarray(0, 16));
  decipher.setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]);
  // PKCS#7 padding; a damaged pad is left alone rather than failing the stream.
  const pad = plain[plain.length - 1]!;
  return pad >= 1 && pad <= 16 ? plain.subarray(0, plain.length - pad) : plain;
}

function rc4(key: Uint8Array, data: Uint8Array): Buffer {
  const s = new Uint8Array(256);
  for (let i = 0; i < 256; i++) s[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = Buffer.alloc(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + s[i]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[n] = data[n]! ^ s[(s[i]! + s[j]!) & 0xff]!;
  }
  return out;
}

function md5(...parts: Uint8Array[]): Buffer {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return h.digest();
}

function sha(algorithm: string, data: Uint8Array): Buffer {
  return createHash(algorithm).update(data).digest();
}
