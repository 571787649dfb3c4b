/**
 * What crash recovery holds in a page's IndexedDB (`jlab-alt-recovery`): for tests that
 * need to know whether a page closed without saving left a copy to offer back.
 */
import type { Page } from '@playwright/test';

/** Every record crash recovery holds, per object store (`documents`, `parts`), read from the page's IndexedDB. */
export function keptRecords(page: Page): Promise<{ documents: { path: string; json: string }[]; parts: { json: string }[] }> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        // No version: the app's when it made the database, else an empty one (no stores).
        const req = indexedDB.open('jlab-alt-recovery');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const db = req.result;
          const kept = { documents: [] as { path: string; json: string }[], parts: [] as { json: string }[] };
          const stores = (['documents', 'parts'] as const).filter((name) => db.objectStoreNames.contains(name));
          if (!stores.length) {
            db.close();
            resolve(kept);
            return;
          }
          const tx = db.transaction(stores);
          for (const name of stores) {
            const all = tx.objectStore(name).getAll();
            all.onsuccess = () => (kept[name] = all.result);
          }
          tx.oncomplete = () => {
            db.close();
            resolve(kept);
          };
          tx.onerror = () => reject(tx.error);
        };
      })
  );
}

/** The paths crash recovery keeps unsaved edits of. */
export async function keptPaths(page: Page): Promise<string[]> {
  return (await keptRecords(page)).documents.map((r) => r.path).sort();
}

