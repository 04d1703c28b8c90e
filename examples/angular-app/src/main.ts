import { bootstrapApplication } from '@angular/platform-browser';
import { App } from './app/app';
import { appConfig } from './app/app.config';

bootstrapApplication(App, appConfig).then(
  (appRef) => {
    // Leaving the page destroys the app, so EchoService closes its socket with 1000 (the
    // browser would close it with 1001). A page restored from the back/forward cache reloads.
    addEventListener('pagehide', () => appRef.destroy(), { once: true });
    addEventListener('pageshow', (event) => {
      if (event.persisted) location.reload();
    });
  },
  (error: unknown) => console.error(error),
);
