/**
 * Emoji helpers shared by the storage-format and ADF converters.
 *
 * Confluence and Jira describe an emoji by an id (hex code points joined by `-`, e.g. `1f44d` or
 * `1f468-200d-1f4bb`), a short name (`:thumbsup:`) and, in storage format, a fallback. Legacy
 * Confluence emoticons (`<ac:emoticon ac:name="tick"/>`) only carry a name from a fixed set.
 */

/** The legacy Confluence emoticon names, rendered as the emoji the editor shows for them. */
const LEGACY_EMOTICONS: Readonly<Record<string, string>> = {
  smile: '🙂',
  sad: '🙁',
  cheeky: '😛',
  laugh: '😀',
  wink: '😉',
  'thumbs-up': '👍',
  'thumbs-down': '👎',
  information: 'ℹ️',
  tick: '✅',
  cross: '❌',
  warning: '⚠️',
  plus: '➕',
  minus: '➖',
  question: '❓',
  'light-on': '💡',
  'light-off': '💡',
  'yellow-star': '⭐',
  'red-star': '⭐',
  'green-star': '⭐',
  'blue-star': '⭐',
  heart: '❤️',
  'broken-heart': '💔',
};

/** `1f468-200d-1f4bb` -> 👨‍💻; undefined when the id is not a code point sequence (custom emoji). */
export function emojiFromId(id: string | undefined): string | undefined {
  if (!id || !/^[0-9a-f]{2,6}(-[0-9a-f]{2,6})*$/i.test(id)) return undefined;
  const points = id.split('-').map((h) => parseInt(h, 16));
  if (points.some((p) => p > 0x10ffff || (p >= 0xd800 && p <= 0xdfff))) return undefined;
  return String.fromCodePoint(...points);
}

export function legacyEmoticon(name: string | undefined): string | undefined {
  return name ? LEGACY_EMOTICONS[name] : undefined;
}
