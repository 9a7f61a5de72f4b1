/**
 * Dialogs where the person is looking. A Bitrix24 frame grows to its content (a catalog of tiles is thousands of
 * pixels tall) and the portal page scrolls instead of the frame, so a dialog centred in the frame opens far away
 * from the tile that was clicked, off screen. In a tall frame, dialogs open a little above the last click; in a frame
 * that fits the screen they stay centred. The theme reads the two CSS variables set here (theme.ts, MuiDialog).
 */
/** A frame this many screens tall counts as tall (the portal page, not the frame, is what the person scrolls). */
const TALL_FACTOR = 2;
/** How far above the click the dialog's top goes: the clicked thing stays in view under the dialog's title. */
const ABOVE_CLICK_PX = 160;
/** Room a dialog gets below its top before the end of the frame (at most a screen). */
const dialogRoom = (screen: number) => Math.min(900, screen);

export function anchorDialogsToClicks(doc: Document = document, screenHeight = () => window.screen.availHeight || 800): () => void {
  const root = doc.documentElement;
  const onPointer = (e: PointerEvent) => {
    const height = root.scrollHeight;
    const screen = screenHeight();
    if (height <= screen * TALL_FACTOR) {
      root.style.removeProperty('--dh-dialog-align');
      root.style.removeProperty('--dh-dialog-top');
      return;
    }
    const top = Math.max(16, Math.min(e.pageY - ABOVE_CLICK_PX, height - dialogRoom(screen)));
    root.style.setProperty('--dh-dialog-align', 'flex-start');
    root.style.setProperty('--dh-dialog-top', `${Math.round(top)}px`);
  };
  doc.addEventListener('pointerdown', onPointer, { capture: true });
  return () => doc.removeEventListener('pointerdown', onPointer, { capture: true });
}
