/*
 * Public API Surface of ngx-customapp-pattern-auth-before-socket
 */

export * from './lib/ngx-customapp-pattern-auth-before-socket';
