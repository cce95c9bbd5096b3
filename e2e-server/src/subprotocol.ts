// The subprotocol names of the e2e-server's sockets. Apart from protocol.ts so that a client can take
// them without the generated protocol code (see protocol-lean.ts).

/** The subprotocols a client may ask for; the server answers with the one it picked. */
export const Subprotocol = {
  /** Binary frames carrying protobuf `api.Request` / `api.Response` (the default). */
  Protobuf: 'api.v1.protobuf',
  /** Text frames carrying the same messages as JSON (enums as strings). */
  Json: 'api.v1.json',
} as const;
export type Subprotocol = (typeof Subprotocol)[keyof typeof Subprotocol];
