import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSmtpUrl, recipientsOf, sendMail } from '../../../server/modules/notifications/index.js';
import { smtpServer } from '../../support/smtp-server.js';
import type { DealerLegalEntity, DealerUser } from '../../../server/modules/dealers/index.js';

describe('SMTP e-mail channel', () => {
  let close: (() => void) | null = null;
  afterEach(() => close?.());

  it('when SMTP_URL is given, then it parses into host, port, sender and auth; without ?from it is refused', () => {
    expect(parseSmtpUrl('smtps://u%40x:p%21@mail.example.ru:465?from=noreply@example.ru')).toMatchObject({ secure: true, host: 'mail.example.ru', port: 465, user: 'u@x', password: 'p!', from: 'noreply@example.ru' });
    expect(parseSmtpUrl('')).toBeNull();
    expect(() => parseSmtpUrl('smtp://mail.example.ru')).toThrow(/from/);
    expect(() => parseSmtpUrl('http://mail.example.ru?from=a@b.ru')).toThrow(/smtp/);
  });

  it('when a message is sent, then the server gets AUTH, envelope, an encoded subject and a dot-stuffed body', async () => {
    const fake = smtpServer();
    await new Promise<void>((r) => fake.server.listen(0, '127.0.0.1', r));
    close = () => fake.server.close();
    const port = (fake.server.address() as AddressInfo).port;
    const settings = parseSmtpUrl(`smtp://dh:secret@127.0.0.1:${port}?from=noreply@dealerhub.local`)!;
    await sendMail(settings, { to: 'buyer@example.ru', subject: 'Заказ DH-000001: отгружен', text: 'Строка 1\n.точка в начале' });
    expect(fake.seen).toEqual(expect.arrayContaining(['MAIL FROM:<noreply@dealerhub.local>', 'RCPT TO:<buyer@example.ru>', 'DATA', 'QUIT']));
    expect(fake.seen.find((l) => l.startsWith('AUTH PLAIN'))).toBe(`AUTH PLAIN ${Buffer.from('\0dh\0secret').toString('base64')}`);
    expect(fake.data()).toContain(`Subject: =?UTF-8?B?${Buffer.from('Заказ DH-000001: отгружен').toString('base64')}?=`);
    expect(fake.data()).toContain('\n..точка в начале\n');
  });

  it('when the server refuses the recipient, then sending rejects with the server text', async () => {
    const fake = smtpServer({ rejectRcpt: true });
    await new Promise<void>((r) => fake.server.listen(0, '127.0.0.1', r));
    close = () => fake.server.close();
    const settings = parseSmtpUrl(`smtp://127.0.0.1:${(fake.server.address() as AddressInfo).port}?from=a@b.ru`)!;
    await expect(sendMail(settings, { to: 'x@y.ru', subject: 's', text: 't' })).rejects.toThrow(/550 no such user/);
  });

  it('when recipients are chosen, then switched-off kinds, inactive users and other legal entities are left out', () => {
    const user = (id: number, patch: Partial<DealerUser> = {}): DealerUser => ({ id, portalId: 1, dealerId: 1, b24UserId: 100 + id, contactId: null, name: `u${id}`, email: null, role: 'dealer_buyer', grants: [], legalEntityIds: [], notificationSettings: {}, active: true, ...patch });
    const entities: DealerLegalEntity[] = [
      { id: 1, dealerId: 1, companyId: 10, name: 'A', inn: null, kpp: null, erpCustomerId: null, isMain: true },
      { id: 2, dealerId: 1, companyId: 20, name: 'B', inn: null, kpp: null, erpCustomerId: null, isMain: false },
    ];
    const users = [user(1), user(2, { notificationSettings: { order_status: false } }), user(3, { active: false }), user(4, { legalEntityIds: [2] }), user(5, { legalEntityIds: [1] })];
    expect(recipientsOf(users, entities, { kind: 'order_status', companyId: 10 }).map((u) => u.id)).toEqual([1, 5]);
    expect(recipientsOf(users, entities, { kind: 'order_changed', companyId: 20 }).map((u) => u.id)).toEqual([1, 2, 4]);
    expect(recipientsOf(users, entities, { kind: 'goods_arrived', companyId: 10, onlyUserId: 105 }).map((u) => u.id)).toEqual([5]);
  });
});
