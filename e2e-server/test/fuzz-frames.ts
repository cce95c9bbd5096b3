// The frames of the fuzz suite: a seeded PRNG, valid requests and their mutations in both
// encodings (wrong types, two bodies, huge ids, bad UTF-8, flipped, inserted and deleted bytes), and
// the id PROTOCOL.md says the answer to each must carry, worked out independently of the server.
import type { Encoding, RequestInit } from '../src/protocol.js';
import { decodeRequestFrame, encodeRequest, requestToJson } from '../src/protocol.js';
import { REQUEST_FIELD as F, tag, wire } from './wire.js';

/** Sentinel pings use ids this high; fuzzed ids stay below. */
export const SENTINEL_BASE = 4_000_000_000;


/** mulberry32: small, fast and good enough to pick mutations; the same seed gives the same frames. */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  float(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(below: number): number {
    return Math.floor(this.float() * below);
  }
  chance(p: number): boolean {
    return this.float() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  bytes(length: number): Buffer {
    return Buffer.from(Array.from({ length }, () => this.int(256)));
  }
  /** Runs one of the makers, each as likely as its weight. */
  weighted<T>(choices: readonly (readonly [number, () => T])[]): T {
    let roll = this.float() * choices.reduce((sum, [weight]) => sum + weight, 0);
    for (const [weight, make] of choices) {
      roll -= weight;
      if (roll < 0) return make();
    }
    return (choices[choices.length - 1] as readonly [number, () => T])[1]();
  }
}

export interface FuzzFrame {
  data: Buffer;
  binary: boolean;
  what: string;
}

// ---------------------------------------------------------------- generators

const TEXT_PIECES = ['a', 'Soup', ' ', '\u00e9', '\u{1F368}', '\ud800', '\udc00', '\ufffd', '\u0000', '"', '\\', '\u202e', 'x'.repeat(120)];
const BODY_NAMES = ['auth', 'sub', 'unsub', 'ping', 'menuList', 'menuAdd', 'menuRename', 'menuDelete', 'reauth'] as const;
const KINDS = ['CATEGORIES', 'AUDIT_LOG', 'NOTIFICATIONS', 'SUB_KIND_UNSPECIFIED', 'NOPE'];

function text(rng: Random): string {
  return Array.from({ length: rng.int(4) }, () => rng.pick(TEXT_PIECES)).join('');
}

function fuzzId(rng: Random): number {
  return rng.chance(0.1) ? 0 : rng.chance(0.8) ? 1 + rng.int(1_000_000) : rng.int(SENTINEL_BASE);
}

/** A valid request, its strings well-formed: `auth` as often as `authShare` says, else any kind. */
function validRequest(rng: Random, token: string, authShare: number): RequestInit {
  const id = fuzzId(rng);
  const name = rng.pick(['Soups', 'Salads \u{1F957}', ' Teas ', 'x', '']);
  const category = rng.pick(['c-1', 'c-2', 'c-3', 'c-4', 'c-99']);
  switch (rng.chance(authShare) ? 'auth' : rng.pick(BODY_NAMES)) {
    case 'auth':
      return { id, auth: { accessToken: rng.chance(0.7) ? token : 'not-a-token' } };
    case 'sub':
      return { id, sub: { kind: rng.int(4), ...(rng.chance(0.5) ? { since: { epoch: rng.pick(['', 'e-1']), seq: rng.int(3) } } : {}) } };
    case 'unsub':
      return { id, unsub: { kind: rng.int(4) } };
    case 'ping':
      return { id, ping: { clientTime: rng.float() * 1e12 } };
    case 'menuList':
      return { id, menuList: {} };
    case 'menuAdd':
      return { id, menuAdd: { name } };
    case 'menuRename':
      return { id, menuRename: { id: category, name } };
    case 'menuDelete':
      return { id, menuDelete: { id: category } };
    case 'reauth':
      return { id, reauth: { accessToken: rng.chance(0.7) ? token : 'not-a-token' } };
  }
}

/** Any JSON value, mostly of the wrong type for where it is put. */
export function jsonValue(rng: Random, depth = 0): unknown {
  switch (rng.int(depth > 1 ? 8 : 10)) {
    case 0:
      return rng.pick([-1, 1.5, 2 ** 32, 2 ** 53 + 1, -0, 1e300, 0, 7]);
    case 1:
      return text(rng);
    case 2:
      return rng.pick(['7', '', 'CATEGORIES', 'c-1']);
    case 3:
      return null;
    case 4:
      return rng.chance(0.5);
    case 5:
      return rng.int(1000);
    case 6:
    case 7:
      return rng.pick([[], {}, [1], { x: 1 }]);
    default:
      return rng.chance(0.5)
        ? [jsonValue(rng, depth + 1)]
        : { [rng.pick(['kind', 'name', 'id', 'accessToken', 'clientTime', 'epoch', 'seq', 'z'])]: jsonValue(rng, depth + 1) };
  }
}

function mutateObject(rng: Random, object: Record<string, unknown>): void {
  const bodyKey = BODY_NAMES.find((name) => name in object);
  const found = bodyKey ? object[bodyKey] : undefined;
  const body = typeof found === 'object' && found !== null && !Array.isArray(found) ? (found as Record<string, unknown>) : undefined;
  switch (rng.int(7)) {
    case 0:
      object['id'] = jsonValue(rng);
      break;
    case 1:
      object[rng.pick(BODY_NAMES)] = rng.chance(0.7) ? {} : jsonValue(rng);
      break;
    case 2:
      if (body) body[rng.pick(['kind', 'name', 'id', 'accessToken', 'clientTime', 'since'])] = jsonValue(rng);
      break;
    case 3:
      if (body) body[rng.pick(['name', 'id', 'accessToken'])] = text(rng);
      break;
    case 4:
      if (body && 'kind' in body) body['kind'] = rng.pick(KINDS);
      break;
    case 5:
      // defineProperty, so that "__proto__" becomes a key of the JSON rather than the prototype.
      Object.defineProperty(object, rng.pick(['extra', 'trace', '__proto__', 'ID']), {
        value: jsonValue(rng),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      break;
    default:
      if (bodyKey) delete object[bodyKey];
  }
}

export function mutateBytes(rng: Random, bytes: Buffer): Buffer {
  let out = Buffer.from(bytes);
  for (let n = 1 + rng.int(3); n > 0; n -= 1) {
    const at = rng.int(out.length + 1);
    switch (rng.int(5)) {
      case 0:
        if (out.length > 0) out[Math.min(at, out.length - 1)] ^= 1 << rng.int(8);
        break;
      case 1:
        out = Buffer.concat([out.subarray(0, at), rng.bytes(1 + rng.int(3)), out.subarray(at)]);
        break;
      case 2:
        out = Buffer.concat([out.subarray(0, at), out.subarray(at + 1 + rng.int(3))]);
        break;
      case 3:
        out = out.subarray(0, at);
        break;
      default:
        out = Buffer.concat([out.subarray(0, at), out.subarray(rng.int(out.length + 1)), out.subarray(at)]);
    }
  }
  return out;
}

function jsonFrame(rng: Random, base: () => RequestInit): FuzzFrame {
  const valid = requestToJson(base());
  return rng.weighted<FuzzFrame>([
    [2, () => ({ data: Buffer.from(valid), binary: false, what: 'valid' })],
    [
      6,
      () => {
        const object = JSON.parse(valid) as Record<string, unknown>;
        for (let n = 1 + rng.int(3); n > 0; n -= 1) mutateObject(rng, object);
        return { data: Buffer.from(JSON.stringify(object)), binary: false, what: 'mutated object' };
      },
    ],
    [
      3,
      () => {
        const chars = [...valid];
        const at = rng.int(chars.length + 1);
        if (rng.chance(0.5)) chars.splice(at, 1);
        else chars.splice(at, 0, rng.pick(['"', '{', '}', ',', ':', '\\', '\\ud800', '1', 'e999', '-0', 'null', ' ']));
        return { data: Buffer.from(chars.join('')), binary: false, what: 'mutated text' };
      },
    ],
    [2, () => ({ data: mutateBytes(rng, Buffer.from(valid)), binary: false, what: 'mutated bytes' })],
    [1, () => ({ data: rng.bytes(rng.int(40)), binary: false, what: 'random bytes' })],
    [1, () => ({ data: Buffer.from(encodeRequest(base())), binary: true, what: 'a binary frame' })],
  ]);
}

/** A body field by hand: its inner fields of the right type, the wrong one, or bytes that are not UTF-8. */
function protobufBody(rng: Random, token: string): Buffer {
  const name = rng.pick(BODY_NAMES);
  const number = F[name];
  const inner: Buffer[] = [];
  const string = (field: number): Buffer =>
    rng.chance(0.3) ? wire.bytes(field, rng.bytes(rng.int(6))) : wire.bytes(field, rng.chance(0.5) ? token : text(rng).replace(/[\ud800-\udfff]/g, 'x'));
  const anyField = (field: number): Buffer =>
    rng.pick([
      () => wire.varint(field, rng.chance(0.5) ? rng.int(5) : 2n ** BigInt(rng.int(64))),
      () => wire.double(field, rng.float()),
      () => wire.fixed32(field, rng.int(1000)),
      () => string(field),
    ])();
  for (let n = rng.int(3); n > 0; n -= 1) inner.push(rng.chance(0.6) ? string(1 + rng.int(2)) : anyField(1 + rng.int(3)));
  if (name === 'ping' && rng.chance(0.5)) inner.push(wire.double(1, rng.float() * 1e12));
  if ((name === 'sub' || name === 'unsub') && rng.chance(0.5)) inner.push(wire.varint(1, rng.int(5)));
  return wire.bytes(number, Buffer.concat(inner));
}

function handBuiltFrame(rng: Random, token: string): FuzzFrame {
  const parts: Buffer[] = [];
  parts.push(
    rng.weighted([
      [6, () => wire.varint(F.id, fuzzId(rng))],
      [1, () => wire.varint(F.id, 2n ** 32n + BigInt(rng.int(9)))],
      [1, () => wire.varint(F.id, -1 - rng.int(9))],
      [1, () => wire.bytes(F.id, 'x')],
      [1, () => Buffer.alloc(0)],
    ]),
  );
  parts.push(protobufBody(rng, token));
  if (rng.chance(0.3)) parts.push(protobufBody(rng, token));
  if (rng.chance(0.2)) parts.push(wire.varint(20 + rng.int(100), rng.int(1000)));
  if (rng.chance(0.05)) parts.push(tag(15, rng.pick([3, 4, 6, 7])));
  for (let i = parts.length - 1; i > 0; i -= 1) {
    const j = rng.int(i + 1);
    [parts[i], parts[j]] = [parts[j] as Buffer, parts[i] as Buffer];
  }
  return { data: Buffer.concat(parts), binary: true, what: 'built by hand' };
}

function protobufFrame(rng: Random, token: string, base: () => RequestInit): FuzzFrame {
  return rng.weighted<FuzzFrame>([
    [2, () => ({ data: Buffer.from(encodeRequest(base())), binary: true, what: 'valid' })],
    [5, () => handBuiltFrame(rng, token)],
    [5, () => ({ data: mutateBytes(rng, Buffer.from(encodeRequest(base()))), binary: true, what: 'mutated bytes' })],
    [1, () => ({ data: rng.bytes(rng.int(40)), binary: true, what: 'random bytes' })],
    [1, () => ({ data: Buffer.from(requestToJson(base())), binary: false, what: 'a text frame' })],
  ]);
}

/** A frame for a socket of this encoding; `authShare` of the valid requests it starts from are `auth`. */
export function fuzzFrame(rng: Random, encoding: Encoding, token: string, authShare: number): FuzzFrame {
  const base = (): RequestInit => validRequest(rng, token, authShare);
  return encoding === 'json' ? jsonFrame(rng, base) : protobufFrame(rng, token, base);
}

// ---------------------------------------------------------------- the id PROTOCOL.md gives an answer

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The request's id if the frame is a message with a valid id (see "Checking requests"), else 0. */
export function expectedId(encoding: Encoding, frame: FuzzFrame): number {
  if ((encoding === 'protobuf') !== frame.binary) return 0;
  return encoding === 'json' ? jsonId(frame.data) : protobufId(frame.data);
}

function jsonId(data: Buffer): number {
  let value: unknown;
  try {
    value = JSON.parse(strictUtf8.decode(data));
  } catch {
    return 0;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 0;
  const id: unknown = (value as Record<string, unknown>)['id'];
  // `+ 0` turns an id of -0 into 0.
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 && id <= 0xffffffff ? id + 0 : 0;
}

/**
 * Whether the frame is a valid `reauth` after auth: its answer comes once the token is checked, so
 * it may follow the answers to later frames. Asks the protocol module's decoder (the oracle above
 * does not judge validity).
 */
export function answeredLater(encoding: Encoding, frame: FuzzFrame): boolean {
  try {
    const data = frame.binary ? frame.data : strictUtf8.decode(frame.data);
    return decodeRequestFrame(encoding, data).body === 'reauth';
  } catch {
    return false;
  }
}

/** Reads the top-level fields by the wire format's rules: any fault, or an id that is no uint32 varint, gives 0. */
function protobufId(data: Buffer): number {
  let pos = 0;
  const read = (): bigint | undefined => {
    let value = 0n;
    for (let i = 0; i < 10 && pos < data.length; i += 1) {
      const byte = data[pos++] as number;
      value += BigInt(byte & 0x7f) << BigInt(7 * i);
      if (byte < 0x80) return value < 2n ** 64n ? value : undefined;
    }
    return undefined;
  };
  let id = 0;
  let idValid = true;
  while (pos < data.length) {
    const key = read();
    if (key === undefined || key > 0xffffffffn || key >> 3n === 0n) return 0;
    const wireType = Number(key & 7n);
    let value: bigint | undefined = 0n;
    if (wireType === 0) value = read();
    else if (wireType === 1) pos += 8;
    else if (wireType === 5) pos += 4;
    else if (wireType === 2) {
      const length = read();
      if (length === undefined || length > BigInt(data.length - pos)) return 0;
      pos += Number(length);
    } else return 0;
    if (value === undefined || pos > data.length) return 0;
    if (key >> 3n === 1n) {
      if (wireType !== 0 || value > 0xffffffffn) idValid = false;
      else id = Number(value);
    }
  }
  return idValid ? id : 0;
}
