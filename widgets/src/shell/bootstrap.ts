/**
 * What the placement handler puts into the page (a JSON <script id="dh-bootstrap">): the signed widget session and
 * the context of the card the widget was opened in. Never tokens of Bitrix24 itself.
 */
export interface WidgetBootstrap {
  session: string;
  /** Unix seconds; after it every /api call answers 401 and the widget asks to reopen the tab. */
  sessionExpiresAt?: number;
  lang: string;
  widget: string;
  placement: string;
  placementOptions: Record<string, unknown>;
  user: { id: number; name: string; role: string; dealerId?: number | null };
  /** Permission codes of the user's role and grants (server/modules/access/roles.ts), to hide what the API would refuse. */
  permissions?: string[];
  /** The dealer of a dealer user (never of someone else). */
  dealer?: { itemId: number; title: string } | null;
  portal: { domain: string; memberId: string; origin?: string };
  /** Set when a manager acts as a dealer user: shown as a banner on every page. */
  actingAs?: { userId: number; name: string } | null;
}

export function readBootstrap(doc: Document = document): WidgetBootstrap {
  const el = doc.getElementById('dh-bootstrap');
  if (!el?.textContent) throw new Error('DealerHub widget opened without its bootstrap data');
  return JSON.parse(el.textContent) as WidgetBootstrap;
}
