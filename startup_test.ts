/**
 * The processes' first seconds, run as real processes with a clean environment: a bad setting
 * or a busy port ends them with one line on stderr and exit code 1, and the scripts that would
 * only act on a throwaway in-memory store refuse to.
 */
import assert from "node:assert/strict";

const ROOT = new URL(".", import.meta.url).pathname;

async function run(
  script: string,
  env: Record<string, string>,
): Promise<{ code: number; stderr: string; stdout: string }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net",
      "--allow-env",
      "--allow-read",
      "--allow-write",
      "--allow-sys",
      script,
    ],
    cwd: ROOT,
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "",
      HOME: Deno.env.get("HOME") ?? "/tmp",
      NO_COLOR: "1",
      ...env,
    },
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(30_000),
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: output.code, stderr: decode(output.stderr), stdout: decode(output.stdout) };
}

function oneLine(stderr: string): string {
  const lines = stderr.split("\n").filter((l) => l.trim() !== "");
  assert.equal(lines.length, 1, `expected one line on stderr, got:\n${stderr}`);
  return lines[0];
}

Deno.test({
  name: "startup failures end the process with one line and exit code 1",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async (t) => {
    for (const script of ["main.ts", "worker.ts", "reindex.ts", "seed.ts"]) {
      await t.step(`${script} with PORT=abc names PORT`, async () => {
        const result = await run(script, { PORT: "abc" });
        assert.equal(result.code, 1);
        const line = oneLine(result.stderr);
        assert.match(line, /PORT/);
        assert.doesNotMatch(line, /\bat \S+:\d+/);
      });
    }

    await t.step("main.ts names a port already in use", async () => {
      const busy = Deno.listen({ hostname: "0.0.0.0", port: 0 });
      try {
        const port = (busy.addr as Deno.NetAddr).port;
        const result = await run("main.ts", { PORT: String(port), SYNC_IN_PROCESS: "0" });
        assert.equal(result.code, 1);
        const line = oneLine(result.stderr);
        assert.match(line, new RegExp(`port ${port} is already in use`));
        assert.match(line, /PORT/);
      } finally {
        busy.close();
      }
    });

    await t.step("seed.ts with no server refuses to fill a throwaway store", async () => {
      const result = await run("seed.ts", {});
      assert.equal(result.code, 1);
      const line = oneLine(result.stderr);
      assert.match(line, /in-memory/);
      assert.match(line, /DATABASE_URL/);
      assert.match(line, /MONGO_URL/);
    });

    await t.step("worker.ts with no server refuses to sync a throwaway store", async () => {
      const result = await run("worker.ts", {});
      assert.equal(result.code, 1);
      const line = oneLine(result.stderr);
      assert.match(line, /in-memory/);
      assert.match(line, /DATABASE_URL/);
    });
  },
});
