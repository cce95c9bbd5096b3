import { bootstrapApplication } from '@angular/platform-browser';
import { App } from './app/app';
import { createAppConfig } from './app/app.config';

// `?offline` runs the app against the packages' in-memory backend and scripted sockets.
const offline = new URLSearchParams(location.search).has('offline');

bootstrapApplication(App, createAppConfig({ offline })).catch((error: unknown) => {
  document.body.textContent = `The app could not start: ${String(error)}`;
});
