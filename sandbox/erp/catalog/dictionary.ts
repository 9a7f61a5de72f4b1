import type { Rng } from './prng.js';

/**
 * Reference data of a Russian manufacturer of garden and power tools and their spare parts (the kind of client in
 * ../shared/seeds: Stiga-like garden machinery sold through 100+ regional dealers). Everything here is vocabulary;
 * generate-catalog.ts combines it with the seeded random source.
 */

export type ProductKind = 'machine' | 'tool' | 'part' | 'consumable' | 'accessory';

export type PropertyKey =
  | 'powerW' | 'powerHp' | 'voltage' | 'weight' | 'color' | 'cutWidth' | 'tank' | 'engineType' | 'batteryAh'
  | 'warranty' | 'country' | 'material' | 'fits' | 'length' | 'diameter' | 'volume' | 'barLength' | 'chainPitch'
  | 'displacement';

export interface PropertySpec {
  name: string;
  gen(rng: Rng, series: string): string;
}

const dec1 = (rng: Rng, min: number, max: number) => (rng.int(min * 10, max * 10) / 10).toFixed(1);

export const PROPERTIES: Record<PropertyKey, PropertySpec> = {
  powerW: { name: 'Мощность, Вт', gen: (r) => String(r.pick([500, 650, 800, 1000, 1200, 1400, 1600, 1800, 2000, 2200, 2500])) },
  powerHp: { name: 'Мощность двигателя, л.с.', gen: (r) => dec1(r, 2, 15) },
  voltage: { name: 'Напряжение, В', gen: (r) => r.pick(['12', '18', '20', '36', '40', '56', '220']) },
  weight: { name: 'Вес, кг', gen: (r) => (r.int(5, 8000) / 100).toFixed(2) },
  color: { name: 'Цвет', gen: (r) => r.pick(['Оранжевый', 'Зелёный', 'Чёрный', 'Красный', 'Серый', 'Жёлтый', 'Синий']) },
  cutWidth: { name: 'Ширина скашивания, см', gen: (r) => String(r.pick([32, 36, 38, 41, 42, 46, 48, 51, 53, 56])) },
  tank: { name: 'Объём топливного бака, л', gen: (r) => dec1(r, 0, 7) },
  engineType: { name: 'Тип двигателя', gen: (r) => r.pick(['Бензиновый 4-тактный', 'Бензиновый 2-тактный', 'Электрический', 'Бесщёточный']) },
  batteryAh: { name: 'Ёмкость аккумулятора, А·ч', gen: (r) => r.pick(['2.0', '2.5', '4.0', '5.0', '6.0', '8.0']) },
  warranty: { name: 'Гарантия, мес', gen: (r) => r.pick(['6', '12', '24', '36']) },
  country: { name: 'Страна производства', gen: (r) => r.pick(['Россия', 'Китай', 'Швеция', 'Италия', 'Германия', 'Словакия']) },
  material: { name: 'Материал', gen: (r) => r.pick(['Сталь', 'Пластик', 'Резина', 'Алюминий', 'Нейлон']) },
  fits: { name: 'Применимость', gen: (_r, series) => `Серия ${series}` },
  length: { name: 'Длина, мм', gen: (r) => String(r.int(40, 1800)) },
  diameter: { name: 'Диаметр, мм', gen: (r) => r.pick(['1.6', '2.0', '2.4', '2.7', '3.0', '3.3', '8', '10', '12', '16', '20']) },
  volume: { name: 'Объём, л', gen: (r) => r.pick(['0.1', '0.6', '1', '4', '5', '20']) },
  barLength: { name: 'Длина шины, дюймов', gen: (r) => r.pick(['12', '14', '16', '18', '20']) },
  chainPitch: { name: 'Шаг цепи', gen: (r) => r.pick(['3/8"', '.325"', '3/8" LP', '1/4"']) },
  displacement: { name: 'Объём двигателя, см³', gen: (r) => String(r.pick([25, 33, 43, 52, 139, 163, 196, 224, 270, 420])) },
};

export const PROPERTY_KEYS = Object.keys(PROPERTIES) as PropertyKey[];

export interface LeafSpec {
  name: string;
  /** How an item name starts ("Газонокосилка бензиновая"). */
  noun: string;
  kind: ProductKind;
  /** Article prefix ("LM"). */
  sku: string;
  /** Base price range, roubles. */
  price: [number, number];
  /** Relative share of the SKUs. */
  share: number;
  props: PropertyKey[];
  /** Sold in packs of 6 or 12 as well as by the piece. */
  packs?: boolean;
}

export interface BranchSpec {
  name: string;
  leaves: LeafSpec[];
}

export interface RootSpec {
  name: string;
  branches: BranchSpec[];
}

const M: PropertyKey[] = ['weight', 'color', 'warranty', 'country'];
const P: PropertyKey[] = ['fits', 'material', 'weight'];

export const GROUP_TREE: RootSpec[] = [
  {
    name: 'Садовая техника',
    branches: [
      {
        name: 'Газонокосилки',
        leaves: [
          { name: 'Бензиновые газонокосилки', noun: 'Газонокосилка бензиновая', kind: 'machine', sku: 'LM', price: [18990, 89990], share: 3, props: ['powerHp', 'cutWidth', 'displacement', 'engineType', ...M] },
          { name: 'Электрические газонокосилки', noun: 'Газонокосилка электрическая', kind: 'machine', sku: 'EM', price: [7990, 29990], share: 2, props: ['powerW', 'voltage', 'cutWidth', ...M] },
          { name: 'Аккумуляторные газонокосилки', noun: 'Газонокосилка аккумуляторная', kind: 'machine', sku: 'BM', price: [14990, 64990], share: 2, props: ['voltage', 'batteryAh', 'cutWidth', ...M] },
          { name: 'Райдеры и садовые тракторы', noun: 'Трактор садовый', kind: 'machine', sku: 'TR', price: [189990, 749990], share: 1, props: ['powerHp', 'cutWidth', 'displacement', 'tank', ...M] },
        ],
      },
      {
        name: 'Триммеры и кусторезы',
        leaves: [
          { name: 'Бензиновые триммеры', noun: 'Триммер бензиновый', kind: 'machine', sku: 'BT', price: [6990, 32990], share: 2, props: ['powerHp', 'displacement', 'tank', 'engineType', ...M] },
          { name: 'Электрические триммеры', noun: 'Триммер электрический', kind: 'machine', sku: 'ET', price: [2490, 12990], share: 2, props: ['powerW', 'voltage', ...M] },
          { name: 'Кусторезы', noun: 'Кусторез', kind: 'machine', sku: 'HT', price: [4990, 27990], share: 1, props: ['powerW', 'length', ...M] },
        ],
      },
      {
        name: 'Культиваторы и мотоблоки',
        leaves: [
          { name: 'Культиваторы', noun: 'Культиватор', kind: 'machine', sku: 'CL', price: [14990, 79990], share: 1, props: ['powerHp', 'displacement', 'tank', ...M] },
          { name: 'Мотоблоки', noun: 'Мотоблок', kind: 'machine', sku: 'MB', price: [39990, 159990], share: 1, props: ['powerHp', 'displacement', 'tank', ...M] },
        ],
      },
      {
        name: 'Снегоуборочная техника',
        leaves: [
          { name: 'Бензиновые снегоуборщики', noun: 'Снегоуборщик бензиновый', kind: 'machine', sku: 'ST', price: [39990, 189990], share: 1, props: ['powerHp', 'displacement', 'cutWidth', ...M] },
          { name: 'Электрические снегоуборщики', noun: 'Снегоуборщик электрический', kind: 'machine', sku: 'SE', price: [12990, 39990], share: 1, props: ['powerW', 'voltage', ...M] },
        ],
      },
    ],
  },
  {
    name: 'Электроинструмент',
    branches: [
      {
        name: 'Дрели и шуруповёрты',
        leaves: [
          { name: 'Аккумуляторные дрели-шуруповёрты', noun: 'Дрель-шуруповёрт аккумуляторная', kind: 'tool', sku: 'CD', price: [3990, 24990], share: 2, props: ['voltage', 'batteryAh', ...M] },
          { name: 'Ударные дрели', noun: 'Дрель ударная', kind: 'tool', sku: 'ID', price: [2990, 14990], share: 1, props: ['powerW', ...M] },
          { name: 'Перфораторы', noun: 'Перфоратор', kind: 'tool', sku: 'RH', price: [5990, 34990], share: 1, props: ['powerW', ...M] },
        ],
      },
      {
        name: 'Пилы',
        leaves: [
          { name: 'Цепные бензопилы', noun: 'Бензопила цепная', kind: 'tool', sku: 'CS', price: [7990, 64990], share: 2, props: ['powerHp', 'displacement', 'barLength', 'chainPitch', ...M] },
          { name: 'Цепные электропилы', noun: 'Электропила цепная', kind: 'tool', sku: 'EC', price: [4990, 17990], share: 1, props: ['powerW', 'barLength', 'chainPitch', ...M] },
          { name: 'Циркулярные пилы', noun: 'Пила циркулярная', kind: 'tool', sku: 'CP', price: [4490, 21990], share: 1, props: ['powerW', 'diameter', ...M] },
          { name: 'Лобзики', noun: 'Лобзик электрический', kind: 'tool', sku: 'JS', price: [2490, 12990], share: 1, props: ['powerW', ...M] },
        ],
      },
      {
        name: 'Шлифовальные машины',
        leaves: [
          { name: 'Угловые шлифмашины (УШМ)', noun: 'Шлифмашина угловая', kind: 'tool', sku: 'AG', price: [2990, 18990], share: 1, props: ['powerW', 'diameter', ...M] },
          { name: 'Эксцентриковые шлифмашины', noun: 'Шлифмашина эксцентриковая', kind: 'tool', sku: 'RS', price: [3490, 15990], share: 1, props: ['powerW', ...M] },
        ],
      },
    ],
  },
  {
    name: 'Силовая техника',
    branches: [
      {
        name: 'Генераторы',
        leaves: [
          { name: 'Бензиновые генераторы', noun: 'Генератор бензиновый', kind: 'machine', sku: 'GG', price: [19990, 149990], share: 1, props: ['powerW', 'tank', 'displacement', ...M] },
          { name: 'Инверторные генераторы', noun: 'Генератор инверторный', kind: 'machine', sku: 'GI', price: [29990, 119990], share: 1, props: ['powerW', 'tank', ...M] },
        ],
      },
      {
        name: 'Мотопомпы',
        leaves: [
          { name: 'Мотопомпы для чистой воды', noun: 'Мотопомпа для чистой воды', kind: 'machine', sku: 'WP', price: [12990, 49990], share: 1, props: ['powerHp', 'diameter', ...M] },
          { name: 'Мотопомпы для грязной воды', noun: 'Мотопомпа для грязной воды', kind: 'machine', sku: 'TP', price: [24990, 89990], share: 1, props: ['powerHp', 'diameter', ...M] },
        ],
      },
      {
        name: 'Двигатели',
        leaves: [
          { name: 'Двигатели для садовой техники', noun: 'Двигатель бензиновый', kind: 'machine', sku: 'EN', price: [9990, 59990], share: 1, props: ['powerHp', 'displacement', 'engineType', ...M] },
        ],
      },
    ],
  },
  {
    name: 'Запасные части',
    branches: [
      {
        name: 'Запчасти для газонокосилок',
        leaves: [
          { name: 'Ножи для газонокосилок', noun: 'Нож для газонокосилки', kind: 'part', sku: 'KN', price: [390, 3490], share: 6, props: ['length', ...P], packs: true },
          { name: 'Ремни приводные', noun: 'Ремень приводной', kind: 'part', sku: 'BL', price: [290, 2490], share: 6, props: ['length', ...P], packs: true },
          { name: 'Колёса', noun: 'Колесо', kind: 'part', sku: 'WH', price: [350, 2990], share: 4, props: ['diameter', ...P] },
          { name: 'Травосборники', noun: 'Травосборник', kind: 'part', sku: 'GB', price: [990, 5990], share: 2, props: ['volume', ...P] },
        ],
      },
      {
        name: 'Запчасти для двигателей',
        leaves: [
          { name: 'Свечи зажигания', noun: 'Свеча зажигания', kind: 'part', sku: 'SP', price: [150, 890], share: 5, props: P, packs: true },
          { name: 'Карбюраторы', noun: 'Карбюратор', kind: 'part', sku: 'CR', price: [890, 6990], share: 5, props: ['displacement', ...P] },
          { name: 'Стартеры ручные', noun: 'Стартер ручной', kind: 'part', sku: 'RST', price: [690, 3990], share: 4, props: P },
          { name: 'Фильтры воздушные', noun: 'Фильтр воздушный', kind: 'part', sku: 'AF', price: [190, 1490], share: 6, props: P, packs: true },
          { name: 'Фильтры топливные', noun: 'Фильтр топливный', kind: 'part', sku: 'FF', price: [90, 690], share: 5, props: P, packs: true },
        ],
      },
      {
        name: 'Запчасти для пил',
        leaves: [
          { name: 'Цепи пильные', noun: 'Цепь пильная', kind: 'part', sku: 'CH', price: [590, 2990], share: 5, props: ['chainPitch', 'barLength', ...P], packs: true },
          { name: 'Шины пильные', noun: 'Шина пильная', kind: 'part', sku: 'BR', price: [890, 4990], share: 4, props: ['barLength', 'chainPitch', ...P] },
          { name: 'Звёздочки ведущие', noun: 'Звёздочка ведущая', kind: 'part', sku: 'SW', price: [290, 1990], share: 3, props: ['chainPitch', ...P] },
        ],
      },
      {
        name: 'Запчасти для триммеров',
        leaves: [
          { name: 'Катушки триммерные', noun: 'Катушка триммерная', kind: 'part', sku: 'SH', price: [290, 1890], share: 4, props: ['diameter', ...P], packs: true },
          { name: 'Редукторы', noun: 'Редуктор угловой', kind: 'part', sku: 'GR', price: [1290, 5990], share: 3, props: P },
          { name: 'Валы гибкие', noun: 'Вал гибкий', kind: 'part', sku: 'FS', price: [490, 2490], share: 3, props: ['length', ...P] },
        ],
      },
    ],
  },
  {
    name: 'Расходные материалы',
    branches: [
      {
        name: 'Масла и смазки',
        leaves: [
          { name: 'Масла для 4-тактных двигателей', noun: 'Масло моторное 4-тактное', kind: 'consumable', sku: 'O4', price: [390, 2990], share: 2, props: ['volume', 'country'], packs: true },
          { name: 'Масла для 2-тактных двигателей', noun: 'Масло моторное 2-тактное', kind: 'consumable', sku: 'O2', price: [290, 1990], share: 2, props: ['volume', 'country'], packs: true },
          { name: 'Масла цепные', noun: 'Масло для цепей', kind: 'consumable', sku: 'OC', price: [290, 1490], share: 1, props: ['volume', 'country'], packs: true },
        ],
      },
      {
        name: 'Леска триммерная',
        leaves: [
          { name: 'Леска круглая', noun: 'Леска триммерная круглая', kind: 'consumable', sku: 'LR', price: [190, 2490], share: 2, props: ['diameter', 'length', 'material'], packs: true },
          { name: 'Леска фигурная', noun: 'Леска триммерная фигурная', kind: 'consumable', sku: 'LF', price: [290, 2990], share: 2, props: ['diameter', 'length', 'material'], packs: true },
        ],
      },
      {
        name: 'Аккумуляторы и зарядные устройства',
        leaves: [
          { name: 'Аккумуляторы 18 В', noun: 'Аккумулятор 18 В', kind: 'consumable', sku: 'B18', price: [2490, 9990], share: 1, props: ['voltage', 'batteryAh', 'weight'] },
          { name: 'Аккумуляторы 40 В', noun: 'Аккумулятор 40 В', kind: 'consumable', sku: 'B40', price: [5990, 19990], share: 1, props: ['voltage', 'batteryAh', 'weight'] },
          { name: 'Зарядные устройства', noun: 'Зарядное устройство', kind: 'consumable', sku: 'CG', price: [1490, 6990], share: 1, props: ['voltage', 'weight'] },
        ],
      },
    ],
  },
  {
    name: 'Аксессуары и средства защиты',
    branches: [
      {
        name: 'Средства защиты',
        leaves: [
          { name: 'Очки защитные', noun: 'Очки защитные', kind: 'accessory', sku: 'GL', price: [190, 990], share: 1, props: ['color', 'material'], packs: true },
          { name: 'Перчатки', noun: 'Перчатки рабочие', kind: 'accessory', sku: 'GV', price: [90, 890], share: 1, props: ['color', 'material'], packs: true },
          { name: 'Наушники противошумные', noun: 'Наушники противошумные', kind: 'accessory', sku: 'EP', price: [390, 2490], share: 1, props: ['color'] },
        ],
      },
      {
        name: 'Садовый инвентарь',
        leaves: [
          { name: 'Шланги поливочные', noun: 'Шланг поливочный', kind: 'accessory', sku: 'HS', price: [490, 5990], share: 1, props: ['diameter', 'length', 'material', 'color'] },
          { name: 'Разбрызгиватели', noun: 'Разбрызгиватель', kind: 'accessory', sku: 'SR', price: [290, 3490], share: 1, props: ['material', 'color'] },
        ],
      },
    ],
  },
];

export const BRANDS: Record<ProductKind, string[]> = {
  machine: ['MAY', 'MAY Pro', 'Stiga', 'Садко'],
  tool: ['MAY', 'MAY Pro', 'Садко'],
  part: ['MAY', 'Stiga', 'Oregon', 'Champion', 'Briggs & Stratton', 'Loncin'],
  consumable: ['MAY', 'Champion', 'Oregon', 'Motul'],
  accessory: ['MAY', 'Садко'],
};

export const ALL_BRANDS = [...new Set(Object.values(BRANDS).flat())];

export interface CitySpec {
  city: string;
  /** Two-digit region code (ИНН/КПП prefix). */
  region: string;
  street: string;
}

export const CITIES: CitySpec[] = [
  { city: 'Москва', region: '77', street: 'ул. Складочная, д. 1, стр. 4' },
  { city: 'Санкт-Петербург', region: '78', street: 'Кубинская ул., д. 75' },
  { city: 'Екатеринбург', region: '66', street: 'ул. Монтажников, д. 4' },
  { city: 'Новосибирск', region: '54', street: 'ул. Станционная, д. 60/1' },
  { city: 'Краснодар', region: '23', street: 'ул. Уральская, д. 100' },
  { city: 'Ростов-на-Дону', region: '61', street: 'пр. Стачки, д. 198' },
  { city: 'Казань', region: '16', street: 'ул. Техническая, д. 120' },
  { city: 'Нижний Новгород', region: '52', street: 'ул. Памирская, д. 11' },
  { city: 'Самара', region: '63', street: 'Заводское ш., д. 18' },
  { city: 'Воронеж', region: '36', street: 'ул. Землячки, д. 15' },
  { city: 'Красноярск', region: '24', street: 'ул. 2-я Брянская, д. 1' },
  { city: 'Хабаровск', region: '27', street: 'ул. Промышленная, д. 21' },
];

export interface PriceTypeSpec {
  name: string;
  /** Share taken off the base price (0.10 = 10 %). */
  discount: number;
  /** 1C «Идентификатор» of the price type. */
  ident: string;
  dealerTier?: 'A' | 'B' | 'C';
}

/** In the order base > regional > wholesale > dealer C > B > A: every generated price keeps that ordering. */
export const PRICE_TYPES: PriceTypeSpec[] = [
  { name: 'Базовая', discount: 0, ident: 'Базовая' },
  { name: 'Оптовая', discount: 0.1, ident: 'Оптовая' },
  { name: 'Дилерская A', discount: 0.25, ident: 'ДилерскаяA', dealerTier: 'A' },
  { name: 'Дилерская B', discount: 0.2, ident: 'ДилерскаяB', dealerTier: 'B' },
  { name: 'Дилерская C', discount: 0.15, ident: 'ДилерскаяC', dealerTier: 'C' },
  { name: 'Региональная (Сибирь и Дальний Восток)', discount: 0.05, ident: 'РегиональнаяСибирь' },
  { name: 'Региональная (Юг)', discount: 0.07, ident: 'РегиональнаяЮг' },
];

const COMPANY_WORDS_A = ['Агро', 'Мото', 'Техно', 'Сад', 'Лес', 'Дача', 'Урожай', 'Сибирь', 'Вектор', 'Гарант', 'Волга', 'Урал', 'Кубань', 'Север', 'Профи', 'Мастер'];
const COMPANY_WORDS_B = ['Сервис', 'Техника', 'Инструмент', 'Центр', 'Снаб', 'Торг', 'Маркет', 'Партнёр', 'Ресурс', 'Комплект', 'Трейд', 'Мир'];
const SURNAMES = ['Иванов', 'Петров', 'Смирнов', 'Кузнецов', 'Попов', 'Васильев', 'Соколов', 'Михайлов', 'Новиков', 'Фёдоров', 'Морозов', 'Волков', 'Алексеев', 'Лебедев', 'Семёнов', 'Егоров'];
const FIRST = ['Сергей', 'Андрей', 'Алексей', 'Дмитрий', 'Николай', 'Игорь', 'Олег', 'Павел', 'Виктор', 'Юрий'];
const PATRONYMIC = ['Иванович', 'Петрович', 'Сергеевич', 'Александрович', 'Викторович', 'Николаевич', 'Андреевич'];

/** A dealer's legal name: «ООО «АгроСервис»» or «ИП Петров Сергей Иванович». */
export function makeCompanyName(rng: Rng, isPerson: boolean): { short: string; full: string } {
  if (isPerson) {
    const fio = `${rng.pick(SURNAMES)} ${rng.pick(FIRST)} ${rng.pick(PATRONYMIC)}`;
    return { short: `ИП ${fio}`, full: `Индивидуальный предприниматель ${fio}` };
  }
  const name = `${rng.pick(COMPANY_WORDS_A)}${rng.pick(COMPANY_WORDS_B)}`;
  const suffix = rng.chance(0.3) ? `-${rng.pick(['М', 'Юг', 'Плюс', 'Регион', '2000'])}` : '';
  return {
    short: `ООО «${name}${suffix}»`,
    full: `Общество с ограниченной ответственностью «${name}${suffix}»`,
  };
}

export const MODEL_SUFFIXES = ['', 'S', 'E', 'P', 'SP', 'X', 'Li'];
