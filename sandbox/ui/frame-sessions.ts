import { randomHex } from '../core/random.js';
import type { PortalRuntime } from '../core/runtime.js';
import type { FrameSession } from './frame-protocol.js';

/**
 * Every rendered app frame gets a fresh APP_SID (widgets/_includes/widget_data.md: "Bitrix24 generates a new one each
 * time the widget is rendered"). The parent page and the command relay find the frame's session by it: which app,
 * which user, which placement, and which origin its messages must come from.
 */
export interface FrameRecord {
  session: FrameSession;
  /** Origin of the handler URL: messages from the iframe must carry it. */
  origin: string;
  createdAt: number;
}

const MAX_FRAMES = 5000;
const registries = new WeakMap<PortalRuntime, Map<string, FrameRecord>>();

function registry(rt: PortalRuntime): Map<string, FrameRecord> {
  let map = registries.get(rt);
  if (!map) {
    map = new Map();
    registries.set(rt, map);
  }
  return map;
}

export function openFrameSession(rt: PortalRuntime, input: Omit<FrameSession, 'appSid'> & { handlerUrl: string }): FrameRecord {
  const map = registry(rt);
  // Oldest first: a long demo keeps the most recent frames only.
  while (map.size >= MAX_FRAMES) map.delete(map.keys().next().value as string);
  const { handlerUrl, ...rest } = input;
  const record: FrameRecord = { session: { ...rest, appSid: randomHex(16) }, origin: new URL(handlerUrl).origin, createdAt: rt.clock.now() };
  map.set(record.session.appSid, record);
  return record;
}

export function findFrameSession(rt: PortalRuntime, appSid: unknown): FrameRecord | undefined {
  return typeof appSid === 'string' ? registry(rt).get(appSid) : undefined;
}
