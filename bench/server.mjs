// The loopback server of `npm run bench`, in its own process (run.mjs forks it) so that it never
// shares the clients' thread, and built so that it is never the bottleneck: it speaks just the part
// of WebSocket the bench uses (RFC 6455: handshake, unfragmented text frames, close), reads the
// requests with a byte scanner, and writes frames encoded in bulk, BATCH of them per write of the
// TCP socket (`ws.send` makes one write per frame). Nothing is printed.
//
// A client connects to ws://127.0.0.1:<port>/<its name>. run.mjs drives the server over IPC:
//   { seq, op: 'push', client, count }          writes `count` pushes {"id":0,"push":{"n":…,"name":"category"}}
//   { seq, op: 'hold', client, count, manual, repeat }
//                                               holds the next `count` requests of that client (flat JSON
//                                               objects of integers, {"id":…,"echo":…}), then answers
//                                               {"id":…,"echo":…} in reverse order of arrival; with
//                                               `manual`, reports { event: 'held', client } instead and
//                                               answers on 'release'; with `repeat`, holds the next
//                                               `count` after answering, until a hold without it
//   { seq, op: 'release', client }
//   { seq, op: 'cpu' }                          replies with this process's CPU time in ms
// Every op but 'push' is acknowledged with { seq, ... }.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';

const BATCH = 1000;
const OPCODE_TEXT = 0x1;
const OPCODE_CLOSE = 0x8;
const QUOTE = 0x22;

/** An unmasked, final text frame around an ASCII payload, as a latin1 string (one char per byte). */
function textFrame(payload) {
  const length = payload.length;
  if (length < 126) return String.fromCharCode(0x80 | OPCODE_TEXT, length) + payload;
  if (length < 0x10000) return String.fromCharCode(0x80 | OPCODE_TEXT, 126, length >> 8, length & 0xff) + payload;
  throw new RangeError('bench frames are shorter than 64 KiB');
}

/** Writes `count` frames made by `frameAt(i)`, BATCH of them per write. */
function writeFrames(socket, count, frameAt) {
  for (let start = 0; start < count; start += BATCH) {
    let chunk = '';
    for (let i = start; i < Math.min(start + BATCH, count); i++) chunk += frameAt(i);
    socket.write(Buffer.from(chunk, 'latin1'));
  }
}

/** The pushes of a 'push' op, encoded once per count and then only written. */
const pushChunks = new Map();
function pushes(count) {
  let chunks = pushChunks.get(count);
  if (!chunks) {
    chunks = [];
    writeFrames({ write: (chunk) => chunks.push(chunk) }, count, (n) => textFrame(`{"id":0,"push":{"n":${n},"name":"category"}}`));
    pushChunks.set(count, chunks);
  }
  return chunks;
}

/** A connected client: its TCP socket, the frame it is reading and the requests held for it. */
class Client {
  hold = 0;
  manual = false;
  repeat = false;
  /** Ids and echoes of the held requests, flat: [id, echo, id, echo, …]. */
  held = [];
  /** The start of a frame that has not fully arrived. */
  rest = undefined;

  constructor(name, socket) {
    this.name = name;
    this.socket = socket;
    socket.on('data', (chunk) => this.read(chunk));
  }

  /** Reads every complete frame of `chunk` (client frames are masked; the bench never fragments). */
  read(chunk) {
    const bytes = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    let at = 0;
    while (bytes.length - at >= 2) {
      const opcode = bytes[at] & 0x0f;
      let length = bytes[at + 1] & 0x7f;
      let header = 2;
      if (length === 126) {
        if (bytes.length - at < 4) break;
        length = bytes.readUInt16BE(at + 2);
        header = 4;
      } else if (length === 127) {
        if (bytes.length - at < 10) break;
        length = Number(bytes.readBigUInt64BE(at + 2));
        header = 10;
      }
      const mask = at + header;
      const start = mask + 4;
      if (bytes.length < start + length) break;
      for (let i = 0; i < length; i++) bytes[start + i] ^= bytes[mask + (i & 3)];
      if (opcode === OPCODE_TEXT) this.receive(bytes, start, start + length);
      else if (opcode === OPCODE_CLOSE) this.close(bytes.subarray(start, start + length));
      at = start + length;
    }
    this.rest = at < bytes.length ? bytes.subarray(at) : undefined;
  }

  /** Holds one request: reads its "id" and "echo" (a key's first letter tells them apart). */
  receive(bytes, start, end) {
    let id = 0;
    let echo = 0;
    for (let i = start; i < end; i++) {
      if (bytes[i] !== QUOTE) continue;
      const key = bytes[i + 1];
      i += 2;
      while (bytes[i] !== QUOTE) i++;
      i += 2; // the closing quote and the colon
      let value = 0;
      for (; bytes[i] >= 0x30 && bytes[i] <= 0x39; i++) value = value * 10 + bytes[i] - 0x30;
      if (key === 0x69) id = value; // "id"
      else echo = value; // "echo"
    }
    this.held.push(id, echo);
    if (this.held.length < 2 * this.hold) return;
    if (this.held.length > 2 * this.hold) throw new Error(`${this.name} sent a request nobody asked the server to hold`);
    if (this.manual) process.send({ event: 'held', client: this.name });
    else this.release();
  }

  release() {
    const held = this.held;
    const last = held.length / 2 - 1;
    this.held = [];
    if (!this.repeat) this.hold = 0;
    writeFrames(this.socket, last + 1, (i) => textFrame(`{"id":${held[2 * (last - i)]},"echo":${held[2 * (last - i) + 1]}}`));
  }

  /** Answers a close frame with the same status and ends the connection. */
  close(status) {
    this.socket.end(Buffer.concat([Buffer.from([0x80 | OPCODE_CLOSE, status.length]), status]));
    clients.delete(this.name);
  }
}

const clients = new Map();
const server = createServer((request, response) => response.writeHead(426).end());

server.on('upgrade', (request, socket, head) => {
  const accept = createHash('sha1').update(`${request.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
  socket.setNoDelay(true);
  socket.on('error', () => socket.destroy());
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  const client = new Client(request.url.slice(1), socket);
  clients.set(client.name, client);
  if (head.length > 0) client.read(head);
});

server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));

process.on('message', ({ seq, op, client: name, count, manual = false, repeat = false }) => {
  const client = clients.get(name);
  if (op === 'push') {
    for (const chunk of pushes(count)) client.socket.write(chunk);
    return;
  }
  if (op === 'hold') {
    client.hold = count;
    client.manual = manual;
    client.repeat = repeat;
  } else if (op === 'release') {
    client.release();
  } else if (op === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send({ seq, cpu: (user + system) / 1000 });
    return;
  }
  process.send({ seq });
});

// run.mjs went away (finished or failed): so does the server.
process.on('disconnect', () => process.exit(0));
