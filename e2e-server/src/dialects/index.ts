// Every dialect endpoint the server offers, by name. Each file of this folder adds one line here.
import { channelsDialect } from './channels.js';
import type { DialectFactory } from './dialect.js';
import { handlersDialect } from './handlers.js';
import { registerDialect } from './register.js';
import { roomsDialect } from './rooms.js';

export const DIALECTS: readonly DialectFactory[] = [
  roomsDialect,
  channelsDialect,
  handlersDialect,
  registerDialect,
];
