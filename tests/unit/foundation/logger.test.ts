import { describe, expect, it } from 'vitest';
import { createLogger, scrubSecrets } from '../../../server/lib/logger.js';
import { LogCapture } from '../../support/context.js';

describe('logger redaction', () => {
  it('when objects carry tokens under any of the Bitrix24 names, then the output has none of them', () => {
    const out = new LogCapture();
    const log = createLogger('trace', out);
    log.info({ auth: { access_token: 'AT-123', application_token: 'APP-9' }, body: { AUTH_ID: 'AUTH-1', REFRESH_ID: 'REF-1' }, refresh_token: 'RT-1' }, 'event');
    log.info('calling https://p.bitrix24.ru/rest/crm.item.list?auth=AT-456&x=1 and https://p.bitrix24.ru/rest/1/abcdef123456/profile');
    for (const secret of ['AT-123', 'APP-9', 'AUTH-1', 'REF-1', 'RT-1', 'AT-456', 'abcdef123456']) expect(out.text).not.toContain(secret);
    expect(out.text).toContain('[redacted]');
  });

  it('when free text holds query-string secrets, then scrubSecrets blanks only the values', () => {
    expect(scrubSecrets('/install?DOMAIN=a&AUTH_ID=zzz&LANG=ru')).toBe('/install?DOMAIN=a&AUTH_ID=[redacted]&LANG=ru');
  });
});
