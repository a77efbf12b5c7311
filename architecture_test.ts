/**
 * The dependency rule, enforced: the core (domain, application, ports) never reaches out to
 * adapters or infrastructure packages, and adapters never reach sideways into each other.
 */
import assert from "node:assert/strict";

const IMPORT =
  /(?:^|\s)(?:import|export)\s[^"';]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/gm;

async function* sourceFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) yield* sourceFiles(path);
    else if (entry.name.endsWith(".ts")) yield path;
  }
}

async function importsOf(path: string): Promise<string[]> {
  const text = await Deno.readTextFile(path);
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2]);
}

/** The top-level folder (or adapter folder) an import lands in, relative to the repo root. */
function target(from: string, specifier: string): string {
  if (!specifier.startsWith(".")) return specifier;
  const parts = from.split("/").slice(0, -1);
  for (const piece of specifier.split("/")) {
    if (piece === "..") parts.pop();
    else if (piece !== ".") parts.push(piece);
  }
  return parts.join("/");
}

const CORE_ALLOWED: Record<string, string[]> = {
  domain: ["domain/"],
  ports: ["domain/", "ports/"],
  application: ["domain/", "ports/", "application/"],
};

Deno.test("architecture: dependency rule", async (t) => {
  for (const [layer, allowed] of Object.entries(CORE_ALLOWED)) {
    await t.step(`${layer}/ imports only ${allowed.join(", ")} and zod`, async () => {
      const violations: string[] = [];
      for await (const file of sourceFiles(layer)) {
        if (file.endsWith("_test.ts") || file.includes("/contracts/")) continue;
        for (const spec of await importsOf(file)) {
          const to = target(file, spec);
          const ok = spec === "zod" || allowed.some((prefix) => to.startsWith(prefix));
          if (!ok) violations.push(`${file} -> ${spec}`);
        }
      }
      assert.deepEqual(violations, []);
    });
  }

  await t.step("adapters import inward or within their own folder, never sideways", async () => {
    const violations: string[] = [];
    for await (const file of sourceFiles("adapters")) {
      // Tests and their fixtures may wire anything together.
      if (/_test(_\w+)?\.ts$/.test(file)) continue;
      const own = file.split("/").slice(0, 2).join("/") + "/";
      for (const spec of await importsOf(file)) {
        if (!spec.startsWith(".")) continue;
        const to = target(file, spec);
        const inward = ["domain/", "ports/", "application/"].some((p) => to.startsWith(p));
        if (!inward && !to.startsWith(own)) violations.push(`${file} -> ${spec}`);
      }
    }
    assert.deepEqual(violations, []);
  });

  await t.step("only main.ts, config.ts and the composition read the environment", async () => {
    const offenders: string[] = [];
    for (const dir of ["domain", "application", "ports", "adapters"]) {
      for await (const file of sourceFiles(dir)) {
        if (file.endsWith("_test.ts") || file.includes("/contracts/")) continue;
        if ((await Deno.readTextFile(file)).includes("Deno.env")) offenders.push(file);
      }
    }
    assert.deepEqual(offenders, []);
  });
});
