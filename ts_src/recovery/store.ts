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
  /**
   * The content as JSON text (a notebook's JSON, or a text file's string as JSON); with
   * {@link parts}, a notebook whose cells are references (see `parts.ts`).
   */
  json: string;
  /** Set (to 1, the format) when the notebook's cells are kept as separate parts. */
  parts?: number;
  /** Bytes of JSON the record stands for with its parts (else `json.length`). */
  bytes?: number;
  /** `last_modified` (ISO 8601) of the disk version the edits were made on, or null. */
  baseLastModified: string | null;
  /** When it was kept, ms since the epoch. */
  time: number;
  /** The page (load) that kept it: a page still open is not offered another's edits. */
  owner?: string;
}

/** Bounds of the store: per record and in total (bytes of JSON), and the number of records. */
export const RECOVERY_LIMITS = { recordBytes: 32 * 1024 * 1024, totalBytes: 128 * 1024 * 1024, records: 50 };

/** One separately kept piece of a record (a cell, or a cell's outputs), as JSON text. */
export interface RecoveryPart {
  /** Unique within its record. */
  name: string;
  json: string;
}

/**
 * A key-value store of {@link RecoveryRecord}s, each with its {@link RecoveryPart}s
 * (a notebook kept cell by cell: a write adds or replaces only the parts that changed).
 */
export interface RecoveryStore {
  get(key: string): Promise<RecoveryRecord | undefined>;
  /** The parts of the record `key`, by name (empty when none). */
  parts(key: string): Promise<Map<string, string>>;
  /**
   * Keep `record` with `parts` added or replaced (one transaction: a crash keeps the
   * previous record or this one, never half); then drop the oldest others beyond
   * {@link RECOVERY_LIMITS}.
   */
  put(record: RecoveryRecord, parts?: readonly RecoveryPart[]): Promise<void>;
  /** Drop the record `key` and all its parts. */
  delete(key: string): Promise<void>;
  all(): Promise<RecoveryRecord[]>;
}

/** The bytes a record stands for, parts included. */
export function recordBytes(record: RecoveryRecord): number {
  return record.bytes ?? record.json.length;
}

/** The records to drop so that `records` fit the limits, oldest first, never `keep`. */
export function overLimits(records: RecoveryRecord[], keep: string, limits = RECOVERY_LIMITS): string[] {
  const newestFirst = [...records].sort((a, b) => b.time - a.time);
  let total = 0;
  let count = 0;
  const drop: string[] = [];
  for (const r of newestFirst) {
    if (r.key === keep) {
      total += recordBytes(r);
      count++;
    }
  }
  for (const r of newestFirst) {
    if (r.key === keep) continue;
    if (count + 1 > limits.records || total + recordBytes(r) > limits.totalBytes) drop.push(r.key);
    else {
      count++;
      total += recordBytes(r);
    }
  }
  return drop;
}

/** An in-memory store (tests, and browsers without IndexedDB). */
export class MemoryRecoveryStore implements RecoveryStore {
  readonly records = new Map<string, RecoveryRecord>();
  private readonly partsOf = new Map<string, Map<string, string>>();
  async get(key: string) {
    return this.records.get(key);
  }
  async parts(key: string) {
    return new Map(this.partsOf.get(key));
  }
  async put(record: RecoveryRecord, parts: readonly RecoveryPart[] = []) {
    this.records.set(record.key, record);
    if (parts.length) {
      let kept = this.partsOf.get(record.key);
      if (!kept) this.partsOf.set(record.key, (kept = new Map()));
      for (const part of parts) kept.set(part.name, part.json);
    }
    for (const key of overLimits([...this.records.values()], record.key)) await this.delete(key);
  }
  async delete(key: string) {
    this.records.delete(key);
    this.partsOf.delete(key);
  }
  async all() {
    return [...this.records.values()];
  }
}

const DB_NAME = 'jlab-alt-recovery';
const STORE = 'documents';
/** Parts, keyed `<record key>\u0000<part name>` (paths hold no NUL, so a record's parts are one key range). */
const PARTS = 'parts';
/** Parts put per request callback: the put calls of one batch run in one task. */
const PUT_BATCH = 100;

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function partsRange(key: string): IDBKeyRange {
  return IDBKeyRange.bound(`${key}\u0000`, `${key}\u0001`, false, true);
}

/** The IndexedDB store `jlab-alt-recovery` (object stores `documents`, key path `key`, and `parts`). */
export class IndexedDBRecoveryStore implements RecoveryStore {
  private db: Promise<IDBDatabase> | null = null;

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise((resolve, reject) => {
      // Version 2 added `parts` (notebooks kept cell by cell); version 1 records stay readable.
      const req = indexedDB.open(DB_NAME, 2);
      req.onupgradeneeded = () => {
        const names = req.result.objectStoreNames;
        if (!names.contains(STORE)) req.result.createObjectStore(STORE, { keyPath: 'key' });
        if (!names.contains(PARTS)) req.result.createObjectStore(PARTS, { keyPath: 'key' });
      };
      req.onsuccess = () => {
        // A page of a later version upgrading must not wait for this one (which reopens).
        req.result.onversionchange = () => {
          req.result.close();
          this.db = null;
        };
        resolve(req.result);
      };
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

  async parts(key: string): Promise<Map<string, string>> {
    const store = (await this.open()).transaction(PARTS, 'readonly').objectStore(PARTS);
    const rows = await request(store.getAll(partsRange(key)) as IDBRequest<{ key: string; json: string }[]>);
    const prefix = key.length + 1;
    return new Map(rows.map((row) => [row.key.slice(prefix), row.json]));
  }

  async put(record: RecoveryRecord, parts: readonly RecoveryPart[] = []): Promise<void> {
    const tx = (await this.open()).transaction([STORE, PARTS], 'readwrite');
    const done = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error('The crash recovery write was aborted'));
    });
    const partStore = tx.objectStore(PARTS);
    // Each put clones its value at once: a few thousand in one task would be a long
    // task, so a batch is put from the success callback of the previous one (the
    // transaction stays open meanwhile, so the write is still all or nothing).
    const putFrom = (start: number): void => {
      const end = Math.min(start + PUT_BATCH, parts.length);
      let last: IDBRequest | null = null;
      for (let i = start; i < end; i++) {
        last = partStore.put({ key: `${record.key}\u0000${parts[i]!.name}`, json: parts[i]!.json });
      }
      if (last && end < parts.length) last.onsuccess = () => putFrom(end);
      else tx.objectStore(STORE).put(record);
    };
    putFrom(0);
    await done;
    const drop = overLimits(await this.all(), record.key);
    for (const key of drop) await this.delete(key);
  }

  async delete(key: string): Promise<void> {
    const tx = (await this.open()).transaction([STORE, PARTS], 'readwrite');
    tx.objectStore(STORE).delete(key);
    tx.objectStore(PARTS).delete(partsRange(key));
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  }

  async all(): Promise<RecoveryRecord[]> {
    return request((await this.tx('readonly')).getAll() as IDBRequest<RecoveryRecord[]>);
  }
}
