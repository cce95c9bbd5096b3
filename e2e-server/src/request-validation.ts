// The strict checks of an incoming request, one rule set for both encodings, run before protobufjs
// builds the message (its fromObject coerces: "5" becomes 5, -1 becomes 4294967295, ["x"] becomes
// "x"; its decoder lets the last of two bodies win). Every field present must have its type, a
// message carries one body at most, and text must be well-formed Unicode. Browser-safe.
import type { api } from '../generated/api.js';

/**
 * A frame that is not a request: not decodable, a field of the wrong type, or two bodies.
 * `requestId` is the request's id when the frame was a message whose own id was valid, else 0.
 */
export class MalformedFrameError extends Error {
  constructor(
    reason: string,
    readonly requestId = 0,
  ) {
    super(`Malformed frame: ${reason}`);
    this.name = 'MalformedFrameError';
  }
}

/**
 * A request of the right shape whose text is not well-formed Unicode: a lone surrogate in JSON
 * (`"\ud800"`), bytes that are not UTF-8 in a protobuf string. Answered `BAD_REQUEST` with `requestId`.
 */
export class IllFormedTextError extends Error {
  constructor(
    readonly field: string,
    readonly requestId: number,
  ) {
    super(`${field} is not well-formed Unicode text.`);
    this.name = 'IllFormedTextError';
  }
}

type BodyName = NonNullable<api.Request['body']>;
type ScalarType = 'string' | 'double' | 'SubKind' | 'uint64';

interface ScalarSpec {
  readonly name: string;
  readonly number: number;
  readonly type: ScalarType;
}

/** A field holding a message: like a body, it may appear once, and its own fields are checked too. */
interface MessageSpec {
  readonly name: string;
  readonly number: number;
  readonly type: 'message';
  readonly fields: readonly FieldSpec[];
}

type FieldSpec = ScalarSpec | MessageSpec;

interface BodySpec {
  readonly name: BodyName;
  readonly number: number;
  readonly fields: readonly FieldSpec[];
}

/** `Request.id`'s field number. */
const ID_FIELD = 1;
const UINT32_MAX = 0xffff_ffffn;
const INT32_MAX = 0x7fff_ffffn;
const UINT64_LIMIT = 1n << 64n;
/** A uint64 of this protocol (a position's seq) stays below 2^53: a plain number in JSON and JavaScript. */
const UINT64_SAFE_LIMIT = BigInt(Number.MAX_SAFE_INTEGER) + 1n;

const STREAM_POSITION: readonly FieldSpec[] = [
  { name: 'epoch', number: 1, type: 'string' },
  { name: 'seq', number: 2, type: 'uint64' },
];

/** The request bodies of `api.proto` with their fields (a test keeps this in step with the generated code). */
export const REQUEST_BODY_SPECS: readonly BodySpec[] = [
  { name: 'auth', number: 2, fields: [{ name: 'accessToken', number: 1, type: 'string' }] },
  {
    name: 'sub',
    number: 3,
    fields: [
      { name: 'kind', number: 1, type: 'SubKind' },
      { name: 'since', number: 2, type: 'message', fields: STREAM_POSITION },
    ],
  },
  { name: 'unsub', number: 4, fields: [{ name: 'kind', number: 1, type: 'SubKind' }] },
  { name: 'ping', number: 5, fields: [{ name: 'clientTime', number: 1, type: 'double' }] },
  { name: 'menuList', number: 6, fields: [] },
  { name: 'menuAdd', number: 7, fields: [{ name: 'name', number: 1, type: 'string' }] },
  {
    name: 'menuRename',
    number: 8,
    fields: [
      { name: 'id', number: 1, type: 'string' },
      { name: 'name', number: 2, type: 'string' },
    ],
  },
  { name: 'menuDelete', number: 9, fields: [{ name: 'id', number: 1, type: 'string' }] },
  { name: 'reauth', number: 10, fields: [{ name: 'accessToken', number: 1, type: 'string' }] },
];

const BODY_BY_NUMBER = new Map(REQUEST_BODY_SPECS.map((spec) => [spec.number, spec]));

/** What each type is in JSON, for the error message. */
const JSON_TYPE_NAMES: Readonly<Record<FieldSpec['type'], string>> = {
  string: 'a string',
  double: 'a number within the range of a double',
  SubKind: 'a SubKind name, or its number (an int32)',
  uint64: `a whole number from 0 to ${Number.MAX_SAFE_INTEGER}`,
  message: 'an object',
};

/** The protobuf wire type each field type must come with. */
const WIRE_TYPES: Readonly<Record<FieldSpec['type'], number>> = { string: 2, double: 1, SubKind: 0, uint64: 0, message: 2 };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Checks a parsed JSON request (an object) strictly; throws MalformedFrameError or IllFormedTextError.
 * `null` is no value of any type; keys this protocol does not know are ignored.
 */
export function checkJsonRequest(request: Readonly<Record<string, unknown>>): void {
  const id = has(request, 'id') ? request['id'] : 0;
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > Number(UINT32_MAX)) {
    throw new MalformedFrameError('"id" must be a whole number from 0 to 4294967295');
  }
  const bodies = REQUEST_BODY_SPECS.filter((spec) => has(request, spec.name));
  if (bodies.length > 1) throw new MalformedFrameError(`one message carries ${bodies.map((spec) => spec.name).join(' and ')}`, id);
  const spec = bodies[0];
  if (!spec) return;
  const illFormed = checkJsonMessage(request[spec.name], spec.name, spec.fields, id);
  if (illFormed) throw new IllFormedTextError(illFormed, id);
}

/** Checks one JSON message and its fields, nested ones included; returns the first ill-formed string's path. */
function checkJsonMessage(message: unknown, path: string, fields: readonly FieldSpec[], id: number): string | undefined {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    throw new MalformedFrameError(`"${path}" must be an object`, id);
  }
  let illFormed: string | undefined;
  for (const field of fields) {
    if (!has(message, field.name)) continue;
    const value = (message as Record<string, unknown>)[field.name];
    const where = `${path}.${field.name}`;
    if (field.type === 'message') {
      // Checked even when a string before it was ill-formed: a wrong type anywhere wins.
      const nested = checkJsonMessage(value, where, field.fields, id);
      illFormed ??= nested;
      continue;
    }
    if (!isJsonOfType(value, field.type)) throw new MalformedFrameError(`"${where}" must be ${JSON_TYPE_NAMES[field.type]}`, id);
    if (typeof value === 'string' && !isWellFormed(value)) illFormed ??= where;
  }
  return illFormed;
}

/**
 * Checks protobuf bytes of a request strictly; throws MalformedFrameError or IllFormedTextError.
 * Known fields must come with their wire type, `id` must fit 32 bits unsigned, an enum 32 bits
 * signed and a uint64 53 bits, a body (or any field holding a message) may appear once, and strings
 * must be UTF-8. Unknown fields are skipped.
 */
export function checkProtobufRequest(bytes: Uint8Array): void {
  const fields = readFields(bytes, 0, bytes.length, 0);
  let id = 0;
  for (const field of fields) {
    if (field.number !== ID_FIELD) continue;
    if (field.wireType !== 0 || field.varint > UINT32_MAX) throw new MalformedFrameError('"id" must be a uint32 varint');
    id = Number(field.varint);
  }
  const bodies = fields.filter((field) => BODY_BY_NUMBER.has(field.number));
  if (bodies.length > 1) {
    const names = [...new Set(bodies.map((field) => BODY_BY_NUMBER.get(field.number)?.name))];
    throw new MalformedFrameError(`one message carries ${names.length > 1 ? names.join(' and ') : `${names[0]} twice`}`, id);
  }
  const body = bodies[0];
  const spec = body && BODY_BY_NUMBER.get(body.number);
  if (!body || !spec) return;
  if (body.wireType !== 2) throw new MalformedFrameError(`"${spec.name}" must be a length-delimited message`, id);
  const illFormed = checkProtobufMessage(bytes, body, spec.name, spec.fields, id);
  if (illFormed) throw new IllFormedTextError(illFormed, id);
}

/** Checks the fields of one protobuf message, nested ones included; returns the first ill-formed string's path. */
function checkProtobufMessage(bytes: Uint8Array, message: WireField, path: string, fields: readonly FieldSpec[], id: number): string | undefined {
  let illFormed: string | undefined;
  const seen = new Set<number>();
  for (const field of readFields(bytes, message.start, message.end, id)) {
    const fieldSpec = fields.find((candidate) => candidate.number === field.number);
    if (!fieldSpec) continue;
    const where = `${path}.${fieldSpec.name}`;
    if (field.wireType !== WIRE_TYPES[fieldSpec.type]) throw new MalformedFrameError(`"${where}" has the wrong wire type`, id);
    switch (fieldSpec.type) {
      case 'message': {
        // Protobuf would merge two occurrences into one message; like two bodies, that is refused.
        if (seen.has(field.number)) throw new MalformedFrameError(`"${where}" appears twice`, id);
        seen.add(field.number);
        // Checked even when a string before it was ill-formed: a wrong type anywhere wins.
        const nested = checkProtobufMessage(bytes, field, where, fieldSpec.fields, id);
        illFormed ??= nested;
        break;
      }
      case 'SubKind':
        if (!fitsInt32(field.varint)) throw new MalformedFrameError(`"${where}" does not fit an enum`, id);
        break;
      case 'uint64':
        if (field.varint >= UINT64_SAFE_LIMIT) throw new MalformedFrameError(`"${where}" must be below 2^53`, id);
        break;
      case 'string':
        if (!isUtf8(bytes.subarray(field.start, field.end))) illFormed ??= where;
        break;
      case 'double':
        break;
    }
  }
  return illFormed;
}

function isJsonOfType(value: unknown, type: ScalarType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'double':
      // A literal past the double range (1e999) parses as Infinity, which JSON cannot echo back.
      return typeof value === 'number' && Number.isFinite(value);
    case 'SubKind':
      // Protobuf's JSON mapping writes an enum value it has no name for as its number.
      return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31);
    case 'uint64':
      // A number only (protobuf's JSON mapping would also take a string of digits; nothing is coerced here).
      return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
  }
}

/** Whether a string has no lone surrogate (`String.prototype.isWellFormed`, which older browsers lack). */
export function isWellFormed(text: string): boolean {
  return !/\p{Surrogate}/u.test(text);
}

/** One field as read off the wire: a varint's value, or where the bytes of the others lie. */
interface WireField {
  number: number;
  wireType: number;
  varint: bigint;
  start: number;
  end: number;
}

/** The fields between `start` and `end`, checked for structure only (tags, lengths, wire types). */
function readFields(bytes: Uint8Array, start: number, end: number, requestId: number): WireField[] {
  const fields: WireField[] = [];
  const fail = (reason: string): never => {
    throw new MalformedFrameError(reason, requestId);
  };
  let pos = start;
  const varint = (): bigint => {
    let value = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (pos >= end) return fail('a varint runs past the end of its message');
      const byte = bytes[pos++] as number;
      value |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return value < UINT64_LIMIT ? value : fail('a varint exceeds 64 bits');
    }
    return fail('a varint is longer than 10 bytes');
  };
  while (pos < end) {
    const tag = varint();
    if (tag > UINT32_MAX) fail('a field tag exceeds 32 bits');
    const number = Number(tag >> 3n);
    const wireType = Number(tag & 7n);
    if (number === 0) fail('a field has the number 0');
    const field: WireField = { number, wireType, varint: 0n, start: pos, end: pos };
    switch (wireType) {
      case 0:
        field.varint = varint();
        break;
      case 1:
      case 5:
        field.start = pos;
        pos += wireType === 1 ? 8 : 4;
        break;
      case 2: {
        const length = varint();
        field.start = pos;
        if (length > BigInt(end - pos)) fail('a length-delimited field runs past the end of its message');
        pos += Number(length);
        break;
      }
      default:
        // Groups (3, 4) are not part of proto3; 6 and 7 are no wire type.
        fail(`wire type ${wireType} is not allowed`);
    }
    if (pos > end) fail('a fixed-size field runs past the end of its message');
    field.end = pos;
    fields.push(field);
  }
  return fields;
}

/** An int32 on the wire: 0 … 2^31-1, or a negative one sign-extended to 64 bits. */
function fitsInt32(value: bigint): boolean {
  return value <= INT32_MAX || value >= UINT64_LIMIT - (INT32_MAX + 1n);
}

/** Whether bytes are UTF-8 (no stray or overlong sequence, no encoded surrogate). */
export function isUtf8(bytes: Uint8Array): boolean {
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function has(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}
