/**
 * Excel sheet names: at most 31 characters, none of `[]:*?/\`, not starting or ending with an apostrophe,
 * unique ignoring case (Excel refuses to open a workbook that breaks any of these). `History` is reserved.
 */
const MAX = 31;

/** The longest prefix of whole code points that fits `max` UTF-16 units (Excel's count). */
function clip(text: string, max: number): string {
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out;
}

/** A valid, unique sheet name from a heading; `taken` (lower-cased names) is updated. */
export function uniqueSheetName(heading: string, taken: Set<string>, fallback: string): string {
  const cleaned = heading
    .replace(/[[\]:*?/\\]/g, ' ')
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^'+|'+$/g, '')
    .trim();
  let base = clip(cleaned, MAX).trim() || fallback;
  if (base.toLowerCase() === 'history') base = `${base} 1`;
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n++) {
    const suffix = ` (${n})`;
    name = clip(base, MAX - suffix.length).trimEnd() + suffix;
  }
  taken.add(name.toLowerCase());
  return name;
}
