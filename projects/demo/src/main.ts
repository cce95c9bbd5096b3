import { bootstrapApplication } from '@angular/platform-browser';
import { App } from './app/app';
import { createAppConfig } from './app/app.config';
import { loadDemoConfig } from './app/demo-config';

/** Shows why the app could not start, in the page rather than in the console. */
function showStartupError(error: unknown): void {
  const root = document.querySelector('app-root') ?? document.body;
  const message = document.createElement('p');
  message.className = 'boot-message boot-error';
  message.setAttribute('role', 'alert');
  message.textContent = `The menu board could not start. ${error instanceof Error ? error.message : String(error)}`;
  root.replaceChildren(message);
}

loadDemoConfig()
  .then((config) => bootstrapApplication(App, createAppConfig(config)))
  .catch(showStartupError);
