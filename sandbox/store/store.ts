import type {
  SAccessToken, SApp, SAuthCode, SAutomationRule, SCategory, SClassicRow, SDelivery, SEventBinding, SItem,
  SNotification, SPlacement, SProductRow, SRefreshToken, SRobot, SStatus, STimelineComment, SType, SUser, SUserField,
  SWebhook, SWorkflow,
} from './types.js';

/**
 * One in-memory table keyed by id. Rows are plain objects; callers get the stored object (the sandbox is one process,
 * methods mutate through `update` so persistence sees the change).
 */
export class Table<K extends string | number, T> {
  private readonly rows = new Map<K, T>();

  constructor(
    readonly name: string,
    private readonly keyOf: (row: T) => K,
    private readonly onChange: (table: string) => void,
  ) {}

  get size(): number {
    return this.rows.size;
  }

  get(key: K): T | undefined {
    return this.rows.get(key);
  }

  all(): T[] {
    return [...this.rows.values()];
  }

  filter(pred: (row: T) => boolean): T[] {
    return this.all().filter(pred);
  }

  find(pred: (row: T) => boolean): T | undefined {
    for (const row of this.rows.values()) if (pred(row)) return row;
    return undefined;
  }

  insert(row: T): T {
    this.rows.set(this.keyOf(row), row);
    this.onChange(this.name);
    return row;
  }

  update(key: K, patch: Partial<T>): T | undefined {
    const row = this.rows.get(key);
    if (!row) return undefined;
    Object.assign(row as object, patch);
    this.onChange(this.name);
    return row;
  }

  /** Marks the table changed after a caller mutated a row in place. */
  touch(): void {
    this.onChange(this.name);
  }

  delete(key: K): boolean {
    const had = this.rows.delete(key);
    if (had) this.onChange(this.name);
    return had;
  }

  deleteWhere(pred: (row: T) => boolean): number {
    let n = 0;
    for (const [k, row] of this.rows) {
      if (pred(row)) {
        this.rows.delete(k);
        n++;
      }
    }
    if (n) this.onChange(this.name);
    return n;
  }

  dump(): T[] {
    return this.all();
  }

  load(rows: T[]): void {
    this.rows.clear();
    for (const row of rows) this.rows.set(this.keyOf(row), row);
  }
}

export type ChangeListener = (table: string) => void;

/** Everything one sandbox portal knows. Tests read it through `portal.store` to assert on stored state. */
export class SandboxStore {
  private readonly listeners: ChangeListener[] = [];
  private readonly sequences = new Map<string, number>();
  private readonly changed = (table: string) => {
    for (const l of this.listeners) l(table);
  };

  readonly users = new Table<number, SUser>('users', (r) => r.ID, this.changed);
  readonly apps = new Table<string, SApp>('apps', (r) => r.clientId, this.changed);
  readonly webhooks = new Table<number, SWebhook>('webhooks', (r) => r.id, this.changed);
  readonly accessTokens = new Table<string, SAccessToken>('accessTokens', (r) => r.token, this.changed);
  readonly refreshTokens = new Table<string, SRefreshToken>('refreshTokens', (r) => r.token, this.changed);
  readonly authCodes = new Table<string, SAuthCode>('authCodes', (r) => r.code, this.changed);
  readonly types = new Table<number, SType>('types', (r) => r.id, this.changed);
  readonly categories = new Table<number, SCategory>('categories', (r) => r.id, this.changed);
  readonly statuses = new Table<number, SStatus>('statuses', (r) => r.ID, this.changed);
  readonly userFields = new Table<number, SUserField>('userFields', (r) => r.id, this.changed);
  readonly items = new Table<string, SItem>('items', (r) => `${r.entityTypeId}:${r.id}`, this.changed);
  readonly companies = new Table<number, SClassicRow>('companies', (r) => r.ID, this.changed);
  readonly contacts = new Table<number, SClassicRow>('contacts', (r) => r.ID, this.changed);
  readonly requisites = new Table<number, SClassicRow>('requisites', (r) => r.ID, this.changed);
  readonly productRows = new Table<number, SProductRow>('productRows', (r) => r.id, this.changed);
  readonly timelineComments = new Table<number, STimelineComment>('timelineComments', (r) => r.id, this.changed);
  readonly placements = new Table<number, SPlacement>('placements', (r) => r.id, this.changed);
  readonly robots = new Table<number, SRobot>('robots', (r) => r.id, this.changed);
  readonly eventBindings = new Table<number, SEventBinding>('eventBindings', (r) => r.id, this.changed);
  readonly notifications = new Table<number, SNotification>('notifications', (r) => r.id, this.changed);
  readonly automationRules = new Table<number, SAutomationRule>('automationRules', (r) => r.id, this.changed);
  readonly workflows = new Table<string, SWorkflow>('workflows', (r) => r.id, this.changed);
  readonly deliveries = new Table<number, SDelivery>('deliveries', (r) => r.id, this.changed);
  /** Portal-level settings (member id, admin secrets…): one row per key. */
  readonly settings = new Table<string, { key: string; value: unknown }>('settings', (r) => r.key, this.changed);

  /** Next id of a sequence (items are numbered per entity type, everything else per table). */
  nextId(sequence: string): number {
    const n = (this.sequences.get(sequence) ?? 0) + 1;
    this.sequences.set(sequence, n);
    this.changed('sequences');
    return n;
  }

  /** Makes the sequence hand out ids above `floor` (used when a caller picks its own id, e.g. entityTypeId). */
  bumpSequence(sequence: string, floor: number): void {
    if ((this.sequences.get(sequence) ?? 0) < floor) {
      this.sequences.set(sequence, floor);
      this.changed('sequences');
    }
  }

  getSetting<T>(key: string): T | undefined {
    return this.settings.get(key)?.value as T | undefined;
  }

  setSetting(key: string, value: unknown): void {
    this.settings.insert({ key, value });
  }

  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  tables(): Table<string | number, unknown>[] {
    return Object.values(this).filter((v): v is Table<string | number, unknown> => v instanceof Table);
  }

  dumpSequences(): Record<string, number> {
    return Object.fromEntries(this.sequences);
  }

  loadSequences(seq: Record<string, number>): void {
    this.sequences.clear();
    for (const [k, v] of Object.entries(seq)) this.sequences.set(k, v);
  }
}
