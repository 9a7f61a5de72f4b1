/**
 * The shell remembers the chosen legal entity and the act-as choice for the browser tab (sessionStorage): a reload
 * of the frame keeps them, a new tab or a new session starts clean. Storage can be unavailable (privacy modes).
 */
export function readMemory<T>(key: string): T | null {
  try {
    const raw = window.sessionStorage.getItem(`dealerhub.cabinet.${key}`);
    return raw === null ? null : (JSON.parse(raw) as T);
  } catch {
    return null;
  }
}

export function writeMemory(key: string, value: unknown): void {
  try {
    if (value === null || value === undefined) window.sessionStorage.removeItem(`dealerhub.cabinet.${key}`);
    else window.sessionStorage.setItem(`dealerhub.cabinet.${key}`, JSON.stringify(value));
  } catch {
    // Without storage the choice lasts until the frame reloads.
  }
}
