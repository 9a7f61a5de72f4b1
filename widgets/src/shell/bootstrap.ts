/**
 * What the placement handler puts into the page (a JSON <script id="dh-bootstrap">): the signed widget session and
 * the context of the card the widget was opened in. Never tokens of Bitrix24 itself.
 */
export interface WidgetBootstrap {
  session: string;
  lang: string;
  widget: string;
  placement: string;
  placementOptions: Record<string, unknown>;
  user: { id: number; name: string; role: string; dealerId?: number | null };
  portal: { domain: string; memberId: string };
  /** Set when a manager acts as a dealer user: shown as a banner on every page. */
  actingAs?: { userId: number; name: string } | null;
}

export function readBootstrap(doc: Document = document): WidgetBootstrap {
  const el = doc.getElementById('dh-bootstrap');
  if (!el?.textContent) throw new Error('DealerHub widget opened without its bootstrap data');
  return JSON.parse(el.textContent) as WidgetBootstrap;
}
