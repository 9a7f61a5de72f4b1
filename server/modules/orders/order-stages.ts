import { SMART_PROCESSES, type LangText } from '../../../installer/manifest.js';

/** The Orders pipeline as the manifest defines it (installer/manifest.ts): keys in pipeline order, names, colours. */
const ORDERS = SMART_PROCESSES.find((s) => s.key === 'orders')!;

export const ORDER_STAGE_KEYS = ORDERS.stages.map((s) => s.key);
export type OrderStageKey = (typeof ORDER_STAGE_KEYS)[number];

export const DELIVERY_METHODS = ORDERS.fields.find((f) => f.key === 'deliveryMethod')!.options!.map((o) => o.xmlId) as [string, ...string[]];

export interface StageView {
  key: string;
  name: string;
  color: string;
  semantics: 'P' | 'S' | 'F';
}

export function stageView(key: string, lang: 'ru' | 'en'): StageView {
  const s = ORDERS.stages.find((x) => x.key === key);
  return s ? { key, name: s.name[lang], color: s.color, semantics: s.semantics } : { key, name: key, color: '#A8ADB4', semantics: 'P' };
}

export function deliveryMethodLabel(key: string, lang: 'ru' | 'en'): string {
  const o = ORDERS.fields.find((f) => f.key === 'deliveryMethod')!.options!.find((x) => x.xmlId === key);
  return o ? (o.label as LangText)[lang] : key;
}

/** A stage later in the pipeline than another (cancelled counts as final, never "before" anything). */
export function isLaterStage(a: string, b: string): boolean {
  if (b === 'cancelled' || b === 'delivered') return false;
  if (a === 'cancelled') return true;
  return ORDER_STAGE_KEYS.indexOf(a) > ORDER_STAGE_KEYS.indexOf(b);
}
