import { platformBrowser } from '@angular/platform-browser';
import { loadSettings } from './app/settings';

/** Shows why the app could not start, in the page rather than in the console. */
function showStartupError(error: unknown): void {
  const root = document.querySelector('app-root') ?? document.body;
  const message = document.createElement('p');
  message.className = 'boot-message boot-error';
  message.setAttribute('role', 'alert');
  message.textContent = `The menu board could not start. ${error instanceof Error ? error.message : String(error)}`;
  root.replaceChildren(message);
}

// The server's URLs are read before AppModule is loaded: its forRoot() configuration names them.
loadSettings()
  .then(() => import('./app/app.module'))
  .then(({ AppModule }) => platformBrowser().bootstrapModule(AppModule))
  .catch(showStartupError);
