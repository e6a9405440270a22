/**
 * Bytes of a "text" attachment -> string. Attachments carry no reliable charset: honour a BOM
 * (UTF-8, UTF-16 LE/BE), else take UTF-8 when the bytes are valid UTF-8, else Windows-1252,
 * which is what legacy "Latin-1" files on Windows and older Macs mostly are (and which, unlike
 * ISO-8859-1, maps 0x80–0x9F to the quotes and dashes those files contain).
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return new TextDecoder('utf-8').decode(bytes.subarray(3));
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}
