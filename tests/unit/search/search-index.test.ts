import { describe, expect, it } from 'vitest';
import { switchLayout } from '../../../server/modules/search/keyboard-layout.js';
import { SearchIndex } from '../../../server/modules/search/search-index.js';

function catalog() {
  const index = new SearchIndex();
  index.upsert({ id: 'p1', kind: 'product', title: 'Газонокосилка бензиновая Stiga Combi 48', codes: ['ST-48-COMBI', '4607001234567'], text: 'Stiga Газонокосилки' });
  index.upsert({ id: 'p2', kind: 'product', title: 'Нож для газонокосилки 48 см', codes: ['KN-48'], text: 'Запчасти' });
  index.upsert({ id: 'p3', kind: 'product', title: 'Дорожка резиновая', codes: ['DR-1'], text: 'Аксессуары' });
  index.upsert({ id: 'p4', kind: 'product', title: 'Триммер электрический Привет 300', codes: ['TR-300'] });
  index.upsert({ id: 'p5', kind: 'product', title: 'Снегоуборщик старый', codes: ['OLD-1'], onSale: false });
  index.upsert({ id: 'o1', kind: 'order', title: 'Заказ DH-000123', codes: ['DH-000123'] });
  return index;
}

describe('search index', () => {
  it('when a keyboard layout is switched, then standard key positions map both ways', () => {
    expect(switchLayout('ghbdtn')).toBe('привет');
    expect(switchLayout('ljhj')).toBe('доро');
    expect(switchLayout('руддщ')).toBe('hello');
  });

  it('when two letters are typed, then words starting with them are suggested', () => {
    const { hits } = catalog().search('га');
    expect(hits.map((h) => h.doc.id)).toEqual(expect.arrayContaining(['p1', 'p2']));
    expect(hits[0]?.match).toBe('prefix');
  });

  it('when the query was typed on the wrong layout, then it is corrected and still finds the goods', () => {
    const index = catalog();
    const road = index.search('ljhj');
    expect(road.correctedQuery).toBe('доро');
    expect(road.hits[0]?.doc.id).toBe('p3');
    const hello = index.search('ghbdtn');
    expect(hello.correctedQuery).toBe('привет');
    expect(hello.hits[0]?.doc.id).toBe('p4');
  });

  it('when a word has a typo, then the fuzzy match still finds it', () => {
    const { hits } = catalog().search('газанакосилка');
    expect(hits.map((h) => h.doc.id)).toContain('p1');
    expect(hits.find((h) => h.doc.id === 'p1')?.match).toBe('fuzzy');
  });

  it('when an SKU or barcode is typed with or without separators, then the exact product comes first', () => {
    const index = catalog();
    expect(index.search('st48combi').hits[0]?.doc.id).toBe('p1');
    expect(index.search('4607001234567').hits[0]).toMatchObject({ match: 'code', doc: { id: 'p1' } });
    expect(index.search('KN-4').hits[0]?.doc.id).toBe('p2');
  });

  it('when several words are typed, then every word must match', () => {
    const { hits } = catalog().search('нож 48');
    expect(hits.map((h) => h.doc.id)).toEqual(['p2']);
  });

  it('when goods are not on sale, then they are hidden unless asked for', () => {
    const index = catalog();
    expect(index.search('снегоуборщик').hits).toEqual([]);
    expect(index.search('снегоуборщик', { includeNotOnSale: true }).hits[0]?.doc.id).toBe('p5');
  });

  it('when the kind filter is set, then orders are found by number and products are left out', () => {
    const { hits } = catalog().search('DH-000123', { kinds: ['order'] });
    expect(hits.map((h) => h.doc.id)).toEqual(['o1']);
  });

  it('when a document is updated or removed, then the index forgets its old words', () => {
    const index = catalog();
    index.upsert({ id: 'p3', kind: 'product', title: 'Коврик резиновый', codes: ['DR-1'] });
    expect(index.search('дорожка').hits).toEqual([]);
    expect(index.search('коврик').hits[0]?.doc.id).toBe('p3');
    index.remove('p3');
    expect(index.search('коврик').hits).toEqual([]);
    expect(index.size).toBe(5);
  });
});
