/**
 * Issue-12 proof on the real servers: a customer buys a product (place, pay: confirmed in
 * PostgreSQL), reviews it and the review is a verified purchase (checked in PostgreSQL); the
 * product's ratings, recomputed from MongoDB's reviews through their change stream, reach the
 * product API (and its Redis cache), browse `minRating` and the search index's rating sort
 * within the sync's lag; a rename (PATCH /me, an outbox row) reaches the author's reviews.
 */
import assert from "node:assert/strict";
import { deliveryTerms, openStack, stackUrls } from "./_stack.ts";
import { eventually } from "../testing/eventually.ts";

const urls = stackUrls();
const ADMIN = { email: "admin@e2e.example", password: "admin-password-1" };
/**
 * The sync polls every 100 ms here (FAST_SYNC); each figure must follow within this. The outbox
 * hands out a row only once every older transaction on the server has ended, so a busy shared
 * server (parallel suites) can hold a rename back for seconds: hence the generous bound.
 */
const LAG_MS = 30_000;

Deno.test({
  name: "a verified review moves the product's ratings, browse and search, on the real servers",
  ignore: urls === null,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const stack = await openStack(urls!);
    try {
      stack.startSync();
      await stack.useCases.ensureAdmin(ADMIN);
      const call = async (method: string, path: string, body?: unknown, token?: string) => {
        const res = await stack.app.request(path, {
          method,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            "content-type": "application/json",
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await res.text();
        return { status: res.status, body: text ? JSON.parse(text) : null, text };
      };
      const ok = async (
        method: string,
        path: string,
        body: unknown,
        status: number,
        token?: string,
      ) => {
        const res = await call(method, path, body, token);
        assert.equal(res.status, status, `${method} ${path}: ${res.text}`);
        return res.body;
      };
      const register = async (email: string, displayName: string) =>
        (await ok("POST", "/auth/register", {
          email,
          password: "a long passphrase",
          displayName,
        }, 201)).token as string;
      const admin = (await ok("POST", "/auth/login", ADMIN, 200)).token as string;
      const buyer = await register("buyer@e2e.example", "Buyer");
      const critic = await register("critic@e2e.example", "Critic");
      /** Sync lags, from the write to the figure showing (ms). */
      const lags: Record<string, number> = {};
      let wroteAt = 0;
      const since = () => performance.now() - wroteAt;

      await ok(
        "POST",
        "/admin/categories",
        {
          slug: "e2e-reviewed",
          name: "Reviewed things",
          attributes: [],
        },
        201,
        admin,
      );
      for (const sku of ["REV-A", "REV-B"]) {
        await ok(
          "POST",
          "/admin/products",
          {
            sku,
            name: `Reviewed gadget ${sku}`,
            category: "e2e-reviewed",
            brand: "Polycart",
            priceCents: 2_500,
            stock: 10,
          },
          201,
          admin,
        );
      }
      /** `sku:rating` of the category's hits in rating order, e.g. `REV-A:5,REV-B:4`. */
      const searchOrder = async () =>
        (await ok("GET", "/search?category=e2e-reviewed&sort=rating", undefined, 200)).items
          .map((h: { sku: string; rating: number }) => `${h.sku}:${h.rating}`);
      await eventually(
        "both products searchable",
        async () => (await searchOrder()).length === 2,
        LAG_MS,
      );

      await t.step("a customer buys, then reviews: a verified purchase", async () => {
        const order = await ok(
          "POST",
          "/orders",
          { items: [{ sku: "REV-A", qty: 1 }], ...(await deliveryTerms(stack)) },
          201,
          buyer,
        );
        const paid = await ok(
          "POST",
          "/payments",
          {
            orderId: order.id,
            provider: "test",
            paymentToken: "tok_visa",
          },
          201,
          buyer,
        );
        assert.equal(paid.order.status, "confirmed");
        const review = await ok(
          "POST",
          "/products/REV-A/reviews",
          {
            rating: 5,
            title: "Exactly right",
            body: "Bought it, love it.",
          },
          201,
          buyer,
        );
        assert.equal(review.verifiedPurchase, true);
        const unverified = await ok(
          "POST",
          "/products/REV-B/reviews",
          {
            rating: 4,
            title: "Fine",
            body: "Tried a friend's.",
          },
          201,
          critic,
        );
        assert.equal(unverified.verifiedPurchase, false);
        wroteAt = performance.now();
        const again = await call("POST", "/products/REV-A/reviews", {
          rating: 1,
          title: "Twice",
          body: "Second try.",
        }, buyer);
        assert.equal(again.status, 409, again.text);
      });

      await t.step(
        "the average reaches the product, browse and search within the lag",
        async () => {
          await eventually("REV-A rated 5", async () => {
            const p = await ok("GET", "/products/REV-A", undefined, 200);
            return p.ratings.count === 1 && p.ratings.avg === 5;
          }, LAG_MS);
          lags.product = since();
          const product = await ok("GET", "/products/REV-A", undefined, 200);
          assert.deepEqual(product.ratings.distribution, {
            "1": 0,
            "2": 0,
            "3": 0,
            "4": 0,
            "5": 1,
          });
          await eventually("search sorts REV-A first", async () => {
            return (await searchOrder()).join() === "REV-A:5,REV-B:4";
          }, LAG_MS);
          lags.search = since();
          const browse = await ok(
            "GET",
            "/products?category=e2e-reviewed&minRating=4.5",
            undefined,
            200,
          );
          assert.deepEqual(browse.items.map((p: { sku: string }) => p.sku), ["REV-A"]);
          const found = await ok(
            "GET",
            "/search?category=e2e-reviewed&minRating=4.5",
            undefined,
            200,
          );
          assert.deepEqual(
            found.items.map((h: { sku: string; rating: number }) => [h.sku, h.rating]),
            [
              ["REV-A", 5],
            ],
          );
        },
      );

      await t.step("another review changes the average and the search rating sort", async () => {
        await ok(
          "POST",
          "/products/REV-A/reviews",
          {
            rating: 1,
            title: "Broke",
            body: "Stopped working.",
          },
          201,
          critic,
        );
        wroteAt = performance.now();
        await eventually("REV-A averages 3", async () => {
          const p = await ok("GET", "/products/REV-A", undefined, 200);
          return p.ratings.avg === 3 && p.ratings.count === 2;
        }, LAG_MS);
        lags.productAfterSecond = since();
        await eventually("search sorts REV-B first", async () => {
          return (await searchOrder()).join() === "REV-B:4,REV-A:3";
        }, LAG_MS);
        lags.searchAfterSecond = since();
      });

      await t.step("a rename reaches the author's reviews through the outbox", async () => {
        await ok("PATCH", "/me", { displayName: "Buyer Renamed" }, 200, buyer);
        wroteAt = performance.now();
        await eventually("the review shows the new name", async () => {
          const list = await ok("GET", "/products/REV-A/reviews?sort=rating_desc", undefined, 200);
          return list.items[0].author.displayName === "Buyer Renamed";
        }, LAG_MS);
        lags.rename = since();
      });
      console.log(
        "review sync lags (ms):",
        JSON.stringify(
          Object.fromEntries(Object.entries(lags).map(([k, v]) => [k, Math.round(v)])),
        ),
      );
    } finally {
      await stack.close();
    }
  },
});
