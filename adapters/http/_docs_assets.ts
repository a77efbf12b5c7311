/**
 * The files behind /docs: Scalar's API reference (its standalone browser bundle, read from the
 * npm package that `deno install` put in node_modules, so the page works offline) and the
 * page's own script. Each is read once, gzipped once, and served with an ETag.
 */

export interface Asset {
  readonly body: Uint8Array<ArrayBuffer>;
  readonly gzipped: Uint8Array<ArrayBuffer>;
  readonly etag: string;
}

/** The npm package deno.json maps `@scalar/api-reference` to; its exports point into dist/. */
const SCALAR_ENTRY = "@scalar/api-reference";

async function gzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function asset(body: Uint8Array<ArrayBuffer>, etag: string): Promise<Asset> {
  // Weak: the gzipped and the plain bytes are the same representation.
  return { body, gzipped: await gzip(body), etag: `W/"${etag}"` };
}

/** Loads on first use and keeps the result; a failed load is retried on the next call. */
function once(load: () => Promise<Asset>): () => Promise<Asset> {
  let pending: Promise<Asset> | undefined;
  return () => {
    pending ??= load().catch((error) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

/** Scalar's standalone bundle (one self-contained script, styles included). */
export const scalarBundle = once(async () => {
  const entry = new URL(import.meta.resolve(SCALAR_ENTRY));
  if (entry.protocol !== "file:") {
    throw new Error(`${SCALAR_ENTRY} is not installed in node_modules: run deno install`);
  }
  const root = new URL("../", entry); // <package>/dist/index.js -> <package>/
  const { version } = JSON.parse(await Deno.readTextFile(new URL("package.json", root)));
  const body = await Deno.readFile(new URL("dist/browser/standalone.js", root));
  return asset(body, `scalar-${version}`);
});

/** The page's script: mounts the reference with every outside fetch turned off. */
export const docsScript = once(async () => {
  const body = await Deno.readFile(new URL("./_docs_page.js", import.meta.url));
  const digest = await crypto.subtle.digest("SHA-256", body);
  const hex = [...new Uint8Array(digest).slice(0, 8)]
    .map((b) => b.toString(16).padStart(2, "0")).join("");
  return asset(body, `page-${hex}`);
});
