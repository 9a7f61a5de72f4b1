import type { B24Frame } from '@bitrix24/b24jssdk';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { anchorDialogsToClicks } from './dialog-anchor.js';

/**
 * The official SDK frame (B24Frame) for portal UI actions: resize, title, navigation, chat. Outside a Bitrix24 frame
 * (the standalone /cabinet) there is no parent window and these actions quietly do nothing.
 */
export interface FrameActions {
  frame: B24Frame | null;
  setTitle(title: string): void;
  openPath(path: string): void;
  openChat(userId: number): void;
  /** The portal's own employee picker (BX24 selectUsers); null outside a frame, where the caller offers its own list. */
  selectUsers: (() => Promise<Array<{ id: number; name: string }>>) | null;
}

const noop: FrameActions = { frame: null, setTitle: (t) => void (document.title = t), openPath: (p) => void window.open(p, '_blank'), openChat: () => {}, selectUsers: null };
const FrameContext = createContext<FrameActions>(noop);

export const isInsideBitrix24Frame = () => typeof window !== 'undefined' && window.name.split('|').length >= 3;

export function FrameProvider({ children, minHeight = 0 }: { children: ReactNode; minHeight?: number }) {
  const [actions, setActions] = useState<FrameActions>(noop);
  useEffect(() => {
    if (!isInsideBitrix24Frame()) return;
    const releaseDialogs = anchorDialogsToClicks();
    let observer: ResizeObserver | undefined;
    let cancelled = false;
    // The SDK loads beside the page, not before it: the widget shows its data while the frame handshake runs.
    import('@bitrix24/b24jssdk')
      .then(({ initializeB24Frame }) => initializeB24Frame())
      .then((frame) => {
        if (cancelled) return;
        // The body's height, not the root's: the root's scrollHeight is never less than the frame itself, so a tab
        // whose content got shorter (a row collapsed, a notice closed) would keep its old height and a blank tail.
        // As the SDK's resizeWindowAuto, the larger of the body's scroll and offset heights: content that overflows
        // the body (a last child's margin, an absolutely placed footer) still fits, and nothing is cut off.
        const fit = () => {
          const body = document.body;
          const height = Math.max(minHeight, body.scrollHeight, body.offsetHeight, Math.ceil(body.getBoundingClientRect().height));
          void frame.parent.resizeWindow(document.documentElement.scrollWidth, height).catch(() => {});
        };
        observer = new ResizeObserver(fit);
        observer.observe(document.body);
        fit();
        setActions({
          frame,
          setTitle: (title) => void frame.parent.setTitle(title).catch(() => {}),
          openPath: (path) => void frame.slider.openPath(frame.slider.getUrl(path)).catch(() => {}),
          openChat: (userId) => void frame.parent.imOpenMessenger(userId).catch(() => {}),
          selectUsers: async () => (await frame.dialog.selectUsers()).map((u) => ({ id: Number(u.id), name: u.name })),
        });
        document.documentElement.dataset.b24Frame = 'ready';
      })
      .catch(() => {
        document.documentElement.dataset.b24Frame = 'unavailable';
      });
    return () => {
      cancelled = true;
      observer?.disconnect();
      releaseDialogs();
    };
  }, [minHeight]);
  return <FrameContext.Provider value={actions}>{children}</FrameContext.Provider>;
}

export const useFrame = () => useContext(FrameContext);
