// Gives the browser bundle in SITE/pkg content-hashed names, so a CDN or browser may keep
// each file forever (a new build has new names), and writes each one precompressed
// beside it (brotli at its best quality, and gzip) for the server to send as it is.
// SITE/pkg/bundle.json tells the server the names. Usage: node bundle.mjs SITE
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

const pkg = path.join(process.argv[2] ?? 'target/site', 'pkg');
const files = { js: 'pacer.js', wasm: 'pacer_bg.wasm', css: 'pacer.css' };
const bundle = {};
for (const [kind, name] of Object.entries(files)) {
  const bytes = fs.readFileSync(path.join(pkg, name));
  const hash = crypto.createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const hashed = `pacer.${hash}.${kind}`;
  fs.renameSync(path.join(pkg, name), path.join(pkg, hashed));
  const br = zlib.brotliCompressSync(bytes, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
      [zlib.constants.BROTLI_PARAM_LGWIN]: zlib.constants.BROTLI_MAX_WINDOW_BITS,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      [zlib.constants.BROTLI_PARAM_MODE]: kind === 'wasm' ? zlib.constants.BROTLI_MODE_GENERIC : zlib.constants.BROTLI_MODE_TEXT,
    },
  });
  const gz = zlib.gzipSync(bytes, { level: 9 });
  fs.writeFileSync(path.join(pkg, `${hashed}.br`), br);
  fs.writeFileSync(path.join(pkg, `${hashed}.gz`), gz);
  bundle[kind] = hashed;
  console.log(`${hashed}: ${bytes.length} bytes, ${br.length} brotli, ${gz.length} gzip`);
}
fs.writeFileSync(path.join(pkg, 'bundle.json'), `${JSON.stringify(bundle, null, 2)}\n`);
