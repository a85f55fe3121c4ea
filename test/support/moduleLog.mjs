// Preloaded with `node --import` by test/integration/cli/startup.test.ts: appends every module a
// process loads to the file named by LINESIDE_MODULE_LOG, one per line: ES modules as their
// resolved URL (from a resolve hook, which runs on Node's loader thread), CommonJS modules as the
// request and resolved file (from Module._load, which createRequire and `import` of a CommonJS
// package both go through).
import fs from 'node:fs';
import Module, { register } from 'node:module';

const file = process.env.LINESIDE_MODULE_LOG;
if (file) {
  register(
    'data:text/javascript,' +
      encodeURIComponent(`
        import fs from 'node:fs';
        const file = ${JSON.stringify(file)};
        export async function resolve(specifier, context, next) {
          const resolved = await next(specifier, context);
          fs.appendFileSync(file, 'esm ' + resolved.url + '\\n');
          return resolved;
        }
      `),
  );
  const load = Module._load;
  Module._load = function (request, parent, isMain) {
    let where = request;
    try {
      where = Module._resolveFilename(request, parent, isMain);
    } catch {
      // Left to the real loader to report.
    }
    fs.appendFileSync(file, `cjs ${request} ${where}\n`);
    return load.apply(this, arguments);
  };
}
