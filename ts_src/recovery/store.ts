/**
 * Where crash recovery keeps unsaved edits: IndexedDB in the browser (it survives a
 * crashed tab or browser), an in-memory map in tests. One record per document and
 * server; the store is bounded (see {@link RECOVERY_LIMITS}).
 */

/** An unsaved copy of one document. */
export interface RecoveryRecord {
  /** `<server>\n<path>`: the server's URL and the document's path. */
  key: string;
  path: string;
  /** The contents API type and format of the document. */
  type: string;
  format: string;
  /** The content as JSON text (a notebook's JSON, or a text file's string as JSON). */
  json: string;
  /** `last_modified` (ISO 8601) of the disk version the edits were made on, or null. */
  baseLastModified: string | null;
  /** When it was kept, ms since the epoch. */
  time: number;
  /** The page (load) that kept it: a page still open is not offered another's edits. */
  owner?: string;
}

/** Bounds of the store: per record and in total (bytes of JSON), and the number of records. */
export const RECOVERY_LIMITS = { recordBytes: 32 * 1024 * 1024, totalBytes: 128 * 1024 * 1024, records: 50 };

/** A key-value store of {@link RecoveryRecord}s. */
export interface RecoveryStore {
  get(key: string): Promise<RecoveryRecord | undefined>;
  /** Keep `record`; then drop the oldest others beyond {@link RECOVERY_LIMITS}. */
  put(record: RecoveryRecord): Promise<void>;
  delete(key: string): Promise<void>;
  all(): Promise<RecoveryRecord[]>;
}

/** The records to drop so that `records` fit the limits, oldest first, never `keep`. */
export function overLimits(records: RecoveryRecord[], keep: string, limits = RECOVERY_LIMITS): string[] {
  const newestFirst = [...records].sort((a, b) => b.time - a.time);
  let total = 0;
  let count = 0;
  const drop: string[] = [];
  for (const r of newestFirst) {
    if (r.key === keep) {
      total += r.json.length;
      count++;
    }
  }
  for (const r of newestFirst) {
    if (r.key === keep) continue;
    if (count + 1 > limits.records || total + r.json.length > limits.totalBytes) drop.push(r.key);
    else {
      count++;
      total += r.json.length;
    }
  }
  return drop;
}

/** An in-memory store (tests, and browsers without IndexedDB). */
export class MemoryRecoveryStore implements RecoveryStore {
  readonly records = new Map<string, RecoveryRecord>();
  async get(key: string) {
    return this.records.get(key);
  }
  async put(record: RecoveryRecord) {
    this.records.set(record.key, record);
    for (const key of overLimits([...this.records.values()], record.key)) this.records.delete(key);
  }
  async delete(key: string) {
    this.records.delete(key);
  }
  async all() {
    return [...this.records.values()];
  }
}

const DB_NAME = 'jlab-alt-recovery';
const STORE = 'documents';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** The IndexedDB store `jlab-alt-recovery` (object store `documents`, key path `key`). */
export class IndexedDBRecoveryStore implements RecoveryStore {
  private db: Promise<IDBDatabase> | null = null;

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'key' });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    return this.db;
  }

  private async tx(mode: IDBTransactionMode): Promise<IDBObjectStore> {
    return (await this.open()).transaction(STORE, mode).objectStore(STORE);
  }

  async get(key: string): Promise<RecoveryRecord | undefined> {
    return request((await this.tx('readonly')).get(key) as IDBRequest<RecoveryRecord | undefined>);
  }

  async put(record: RecoveryRecord): Promise<void> {
    await request((await this.tx('readwrite')).put(record));
    const drop = overLimits(await this.all(), record.key);
    for (const key of drop) await this.delete(key);
  }

  async delete(key: string): Promise<void> {
    await request((await this.tx('readwrite')).delete(key));
  }

  async all(): Promise<RecoveryRecord[]> {
    return request((await this.tx('readonly')).getAll() as IDBRequest<RecoveryRecord[]>);
  }
}
