/**
 * Renders the OpenAPI document as one self-contained HTML page: inline CSS, no scripts, no
 * external resources, so it works offline and under a strict Content-Security-Policy.
 */

// deno-lint-ignore no-explicit-any
type Json = any;

const REF_PREFIX = "#/components/schemas/";

function esc(text: unknown): string {
  return String(text ?? "").replace(
    /[&<>"']/g,
    (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!,
  );
}

/** Escapes, then renders `code` spans and paragraphs: all the markup the descriptions use. */
function prose(text: unknown): string {
  return String(text ?? "").split(/\n{2,}/).map((para) =>
    `<p>${esc(para).replace(/`([^`]+)`/g, "<code>$1</code>")}</p>`
  ).join("");
}

function inline(text: unknown): string {
  return esc(text).replace(/`([^`]+)`/g, "<code>$1</code>");
}

function anchor(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]+/g, "-");
}

function refName(ref: string): string {
  return ref.startsWith(REF_PREFIX) ? ref.slice(REF_PREFIX.length) : ref;
}

function refLink(ref: string): string {
  const name = refName(ref);
  return `<a href="#schema-${anchor(name)}">${esc(name)}</a>`;
}

/** A one-line description of a schema's type and constraints. */
function typeLabel(s: Json): string {
  if (!s || typeof s !== "object") return "any";
  if (s.$ref) return refLink(s.$ref);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return alternatives.map(typeLabel).join(" | ");
  if (s.const !== undefined) return `<code>${esc(JSON.stringify(s.const))}</code>`;
  if (s.enum) {
    return s.enum.map((v: unknown) => `<code>${esc(JSON.stringify(v))}</code>`).join(" | ");
  }
  const types: string[] = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  const parts: string[] = [];
  for (const t of types) {
    if (t === "array") parts.push(`array of ${typeLabel(s.items)}`);
    else if (
      t === "object" && s.additionalProperties && typeof s.additionalProperties === "object"
    ) {
      parts.push(`map of ${typeLabel(s.additionalProperties)}`);
    } else parts.push(esc(t));
  }
  let label = parts.join(" | ") || "any";
  const facts: string[] = [];
  if (s.format) facts.push(esc(s.format));
  if (s.minimum !== undefined) facts.push(`&ge; ${esc(s.minimum)}`);
  if (s.exclusiveMinimum !== undefined) facts.push(`&gt; ${esc(s.exclusiveMinimum)}`);
  if (s.maximum !== undefined) facts.push(`&le; ${esc(s.maximum)}`);
  if (s.exclusiveMaximum !== undefined) facts.push(`&lt; ${esc(s.exclusiveMaximum)}`);
  if (s.minLength !== undefined) facts.push(`length &ge; ${esc(s.minLength)}`);
  if (s.maxLength !== undefined) facts.push(`length &le; ${esc(s.maxLength)}`);
  if (s.maxItems !== undefined) facts.push(`at most ${esc(s.maxItems)} items`);
  if (s.pattern) facts.push(`pattern <code>${esc(s.pattern)}</code>`);
  if (s.propertyNames?.pattern) facts.push(`keys <code>${esc(s.propertyNames.pattern)}</code>`);
  if (s.default !== undefined) facts.push(`default <code>${esc(JSON.stringify(s.default))}</code>`);
  if (facts.length > 0) label += ` <span class="facts">(${facts.join(", ")})</span>`;
  return label;
}

/** A nullable field's description sits on its non-null alternative. */
function descriptionOf(s: Json): string | undefined {
  return s?.description ?? (s?.anyOf ?? s?.oneOf)?.find((a: Json) => a?.description)?.description;
}

/** Property rows, nested objects flattened as `parent.child`. */
function propertyRows(s: Json, prefix = "", depth = 0): string {
  if (!s || typeof s !== "object" || depth > 6) return "";
  const target = s.type === "array" && s.items?.type === "object" ? s.items : s;
  const props = target.properties;
  if (!props) return "";
  const required = new Set<string>(target.required ?? []);
  const arraySuffix = target === s ? "" : "[]";
  return Object.entries(props).map(([name, child]: [string, Json]) => {
    const path = `${prefix}${arraySuffix}${prefix || arraySuffix ? "." : ""}${name}`
      .replace(/^\./, "");
    const row = `<tr><td><code>${esc(path)}</code>${
      required.has(name) ? "" : ' <span class="opt">optional</span>'
    }</td><td>${typeLabel(child)}</td><td>${inline(descriptionOf(child))}</td></tr>`;
    const nested = child && !child.$ref &&
        (child.properties || (child.type === "array" && child.items?.properties))
      ? propertyRows(child, path, depth + 1)
      : "";
    return row + nested;
  }).join("");
}

function schemaBlock(s: Json): string {
  if (!s) return "";
  if (s.$ref) return `<p>Schema: ${refLink(s.$ref)}</p>`;
  const rows = propertyRows(s);
  return rows
    ? `<table><thead><tr><th>Field</th><th>Type</th><th>Description</th></tr></thead><tbody>${rows}</tbody></table>`
    : `<p>${typeLabel(s)}</p>`;
}

function parametersTable(params: Json[]): string {
  if (!params?.length) return "";
  const rows = params.map((p) =>
    `<tr><td><code>${esc(p.name)}</code>${
      p.required ? "" : ' <span class="opt">optional</span>'
    }</td><td>${esc(p.in)}</td><td>${typeLabel(p.schema)}</td><td>${
      inline(p.description)
    }</td></tr>`
  ).join("");
  return `<h4>Parameters</h4><table><thead><tr><th>Name</th><th>In</th><th>Type</th><th>Description</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function responsesTable(responses: Json): string {
  const rows = Object.entries(responses ?? {}).map(([status, r]: [string, Json]) => {
    const content = r.content ? Object.entries(r.content)[0] as [string, Json] : undefined;
    const schema = content ? `${esc(content[0])}: ${typeLabel(content[1].schema)}` : "no body";
    const description = inline(r.description).replace(
      /\(<code>\/docs#problem-([a-z_]+)<\/code>\)/g,
      '(<a href="#problem-$1"><code>$1</code></a>)',
    );
    const cls = Number(status) < 400 ? "ok" : "err";
    return `<tr><td><span class="status ${cls}">${
      esc(status)
    }</span></td><td>${description}</td><td>${schema}</td></tr>`;
  }).join("");
  return `<h4>Responses</h4><table><thead><tr><th>Status</th><th>Meaning</th><th>Body</th></tr></thead><tbody>${rows}</tbody></table>`;
}

const CSS = `
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2330;background:#fafbfc}
header{background:#1d2330;color:#fff;padding:1.5rem 2rem}header h1{margin:0 0 .25rem}
header p{margin:.4rem 0;max-width:70rem;color:#d6dbe4}header code{color:#fff;background:#2f3849}
.layout{display:flex;align-items:flex-start}
nav{position:sticky;top:0;max-height:100vh;overflow:auto;width:19rem;flex:none;padding:1rem;border-right:1px solid #e3e6eb;background:#fff;box-sizing:border-box}
nav h3{font-size:.8rem;text-transform:uppercase;color:#6b7385;margin:1rem 0 .3rem}
nav a{display:block;color:#1d2330;text-decoration:none;font-size:.85rem;padding:.1rem 0}
nav a:hover{text-decoration:underline}
main{flex:1;padding:1rem 2rem;min-width:0}
section.op{background:#fff;border:1px solid #e3e6eb;border-radius:6px;padding:1rem 1.25rem;margin:1rem 0}
.op h3{margin:0;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:1rem}
.method{display:inline-block;min-width:4.2rem;text-align:center;border-radius:4px;color:#fff;font-size:.8rem;padding:.1rem .4rem;margin-right:.5rem}
.get{background:#2f7d4a}.post{background:#2d5fa8}.put{background:#9a6a00}.patch{background:#7a4fb0}.delete{background:#b23b3b}
.badge{font-size:.75rem;border:1px solid #c9ced8;border-radius:10px;padding:0 .5rem;margin-left:.5rem;color:#4a5263}
.summary{margin:.4rem 0;font-weight:600}
table{border-collapse:collapse;width:100%;margin:.4rem 0 .8rem;font-size:.88rem}
th,td{border-bottom:1px solid #eceef2;text-align:left;padding:.3rem .5rem;vertical-align:top}
th{color:#6b7385;font-weight:600}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em;background:#f0f2f5;padding:0 .2rem;border-radius:3px}
.opt{color:#8a92a3;font-size:.75rem}.facts{color:#6b7385}
.status{font-family:ui-monospace,Menlo,Consolas,monospace;font-weight:700}.ok{color:#2f7d4a}.err{color:#b23b3b}
h2{margin-top:2rem;border-bottom:2px solid #e3e6eb;padding-bottom:.3rem}
h4{margin:.8rem 0 .2rem;font-size:.85rem;text-transform:uppercase;color:#6b7385}
a{color:#2d5fa8}
`;

export function renderDocs(spec: Json): string {
  const ops: { tag: string; method: string; path: string; op: Json }[] = [];
  for (const [path, item] of Object.entries(spec.paths ?? {}) as [string, Json][]) {
    for (const [method, op] of Object.entries(item) as [string, Json][]) {
      ops.push({ tag: op.tags?.[0] ?? "Other", method, path, op });
    }
  }
  const tags: Json[] = spec.tags ?? [];
  const tagNames = [
    ...tags.map((t) => t.name),
    ...new Set(ops.map((o) => o.tag).filter((t) => !tags.some((x) => x.name === t))),
  ];

  const nav = tagNames.map((tag) => {
    const links = ops.filter((o) => o.tag === tag).map((o) =>
      `<a href="#op-${anchor(o.op.operationId)}"><b>${esc(o.method.toUpperCase())}</b> ${
        esc(o.path)
      }</a>`
    ).join("");
    return `<h3>${esc(tag)}</h3>${links}`;
  }).join("") +
    `<h3>Reference</h3><a href="#schemas">Schemas</a><a href="#problems">Problem types</a>` +
    `<a href="/openapi.json">openapi.json</a>`;

  const sections = tagNames.map((tag) => {
    const info = tags.find((t) => t.name === tag);
    const body = ops.filter((o) => o.tag === tag).map(({ method, path, op }) => {
      const auth = op.security?.length
        ? `<span class="badge">${
          op["x-required-role"] === "admin" ? "admin" : "bearer token"
        }</span>`
        : `<span class="badge">public</span>`;
      const requestBody = op.requestBody
        ? `<h4>Request body${
          op.requestBody.required ? "" : ' <span class="opt">optional</span>'
        }</h4>${schemaBlock(op.requestBody.content?.["application/json"]?.schema)}`
        : "";
      return `<section class="op" id="op-${anchor(op.operationId)}">
<h3><span class="method ${esc(method)}">${esc(method.toUpperCase())}</span>${esc(path)}${auth}</h3>
<p class="summary">${inline(op.summary)}</p>${op.description ? prose(op.description) : ""}
${parametersTable(op.parameters)}${requestBody}${responsesTable(op.responses)}</section>`;
    }).join("\n");
    return `<h2 id="tag-${anchor(tag)}">${esc(tag)}</h2>${
      info?.description ? prose(info.description) : ""
    }${body}`;
  }).join("\n");

  const schemas = Object.entries(spec.components?.schemas ?? {}).map(([name, s]: [string, Json]) =>
    `<section class="op" id="schema-${anchor(name)}"><h3>${esc(name)}</h3>${
      s.description ? prose(s.description) : ""
    }${schemaBlock(s)}</section>`
  ).join("\n");

  const problemTypes = spec["x-problem-types"] ?? {};
  const problems = Object.values(problemTypes).map((p: Json) =>
    `<tr id="problem-${esc(p.code)}"><td><code>${esc(p.code)}</code></td><td>${
      esc(p.status)
    }</td><td>${esc(p.title)}</td></tr>`
  ).join("");

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(spec.info?.title)} reference</title><style>${CSS}</style></head>
<body><header><h1>${esc(spec.info?.title)} <small>${esc(spec.info?.version)}</small></h1>
${prose(spec.info?.description)}</header>
<div class="layout"><nav>${nav}</nav><main>${sections}
<h2 id="schemas">Schemas</h2>${schemas}
<h2 id="problems">Problem types</h2>
<p>Every error body is <code>application/problem+json</code>; its <code>type</code> is <code>/docs#problem-&lt;code&gt;</code>.</p>
<table><thead><tr><th>Code</th><th>Status</th><th>Title</th></tr></thead><tbody>${problems}</tbody></table>
</main></div></body></html>`;
}
