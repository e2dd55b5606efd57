/**
 * Fonts for the PDF. PDFKit's built-in Helvetica covers only Windows-1252 (Western European), and reports
 * carry Chinese labels (reason names such as 价格), so we embed a CJK font when one is on the machine. Fonts
 * are never downloaded: a report must print offline.
 *
 * Where the font comes from, in order:
 * 1. `RETAIN_PDF_FONT`: a .ttf, .otf or .ttc file; used for all text. A path that cannot be read as a font
 *    is a UserError (the user asked for it by name).
 * 2. The first usable CJK font in the common system places (`SYSTEM_CJK_FONTS`: Noto Sans CJK, WenQuanYi,
 *    Droid Sans Fallback, AR PL on Linux; PingFang, Hiragino, STHeiti, Arial Unicode on macOS; Microsoft
 *    YaHei, SimHei, SimSun on Windows); used only for text Helvetica cannot draw, so Latin text looks the
 *    same on every machine. On Debian/Ubuntu: `apt-get install fonts-noto-cjk` (or the smaller
 *    `fonts-wqy-microhei` / `fonts-droid-fallback`).
 * 3. None: Helvetica everywhere, characters it cannot draw replaced by '?'. The PDF is still written.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as fontkit from 'fontkit';
import { UserError } from '../util/errors.js';

export const PDF_FONT_ENV = 'RETAIN_PDF_FONT';

/** Common CJK font files, Linux (Debian/Ubuntu, Fedora, Arch) first, then macOS, then Windows. */
export function systemCjkFonts(env: NodeJS.ProcessEnv = process.env): string[] {
  const windir = env.WINDIR ?? env.SystemRoot ?? 'C:\\Windows';
  return [
    '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
    '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
    '/usr/share/fonts/google-noto-sans-cjk-fonts/NotoSansCJK-Regular.ttc',
    '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc',
    '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
    '/usr/share/fonts/wqy-microhei/wqy-microhei.ttc',
    '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc',
    '/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc',
    '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf',
    '/usr/share/fonts/google-droid-sans-fonts/DroidSansFallbackFull.ttf',
    '/usr/share/fonts/truetype/arphic/uming.ttc',
    '/System/Library/Fonts/PingFang.ttc',
    '/System/Library/Fonts/Hiragino Sans GB.ttc',
    '/System/Library/Fonts/STHeiti Light.ttc',
    '/System/Library/Fonts/Supplemental/Arial Unicode.ttf',
    '/Library/Fonts/Arial Unicode.ttf',
    join(windir, 'Fonts', 'msyh.ttc'),
    join(windir, 'Fonts', 'simhei.ttf'),
    join(windir, 'Fonts', 'simsun.ttc'),
  ];
}

/** A font file ready for PDFKit's `registerFont(name, data, postscriptName)`. */
export interface LoadedFont {
  readonly path: string;
  readonly data: Buffer;
  /** The face to take out of a collection (.ttc); undefined for a single font. */
  readonly postscriptName: string | undefined;
}

export interface PdfFontChoice {
  readonly regular: LoadedFont;
  /** A bold face of the same family when there is one (Noto Sans CJK has; most others do not). */
  readonly bold: LoadedFont | null;
  /** True: draw all text with it (the user chose it). False: only text Helvetica cannot draw. */
  readonly forAll: boolean;
}

const PROBE = 0x4ef7; // 价, a character every Chinese font has

const cache = new Map<string, LoadedFont | null>();

/**
 * Open a font file, choosing in a collection the Simplified Chinese face when there is one (Noto's .ttc
 * holds JP, KR, SC, TC and HK faces of the same glyph set with regional glyph shapes).
 */
export function loadFont(path: string, needCjk: boolean): LoadedFont | null {
  const key = `${path}\0${needCjk}`;
  if (cache.has(key)) return cache.get(key)!;
  let loaded: LoadedFont | null = null;
  try {
    const data = readFileSync(path);
    const opened = fontkit.create(data);
    const faces = 'fonts' in opened ? opened.fonts : [opened];
    const usable = faces.filter((f) => !needCjk || f.hasGlyphForCodePoint(PROBE));
    const face =
      usable.find(
        (f) => /(CJKsc|SC|GB|Hans)(-|$)/.test(f.postscriptName) && !/Mono/.test(f.postscriptName),
      ) ??
      usable.find((f) => !/Mono/.test(f.postscriptName)) ??
      usable[0];
    if (face) loaded = { path, data, postscriptName: 'fonts' in opened ? face.postscriptName : undefined };
  } catch {
    loaded = null;
  }
  cache.set(key, loaded);
  return loaded;
}

/**
 * The font the PDF writer embeds, or null for Helvetica only. `env` and `candidates` are parameters so
 * the search can be tested; callers pass nothing.
 */
export function findPdfFont(
  env: NodeJS.ProcessEnv = process.env,
  candidates: readonly string[] = systemCjkFonts(env),
): PdfFontChoice | null {
  const chosen = env[PDF_FONT_ENV]?.trim();
  if (chosen) {
    const regular = existsSync(chosen) ? loadFont(chosen, false) : null;
    if (!regular) {
      throw new UserError(
        `${PDF_FONT_ENV}=${chosen}: not a readable TrueType/OpenType font (.ttf, .otf, .ttc)`,
      );
    }
    return { regular, bold: null, forAll: true };
  }
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    const regular = loadFont(path, true);
    if (!regular) continue;
    const boldPath = path.replace('Regular', 'Bold');
    const bold = boldPath !== path && existsSync(boldPath) ? loadFont(boldPath, true) : null;
    return { regular, bold, forAll: false };
  }
  return null;
}

/** Characters of Windows-1252 beyond Latin-1, which PDFKit's standard fonts also draw. */
const WIN_ANSI_EXTRA = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';

function isWinAnsi(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff) || WIN_ANSI_EXTRA.includes(ch);
}

/** True when Helvetica can draw every character of the text. */
export function helveticaCanDraw(text: string): boolean {
  for (const ch of text) if (!isWinAnsi(ch)) return false;
  return true;
}

/** The text with every character Helvetica cannot draw replaced by '?' (line breaks and tabs become spaces). */
export function toHelvetica(text: string): string {
  let out = '';
  for (const ch of text) out += isWinAnsi(ch) ? ch : /\s/.test(ch) ? ' ' : '?';
  return out;
}
