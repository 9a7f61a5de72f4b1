import { describe, expect, it } from 'vitest';
import { injectBootstrap, scriptJson } from '../../../server/modules/portals/install-page.js';

describe('install page bootstrap', () => {
  it('when the bootstrap holds markup-like text, then it cannot end the script element or open a comment', () => {
    const json = scriptJson({ domain: '</script><script>alert(1)</script>', note: '<!-- & \u2028' });
    expect(json).not.toMatch(/<|>|&|\u2028/);
    expect(JSON.parse(json)).toEqual({ domain: '</script><script>alert(1)</script>', note: '<!-- & \u2028' });
  });

  it('when injected into the built page, then it sits in <head> before the module runs and the language is set', () => {
    const html = '<!doctype html><html lang="ru"><head><script type="module" src="/widgets/assets/install.js"></script></head><body><div id="root"></div></body></html>';
    const boot = { session: 'dh1.x.y', lang: 'en', widget: 'install' as const, placement: 'DEFAULT', placementOptions: {}, user: { id: 1, name: '', role: 'admin', dealerId: null }, portal: { domain: 'a.bitrix24.ru', memberId: 'm' } };
    const page = injectBootstrap(html, boot, 'en');
    expect(page).toContain('<html lang="en">');
    expect(page.indexOf('id="dh-bootstrap"')).toBeLessThan(page.indexOf('</head>'));
    const json = /<script id="dh-bootstrap" type="application\/json">([^<]*)<\/script>/.exec(page)![1]!;
    expect(JSON.parse(json)).toEqual(boot);
  });
});
