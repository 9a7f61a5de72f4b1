import { describe, expect, it } from 'vitest';
import { createDealersRepository, type DealerUpsert } from '../../server/modules/dealers/index.js';
import { STORAGE_BACKENDS, useMigratedDatabase } from '../support/databases.js';

const dealer = (portalId: number, b24ItemId: number, over: Partial<DealerUpsert> = {}): DealerUpsert => ({
  portalId, b24ItemId, title: `Дилер ${b24ItemId}`, stage: 'active', companyId: 100 + b24ItemId, erpCustomerId: `c-${b24ItemId}`, priceTypeErpId: 'pt-1',
  dealerGroup: 'A', city: 'Москва', region: null, creditLimit: '500000.00', currency: 'RUB', paymentTermDays: 30, blockOverLimit: true, blockOverdueDays: 10, managerUserId: 2, ...over,
});

describe.each(STORAGE_BACKENDS)('dealers repository on $name', ({ create }) => {
  const db = useMigratedDatabase(create);

  it('when a dealer item is upserted twice, then one row holds the latest values with the credit limit exact', async () => {
    const repo = createDealersRepository(db().sequelize);
    await repo.upsertFromItem(dealer(1, 7));
    const d = await repo.upsertFromItem(dealer(1, 7, { creditLimit: '1234567.89', title: 'ООО Альфа' }));
    expect(d).toMatchObject({ b24ItemId: 7, title: 'ООО Альфа', creditLimit: '1234567.89', blockOverLimit: true });
    expect((await repo.upsertFromItem(dealer(1, 8, { creditLimit: '500000.00' }))).creditLimit).toBe('500000.00');
    await repo.removeByItemId(1, 8);
    expect((await repo.list(1)).total).toBe(1);
  });

  it('when another portal has a dealer with the same item id, then each portal sees only its own', async () => {
    const repo = createDealersRepository(db().sequelize);
    await repo.upsertFromItem(dealer(2, 7, { title: 'Чужой' }));
    expect((await repo.findByItemId(1, 7))?.title).toBe('ООО Альфа');
    expect((await repo.findByItemId(2, 7))?.title).toBe('Чужой');
    const other = await repo.findByItemId(2, 7);
    expect(await repo.findById(1, other!.id)).toBeNull();
  });

  it('when legal entities are set, then the dealer is found by any of its companies', async () => {
    const repo = createDealersRepository(db().sequelize);
    const d = (await repo.findByItemId(1, 7))!;
    await repo.replaceLegalEntities(1, d.id, [
      { companyId: 107, name: 'ООО Альфа', inn: '7701234567', kpp: '770101001', erpCustomerId: 'c-7', isMain: true },
      { companyId: 900, name: 'ИП Альфин', inn: '770987654321', kpp: null, erpCustomerId: 'c-7b', isMain: false },
    ]);
    expect((await repo.findByCompanyId(1, 900)).map((x) => x.id)).toEqual([d.id]);
    expect((await repo.legalEntities(1, d.id)).map((e) => e.name)).toEqual(['ООО Альфа', 'ИП Альфин']);
  });

  it('when users join a dealer, then the first becomes head and later ones buyers; access can be changed', async () => {
    const repo = createDealersRepository(db().sequelize);
    const d = (await repo.findByItemId(1, 7))!;
    const head = await repo.upsertUser(1, { dealerId: d.id, b24UserId: 50, name: 'Иван Петров', email: 'ivan@alfa.ru' });
    const buyer = await repo.upsertUser(1, { dealerId: d.id, b24UserId: 51, name: 'Анна Смирнова' });
    expect([head.role, buyer.role]).toEqual(['dealer_head', 'dealer_buyer']);
    await repo.updateUserAccess(1, buyer.id, { grants: ['orders.read.company'], legalEntityIds: [1] });
    expect(await repo.findUser(1, 51)).toMatchObject({ grants: ['orders.read.company'], legalEntityIds: [1] });
    expect(await repo.findUser(2, 51)).toBeNull();
  });

  it('when a dealer item is deleted, then its users and legal entities go too', async () => {
    const repo = createDealersRepository(db().sequelize);
    const d = (await repo.findByItemId(1, 7))!;
    await repo.removeByItemId(1, 7);
    expect(await repo.findByItemId(1, 7)).toBeNull();
    expect(await repo.listUsers(1, d.id)).toEqual([]);
    expect(await repo.legalEntities(1, d.id)).toEqual([]);
  });
});
