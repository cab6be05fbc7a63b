import { enUS, type MessageKey } from './en-us.js';
import { zhCN } from './zh-cn.js';

export type { MessageKey } from './en-us.js';
export type Locale = 'en-US' | 'zh-CN';
export type MessageParams = Record<string, string | number>;

export const catalogues: Record<Locale, Record<MessageKey, string>> = { 'en-US': enUS, 'zh-CN': zhCN };

/** The interaction's locale when we speak it, else the server's, else en-US. */
export function resolveLocale(...candidates: Array<string | null | undefined>): Locale {
  for (const candidate of candidates) {
    if (candidate === 'zh-CN' || candidate === 'zh-TW') return 'zh-CN';
    if (candidate?.startsWith('en')) return 'en-US';
  }
  return 'en-US';
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(enUS, key);
}

export function translate(locale: string, key: MessageKey, params: MessageParams = {}): string {
  const template = catalogues[resolveLocale(locale)][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** Bytes as a short human size: 10.5 MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
