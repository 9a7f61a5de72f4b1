import { describe, expect, it } from 'vitest';
import { jsonForScript, renderMessagePage, renderWidgetPage, type WidgetBootstrap } from '../../../placements/widget-page.js';

const boot = (options: Record<string, unknown>): WidgetBootstrap => ({
  session: 'dh1.x.y',
  sessionExpiresAt: 1,
  lang: 'en',
  widget: 'order-tab',
  placement: 'CRM_DYNAMIC_1036_DETAIL_TAB',
  placementOptions: options,
  user: { id: 1, name: 'A', role: 'manager', dealerId: null },
  permissions: [],
  dealer: null,
  portal: { domain: 'x.bitrix24.ru', memberId: 'm', origin: 'https://x.bitrix24.ru' },
  actingAs: null,
});

describe('widget page rendering', () => {
  const template = '<!doctype html>\n<html lang="ru">\n<head><title>DealerHub</title></head><body><div id="root"></div></body></html>';

  it('when PLACEMENT_OPTIONS carry markup, then it cannot leave the JSON script element and parses back unchanged', () => {
    const evil = { ID: '5', URI: '</script><script>alert(1)</script><!--', note: 'a & b > c \u2028' };
    const html = renderWidgetPage(template, boot(evil));
    expect(html).not.toContain('</script><script>');
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    const json = /<script id="dh-bootstrap" type="application\/json">([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(JSON.parse(json).placementOptions).toEqual(evil);
  });

  it('when a page is rendered, then the bootstrap sits in the head and the html lang follows the user', () => {
    const html = renderWidgetPage(template, boot({}));
    expect(html.indexOf('dh-bootstrap')).toBeLessThan(html.indexOf('</head>'));
    expect(html).toContain('<html lang="en"');
  });

  it('when a refusal page is rendered, then texts are escaped', () => {
    const html = renderMessagePage({ lang: 'ru', title: '<b>x</b>', message: '"quoted" & <i>' });
    expect(html).toContain('&#60;b&#62;x&#60;/b&#62;');
    expect(html).not.toContain('<i>');
  });

  it('when JSON is prepared for a script, then < > & and line separators are escaped', () => {
    expect(jsonForScript({ a: '<>&\u2028\u2029' })).toBe('{"a":"\\u003c\\u003e\\u0026\\u2028\\u2029"}');
  });
});

describe('widget language', () => {
  it('when the portal speaks a Russian-zone language, then Russian; any other, then English', async () => {
    const { uiLangOf } = await import('../../../placements/ui-lang.js');
    expect(['ru', 'ua', 'by', 'kz', undefined, ''].map(uiLangOf)).toEqual(['ru', 'ru', 'ru', 'ru', 'ru', 'ru']);
    expect(['en', 'de', 'pl', 'br'].map(uiLangOf)).toEqual(['en', 'en', 'en', 'en']);
  });
});
