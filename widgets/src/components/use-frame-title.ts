import { useEffect } from 'react';
import { useFrame } from '../shell/frame.js';

/** Sets the portal's title for the widget (B24Frame setTitle) once the title is known. */
export function useFrameTitle(title: string | null | undefined): void {
  const { setTitle } = useFrame();
  useEffect(() => {
    if (title) setTitle(title);
  }, [title, setTitle]);
}
