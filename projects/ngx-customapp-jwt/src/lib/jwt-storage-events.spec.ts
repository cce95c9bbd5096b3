import { MemoryJwtStorage, type JwtStorageChange } from '../public-api';
import { record } from '../spec-support/set-up';
import { defaultJwtStorageEvents } from './jwt-storage-events';

describe('defaultJwtStorageEvents()', () => {
  it("gives the window's storage events for localStorage, and not those for sessionStorage", () => {
    const result = record<JwtStorageChange>(defaultJwtStorageEvents(localStorage));

    window.dispatchEvent(new StorageEvent('storage', { key: 'k', newValue: 'v', storageArea: localStorage }));
    window.dispatchEvent(new StorageEvent('storage', { key: 'k', newValue: 'w', storageArea: sessionStorage }));

    expect(result.values.map(({ key, newValue }) => ({ key, newValue }))).toEqual([{ key: 'k', newValue: 'v' }]);
  });

  it('gives nothing for a storage that other tabs do not share', () => {
    for (const storage of [new MemoryJwtStorage(), sessionStorage]) {
      const result = record(defaultJwtStorageEvents(storage));
      window.dispatchEvent(new StorageEvent('storage', { key: 'k', newValue: 'v', storageArea: localStorage }));
      expect(result.values).toEqual([]);
      expect(result.completed).toBeTrue();
    }
  });
});
