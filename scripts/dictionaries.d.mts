/** The merged dashboard dictionary of `lang`: web/src/i18n/<lang>.json plus the area files. */
export function mergedDictionary(root: string, lang: 'en' | 'zh'): Record<string, string>;
