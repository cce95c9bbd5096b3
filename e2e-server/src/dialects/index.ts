// Every dialect endpoint the server offers, by name. Each file of this folder adds one line here.
import type { DialectFactory } from './dialect.js';

export const DIALECTS: readonly DialectFactory[] = [];
