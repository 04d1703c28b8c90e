import { RenderMode, type ServerRoute } from '@angular/ssr';

/** Every page is prerendered at build time (static output: no server at run time). */
export const serverRoutes: ServerRoute[] = [{ path: '**', renderMode: RenderMode.Prerender }];
