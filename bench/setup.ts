/**
 * What a bench run sets up through the API before its scenarios (signed-in users, the admin
 * token, the delivery terms orders use) and the commit it measures.
 */
import { ADMIN } from "./fixtures.ts";
import { BODIES } from "./bodies.ts";
import { CAPTURE, CAPTURE_TERMS } from "./checkout_capture.ts";
import { run } from "./procs.ts";
import { ROOT } from "./_harness.ts";

/** `count` users registered (each with its session token) and the admin's token. */
export async function registerUsers(base: string, count: number) {
  const users: { id: string; token: string }[] = [];
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${base}/auth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: BODIES.register(i),
    });
    const body = await res.json();
    if (res.status !== 201) {
      throw new Error(`register: ${res.status} ${JSON.stringify(body)}`);
    }
    users.push({ id: body.user.id, token: body.token });
  }
  const res = await fetch(`${base}/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(ADMIN),
  });
  const body = await res.json();
  if (!res.ok) {
    throw new Error(`admin login: ${res.status} ${JSON.stringify(body)}`);
  }
  return { users, adminToken: body.token as string };
}

/**
 * The delivery terms the pgbench baseline places under (CAPTURE_TERMS), through the admin
 * API: a US zone, a flat option in the catalogue's currency and the exclusive country rate.
 * Answers the option's id.
 */
export async function createBenchShipping(base: string, adminToken: string): Promise<string> {
  const post = async (path: string, body: unknown, ok = [201]) => {
    const res = await fetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${adminToken}` },
      body: JSON.stringify(body),
    });
    const json = await res.json();
    if (!ok.includes(res.status)) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const zone = await post("/admin/shipping/zones", { name: "Bench", countries: ["US"] });
  const option = await post("/admin/shipping/options", {
    zoneId: zone.id,
    name: CAPTURE_TERMS.shippingOption.name,
    priceCents: CAPTURE.shippingCents,
    currency: "USD",
    estimatedDays: { min: 1, max: 3 },
  });
  const rate = CAPTURE_TERMS.taxRate!;
  await post("/admin/tax/rates", {
    country: rate.country,
    rateBasisPoints: rate.rateBasisPoints,
    pricesIncludeTax: rate.pricesIncludeTax,
    shippingTaxed: rate.shippingTaxed,
  }, [201, 409]);
  return option.id;
}

/** The commit measured, and whether the tree differs from it (bench/results aside). */
export async function gitInfo(): Promise<{ sha: string; dirty: boolean }> {
  const sha = (await run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"]))
    .stdout.trim();
  const status = (await run([
    "git",
    "-C",
    ROOT,
    "status",
    "--porcelain",
    "--",
    ".",
    ":!bench/results",
  ]))
    .stdout.trim();
  return { sha, dirty: status !== "" };
}
