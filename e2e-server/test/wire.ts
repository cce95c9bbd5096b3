// Protobuf bytes by hand, for frames the encoder would never write: a wrong wire type, an id past
// 32 bits, two bodies, invalid UTF-8 in a string.

/** A varint of any unsigned value below 2^64 (negative values as their 64-bit two's complement). */
export function varint(value: bigint | number): Buffer {
  let rest = BigInt.asUintN(64, BigInt(value));
  const bytes: number[] = [];
  do {
    const low = Number(rest & 0x7fn);
    rest >>= 7n;
    bytes.push(rest > 0n ? low | 0x80 : low);
  } while (rest > 0n);
  return Buffer.from(bytes);
}

/** A field tag: its number and wire type (0 varint, 1 fixed64, 2 length-delimited, 5 fixed32). */
export function tag(number: number, wireType: number): Buffer {
  return varint((BigInt(number) << 3n) | BigInt(wireType));
}

export const wire = {
  varint: (number: number, value: bigint | number): Buffer => Buffer.concat([tag(number, 0), varint(value)]),
  double: (number: number, value: number): Buffer => {
    const bytes = Buffer.alloc(8);
    bytes.writeDoubleLE(value);
    return Buffer.concat([tag(number, 1), bytes]);
  },
  bytes: (number: number, payload: Uint8Array | string): Buffer => {
    const data = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload);
    return Buffer.concat([tag(number, 2), varint(data.length), data]);
  },
  fixed32: (number: number, value: number): Buffer => {
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32LE(value);
    return Buffer.concat([tag(number, 5), bytes]);
  },
};

/** The field numbers of `api.Request` (see proto/api.proto). */
export const REQUEST_FIELD = {
  id: 1,
  auth: 2,
  sub: 3,
  unsub: 4,
  ping: 5,
  menuList: 6,
  menuAdd: 7,
  menuRename: 8,
  menuDelete: 9,
  reauth: 10,
} as const;
