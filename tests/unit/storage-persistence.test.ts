// Whether the browser keeps the site's storage, and asking it to (src/store/storage-persistence.ts).
import { describe, expect, it, vi } from 'vitest';
import { askForPersistentStorage, storagePersistence } from '../../src/store/storage-persistence';

describe('storage persistence', () => {
  it('reads the grant without asking for it', async () => {
    const persist = vi.fn(async () => true);
    expect(await storagePersistence({ persisted: async () => false, persist })).toBe('best-effort');
    expect(await storagePersistence({ persisted: async () => true, persist })).toBe('granted');
    expect(persist).not.toHaveBeenCalled();
  });

  it('asks anew each time, and says the answer', async () => {
    const answers = [false, true];
    const persist = vi.fn(async () => answers.shift()!);
    expect(await askForPersistentStorage({ persist })).toBe('best-effort');
    expect(await askForPersistentStorage({ persist })).toBe('granted');
    expect(persist).toHaveBeenCalledTimes(2);
  });

  it('says nothing it cannot know: no StorageManager, or one that throws', async () => {
    expect(await storagePersistence(undefined)).toBe('unknown');
    expect(await storagePersistence({ persisted: async () => { throw new Error('opaque origin'); } })).toBe('unknown');
    expect(await askForPersistentStorage({})).toBe('unknown');
    expect(await askForPersistentStorage({ persist: async () => { throw new Error('refused'); } })).toBe('best-effort');
  });
});
