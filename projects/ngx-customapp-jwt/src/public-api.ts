/*
 * Public API Surface of ngx-customapp-jwt
 */

export * from './lib/ngx-customapp-jwt';
