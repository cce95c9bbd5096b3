import {
  closeSockets,
  closeSocketsFinished,
  initSockets,
  initSocketsErrored,
  initSocketsSucceed,
  loginAgainAndInitSocketsErrored,
  loginAgainAndInitSocketsSucceed,
  loginAndInitSocketsErrored,
  loginAndInitSocketsSucceed,
  loginAsAndInitSocketsErrored,
  loginAsAndInitSocketsSucceed,
  SOCKETS_ACTIONS_SOURCE,
} from '../public-api';

describe('the actions of 1.2.x', () => {
  const P = '[ngx-customapp-pattern-auth-before-socket]';

  it('keep their published type strings, so filters and devtools still match', () => {
    expect(loginAndInitSocketsSucceed.type).toBe(`${P} login and init sockets succeed`);
    expect(loginAndInitSocketsErrored.type).toBe(`${P} login and init sockets errored`);
    expect(loginAsAndInitSocketsSucceed.type).toBe(`${P} login as and init sockets succeed`);
    expect(loginAsAndInitSocketsErrored.type).toBe(`${P} login as and init sockets errored`);
    expect(loginAgainAndInitSocketsSucceed.type).toBe(`${P} login again and init sockets succeed`);
    expect(loginAgainAndInitSocketsErrored.type).toBe(`${P} login again and init sockets errored`);
    expect(initSockets.type).toBe(`${P} init sockets`);
    expect(initSocketsSucceed.type).toBe(`${P} init sockets succeed`);
    expect(initSocketsErrored.type).toBe(`${P} init sockets errored`);
    expect(closeSockets.type).toBe(`${P} close sockets`);
  });

  it('closeSocketsFinished has its source in brackets like the others (1.2.x lacked the "]")', () => {
    expect(closeSocketsFinished.type).toBe(`${P} close sockets finished`);
    expect(closeSocketsFinished.type.startsWith(`[${SOCKETS_ACTIONS_SOURCE}] `)).toBeTrue();
  });

  it('take the props they took in 1.2.x', () => {
    expect(initSocketsErrored({ error: 'refused' })).toEqual({ type: `${P} init sockets errored`, error: 'refused' });
    expect(loginAndInitSocketsErrored({ error: 'refused' }).error).toBe('refused');
    expect(loginAsAndInitSocketsErrored({ error: 'refused' }).error).toBe('refused');
    expect(loginAgainAndInitSocketsErrored({ error: 'refused' }).error).toBe('refused');
    expect(closeSocketsFinished()).toEqual({ type: `${P} close sockets finished` });
  });
});
