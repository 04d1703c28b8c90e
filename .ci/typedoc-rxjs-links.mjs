// A TypeDoc plugin for `npm run docs`. The sockets extend RxJS's Observable, so the reference
// shows the members they inherit with RxJS's own TSDoc, whose `{@link firstValueFrom}` and the
// like point at RxJS functions TypeDoc cannot see (rxjs's .d.ts does not import them). This
// points those links at rxjs.dev, so that every other unresolved link is still an error.
import { Converter } from 'typedoc';

const RXJS_FUNCTIONS = ['firstValueFrom', 'lastValueFrom', 'timeout', 'take', 'takeWhile', 'takeUntil'];

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(
    Converter.EVENT_RESOLVE_BEGIN,
    (context) => {
      for (const reflection of Object.values(context.project.reflections)) {
        const fromRxjs = reflection.sources?.some((source) => /node_modules\/rxjs\//.test(source.fullFileName));
        if (!fromRxjs) continue;
        const comments = [reflection.comment, ...(reflection.signatures ?? []).map((s) => s.comment)];
        for (const comment of comments) {
          const parts = [...(comment?.summary ?? []), ...(comment?.blockTags ?? []).flatMap((tag) => tag.content)];
          for (const part of parts) {
            const name = part.kind === 'inline-tag' && part.tag === '@link' ? part.text.trim() : undefined;
            if (name !== undefined && part.target === undefined && RXJS_FUNCTIONS.includes(name)) {
              part.target = `https://rxjs.dev/api/index/function/${name}`;
            }
          }
        }
      }
    },
    // before TypeDoc resolves the links
    200,
  );
}
