/*
 * Public API of customapp-rxjs-websocket.
 */
export const placeholder = 1;
