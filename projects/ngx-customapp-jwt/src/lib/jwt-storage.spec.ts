import { MemoryJwtStorage } from '../public-api';
import { defaultJwtStorage } from './jwt-storage';

describe('defaultJwtStorage()', () => {
  it('is localStorage in the browser', () => {
    expect(defaultJwtStorage('browser')).toBe(localStorage);
  });

  it('is an in-memory storage on the server', () => {
    expect(defaultJwtStorage('server')).toBeInstanceOf(MemoryJwtStorage);
  });

  it('is an in-memory storage when localStorage refuses to be used', () => {
    spyOn(Storage.prototype, 'setItem').and.throwError(new DOMException('quota', 'QuotaExceededError'));
    expect(defaultJwtStorage('browser')).toBeInstanceOf(MemoryJwtStorage);
  });
});

describe('MemoryJwtStorage', () => {
  it('keeps, gives back and forgets values', () => {
    const storage = new MemoryJwtStorage();
    storage.setItem('k', 'v');
    expect(storage.getItem('k')).toBe('v');
    storage.removeItem('k');
    expect(storage.getItem('k')).toBeNull();
  });
});
