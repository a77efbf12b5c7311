/**
 * Schemathesis (PyPI, in a cached virtualenv) against /openapi.json on the real stack, as the
 * admin so every route is reachable: zero 5xx and zero responses that break their documented
 * status codes, content types, headers or schemas. Bounded by examples per operation.
 *
 * It runs against its own API and worker on the same servers but in namespaces of their own
 * (database, MongoDB database, index prefix, Redis prefix): fuzzing as admin edits and refunds
 * at will, and the in-memory test payment provider can only refund charges its own process
 * took, so orders paid before an API restart elsewhere in the suite must not be in reach.
 */
import assert from "node:assert/strict";
import type { Figures } from "./_figures.ts";
import {
  createCategory,
  createProduct,
  createShipping,
  expectStatus,
  Http,
  login,
  register,
} from "./_http.ts";
import { CACHE, delay, REPO, run, shortHash } from "./_servers.ts";
import { LOG_DIR, type Stack } from "./_stack.ts";

/** The PostgreSQL and MongoDB database (and index and key prefix) the fuzzer runs in. */
export const FUZZ_DATABASE = "polycart_fuzz";

export const SCHEMATHESIS_VERSION = "4.32.5";
/**
 * Every package of the virtualenv, pinned: unpinned, each fresh install took the newest
 * Hypothesis, and the generator (and so what a fixed seed fuzzes) changed under us.
 */
const REQUIREMENTS = `${REPO}/reliability/schemathesis.requirements.txt`;

/** Creates the virtualenv from the pinned requirements once (keyed by their hash); reused. */
export async function ensureSchemathesis(): Promise<string> {
  const hash = await shortHash(await Deno.readFile(REQUIREMENTS));
  const VENV = `${CACHE}/schemathesis-${SCHEMATHESIS_VERSION}-${hash}`;
  const bin = `${VENV}/bin/schemathesis`;
  try {
    await Deno.stat(`${VENV}/.complete`);
    return bin;
  } catch {
    await Deno.remove(VENV, { recursive: true }).catch(() => {});
  }
  await Deno.mkdir(CACHE, { recursive: true });
  try {
    await run("python3", ["-m", "venv", VENV]);
  } catch (error) {
    // Debian's python3 comes without venv/ensurepip: install them from Debian, as root.
    await Deno.remove(VENV, { recursive: true }).catch(() => {});
    if (Deno.uid() !== 0) throw error;
    const env = { DEBIAN_FRONTEND: "noninteractive" };
    await run("apt-get", ["update", "-qq"], { env });
    await run("apt-get", [
      "install",
      "-y",
      "-qq",
      "--no-install-recommends",
      "python3",
      "python3-venv",
      "python3-pip",
    ], { env });
    await run("python3", ["-m", "venv", VENV]);
  }
  await run(`${VENV}/bin/pip`, ["install", "--quiet", "--requirement", REQUIREMENTS]);
  await Deno.writeTextFile(`${VENV}/.complete`, "");
  return bin;
}

export const CHECKS = [
  "not_a_server_error",
  "status_code_conformance",
  "content_type_conformance",
  "response_headers_conformance",
  "response_schema_conformance",
];

export async function fuzz(
  stack: Stack,
  figures: Figures,
  options: { maxExamples: number; seed: number },
): Promise<void> {
  const bin = await ensureSchemathesis();
  await stack.pg.provision(FUZZ_DATABASE);
  const env = {
    DATABASE_URL: stack.pg.urlOf(FUZZ_DATABASE),
    MONGO_DB: FUZZ_DATABASE,
    ES_INDEX_PREFIX: "fuzz",
    REDIS_PREFIX: "fuzz:",
  };
  const api = await stack.startExtraApi("api-fuzz", {
    ...env,
    MIGRATE_ON_START: "1",
    ADMIN_EMAIL: "admin@reliability.test",
    ADMIN_PASSWORD: stack.adminPassword,
  });
  const worker = await stack.startExtraWorker("worker-fuzz", env);
  try {
    // Something to find: products, a customer with a pending and a paid order.
    const http = new Http(api.url);
    const admin = await login(http, "admin@reliability.test", stack.adminPassword);
    await createCategory(http, admin.token, "reliability"); // a database of its own
    for (let i = 1; i <= 5; i++) await createProduct(http, admin.token, `FUZZ-${i}`, 1_000);
    const delivery = await createShipping(http, admin.token);
    const customer = await register(http, "fuzz-seed");
    for (const token of ["tok_visa", null]) {
      const order = await http.post("/orders", {
        token: customer.token,
        json: { ...delivery, items: [{ sku: "FUZZ-1", qty: 1 }] },
      });
      expectStatus(order, 201, "seed order");
      if (token) {
        const paid = await http.post("/payments", {
          token: customer.token,
          json: { orderId: order.body.id, provider: "test", paymentToken: token },
        });
        expectStatus(paid, 201, "seed payment");
      }
    }

    const workDir = `${stack.workDir}/schemathesis`;
    await Deno.mkdir(workDir, { recursive: true });
    const args = [
      "run",
      `${api.url}/openapi.json`,
      "--header",
      `Authorization: Bearer ${admin.token}`,
      "--checks",
      CHECKS.join(","),
      "--max-examples",
      String(options.maxExamples),
      "--seed",
      String(options.seed),
      // Logging out would revoke the token every later case runs with.
      "--exclude-path",
      "/auth/logout",
      // One worker: with two, Hypothesis calls ast.parse in both threads at once, and the
      // machine's CPython 3.11.7 shares the AST recursion counter between threads (CPython
      // gh-106905), so runs failed at random with "AST constructor recursion depth mismatch".
      "--workers",
      "1",
      "--request-timeout",
      "30",
      "--no-color",
    ];
    const out = await new Deno.Command(bin, {
      args,
      cwd: workDir,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    await Deno.writeTextFile(`${LOG_DIR}/schemathesis.log`, text);
    const generated = Number(/(\d+) generated/.exec(text)?.[1] ?? 0);
    figures.fuzzCases += generated;
    figures.checked("fuzzing: schemathesis cases", generated);
    const summary = text.slice(text.lastIndexOf("SUMMARY")).trim();
    figures.note(
      `schemathesis ${SCHEMATHESIS_VERSION}: ${generated} cases, seed ${options.seed}, ` +
        `${options.maxExamples} examples per operation; checks ${CHECKS.join(", ")}`,
    );
    assert.ok(generated > 0, `schemathesis ran no case:\n${text.slice(-3000)}`);
    assert.ok(
      out.success,
      `schemathesis found failures (see ${LOG_DIR}/schemathesis.log):\n${summary}`,
    );

    // Whatever the fuzzer wrote, the sync indexed it or is still at it: nothing was parked.
    let parked: unknown[] = [];
    for (let i = 0; i < 20; i++) {
      const status = await http.get("/admin/sync/status", { token: admin.token });
      expectStatus(status, 200, "sync status after fuzzing");
      parked = status.body.parked;
      if (parked.length > 0 || status.body.pending === 0) break;
      await delay(500);
    }
    assert.deepEqual(parked, [], "fuzzed catalog data parked sync events");
  } finally {
    await worker.stop();
    await api.stop();
  }
}
