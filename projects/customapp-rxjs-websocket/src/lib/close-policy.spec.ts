import { classifyClose, DEFAULT_FATAL_CLOSE_CODES, DEFAULT_TOKEN_EXPIRED_CLOSE_CODES } from 'customapp-rxjs-websocket';

describe('classifyClose', () => {
  const policy = { fatalCloseCodes: DEFAULT_FATAL_CLOSE_CODES, tokenExpiredCloseCodes: DEFAULT_TOKEN_EXPIRED_CLOSE_CODES };

  it('stops on at least 4401, 4403 and 1008 by default', () => {
    expect([4401, 4403, 1008].map((code) => classifyClose(code, policy))).toEqual(['stop', 'stop', 'stop']);
  });

  it('renews the token on 4419 by default', () => {
    expect(classifyClose(4419, policy)).toBe('renewToken');
  });

  it('reconnects after drops, restarts, server errors and unknown codes', () => {
    expect([1000, 1001, 1006, 1011, 1012, 1013, 4000, 4500].map((code) => classifyClose(code, policy))).toEqual(
      Array(8).fill('reconnect'),
    );
  });

  it('follows the lists it is given', () => {
    expect(classifyClose(4440, { fatalCloseCodes: [4440], tokenExpiredCloseCodes: [4001] })).toBe('stop');
    expect(classifyClose(4001, { fatalCloseCodes: [4440], tokenExpiredCloseCodes: [4001] })).toBe('renewToken');
    expect(classifyClose(4401, { fatalCloseCodes: [], tokenExpiredCloseCodes: [] })).toBe('reconnect');
  });
});
