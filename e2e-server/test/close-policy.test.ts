// CLIENT_CLOSE_POLICY is customapp-rxjs-websocket's defaults, read from the library: every close
// code this server sends must get, under the library's own decision, what PROTOCOL.md tells a client.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CloseDecision } from '../../projects/customapp-rxjs-websocket/src/lib/close-policy.js';
import { classifyClose } from '../../projects/customapp-rxjs-websocket/src/lib/close-policy.js';
import { DEFAULT_FATAL_CLOSE_CODES, DEFAULT_TOKEN_EXPIRED_CLOSE_CODES } from '../../projects/customapp-rxjs-websocket/src/lib/config.js';
import { CLIENT_CLOSE_POLICY, CloseCode } from '../src/protocol.js';

/** PROTOCOL.md's "what a client should do", per code: a new member of CloseCode must be added here. */
const DECISIONS: Readonly<Record<CloseCode, CloseDecision>> = {
  [CloseCode.Normal]: 'reconnect',
  [CloseCode.GoingAway]: 'reconnect',
  [CloseCode.ProtocolError]: 'stop',
  [CloseCode.PolicyViolation]: 'stop',
  [CloseCode.MessageTooBig]: 'reconnect',
  [CloseCode.InternalError]: 'reconnect',
  [CloseCode.ServiceRestart]: 'reconnect',
  [CloseCode.ProtocolViolation]: 'stop',
  [CloseCode.AuthRefused]: 'stop',
  [CloseCode.OriginNotAllowed]: 'stop',
  [CloseCode.AuthTimeout]: 'reconnect',
  [CloseCode.TokenExpired]: 'renewToken',
  [CloseCode.SessionLoggedOut]: 'stop',
  [CloseCode.LoggedOutEverywhere]: 'stop',
};

describe('the client close policy', () => {
  test('is the library\'s default lists themselves, not a copy', () => {
    assert.equal(CLIENT_CLOSE_POLICY.fatalCloseCodes, DEFAULT_FATAL_CLOSE_CODES);
    assert.equal(CLIENT_CLOSE_POLICY.tokenExpiredCloseCodes, DEFAULT_TOKEN_EXPIRED_CLOSE_CODES);
  });

  test('decides every close code this server sends as PROTOCOL.md says', () => {
    for (const [code, decision] of Object.entries(DECISIONS)) {
      assert.equal(classifyClose(Number(code), CLIENT_CLOSE_POLICY), decision, `close code ${code} (${CloseCode[Number(code)]})`);
    }
  });

  test('reconnects after a drop (1006) and stops on a text frame that is not UTF-8 (1007, dialects)', () => {
    assert.equal(classifyClose(1006, CLIENT_CLOSE_POLICY), 'reconnect');
    assert.equal(classifyClose(1007, CLIENT_CLOSE_POLICY), 'stop');
  });
});
