import type { Lang } from './labels.ts';

/** One text in both languages; `P` is what it needs to be rendered. */
export type Message<P> = Record<Lang, (p: P) => string>;

// biome-ignore lint/complexity/noBannedTypes: a message without parameters takes an empty object
export const msg = <P = {}>(zh: (p: P) => string, en: (p: P) => string): Message<P> => ({
  'zh-CN': zh,
  en,
});
