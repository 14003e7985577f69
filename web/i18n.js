// UI text in Chinese and English. Every string an agent reads lives in one of these two files,
// key for key.
import { EN } from './i18n/en.js';
import { ZH } from './i18n/zh-CN.js';

export const TEXT = { 'zh-CN': ZH, en: EN };
