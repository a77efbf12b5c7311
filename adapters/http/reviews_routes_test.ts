import assert from "node:assert/strict";
import { assertProblem, type Harness, harness, invalidFields } from "./_harness_test.ts";

const REVIEW = { rating: 4, title: "Solid", body: "Does what it says on the box." };

async function setup(options: { requireApproval?: boolean } = {}) {
  const h = await harness({
    seed: false,
    settings: { reviewsRequireApproval: options.requireApproval ?? false },
  });
  await h.product("REV-1", { stock: 20 });
  await h.product("REV-2", { stock: 20 });
  return h;
}

async function buy(h: Harness, token: string, sku: string): Promise<void> {
  const placed = await h.call("POST", "/orders", {
    token,
    body: { items: [{ sku, qty: 1 }], ...(await h.delivery()) },
  });
  assert.equal(placed.status, 201, placed.text);
  const paid = await h.call("POST", "/payments", {
    token,
    body: { orderId: placed.body.id, provider: "test", paymentToken: "tok_visa" },
  });
  assert.equal(paid.status, 201, paid.text);
}

async function ratingsOf(h: Harness, sku: string) {
  await h.memory.syncAll();
  const res = await h.call("GET", `/products/${sku}`);
  assert.equal(res.status, 200, res.text);
  return res.body.ratings;
}

Deno.test("POST /products/:sku/reviews refuses what it cannot take", async (t) => {
  const h = await setup();
  const { token } = await h.register();
  const post = (body: unknown, sku = "REV-1", auth: string | null = token) =>
    h.call("POST", `/products/${sku}/reviews`, { token: auth ?? undefined, body });

  await t.step("without a session: 401", async () => {
    assertProblem(await post(REVIEW, "REV-1", null), 401, "unauthenticated");
  });

  await t.step("rating 0, 6 and 2.5 are 400 naming rating", async () => {
    for (const rating of [0, 6, 2.5, "5"]) {
      const res = await post({ ...REVIEW, rating });
      assert.deepEqual(invalidFields(res), ["rating"], `rating ${rating}`);
      assert.match(res.body.errors[0].message, /rating/);
    }
  });

  await t.step("empty or overlong title and body, unknown fields: 400 naming each", async () => {
    assert.deepEqual(invalidFields(await post({ ...REVIEW, title: "  " })), ["title"]);
    assert.deepEqual(invalidFields(await post({ ...REVIEW, body: "x".repeat(5_001) })), ["body"]);
    assert.deepEqual(invalidFields(await post({ rating: 5 })).sort(), ["body", "title"]);
    assert.deepEqual(invalidFields(await post({ ...REVIEW, stars: 5 })), ["stars"]);
  });

  await t.step("an unknown product is 404, and so is a draft", async () => {
    assertProblem(await post(REVIEW, "NOPE-1"), 404, "not_found");
    const admin = await h.admin();
    const draft = await h.call("PATCH", "/admin/products/REV-2", {
      token: admin,
      body: { publishedAt: null },
    });
    assert.equal(draft.status, 200, draft.text);
    assertProblem(await post(REVIEW, "REV-2"), 404, "not_found");
    assertProblem(await h.call("GET", "/products/REV-2/reviews"), 404, "not_found");
  });

  await t.step("a second review of the same product is 409 review_exists", async () => {
    const first = await post(REVIEW);
    assert.equal(first.status, 201, first.text);
    const second = await post({ ...REVIEW, rating: 1 });
    assertProblem(second, 409, "review_exists");
    assert.equal(second.body.reviewId, first.body.id);
    assert.equal(second.body.productSku, "REV-1");
  });

  await t.step("concurrent first reviews: exactly one is created", async () => {
    const { token: racer } = await h.register();
    const results = await Promise.all(
      Array.from({ length: 6 }, () => post(REVIEW, "REV-1", racer)),
    );
    assert.deepEqual(results.map((r) => r.status).sort(), [201, 409, 409, 409, 409, 409]);
  });
});

Deno.test("reviews: write, list, edit, vote and delete, with ratings recomputed", async (t) => {
  const h = await setup();
  const ada = await h.register("ada@polycart.test");
  const bob = await h.register("bob@polycart.test");
  let adaReview = "";
  let bobReview = "";

  await t.step("a buyer's review is a verified purchase; another's is not", async () => {
    await buy(h, ada.token, "REV-1");
    const res = await h.call("POST", "/products/REV-1/reviews", { token: ada.token, body: REVIEW });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.verifiedPurchase, true);
    assert.equal(res.body.status, "published");
    assert.deepEqual(res.body.author, { displayName: "ada" });
    adaReview = res.body.id;
    const other = await h.call("POST", "/products/REV-1/reviews", {
      token: bob.token,
      body: { rating: 1, title: "Broke", body: "Stopped working after a day." },
    });
    assert.equal(other.status, 201, other.text);
    assert.equal(other.body.verifiedPurchase, false);
    bobReview = other.body.id;
  });

  await t.step("the product's ratings come from the published reviews", async () => {
    assert.deepEqual(await ratingsOf(h, "REV-1"), {
      avg: 2.5,
      count: 2,
      distribution: { "1": 1, "2": 0, "3": 0, "4": 1, "5": 0 },
    });
    assert.deepEqual((await ratingsOf(h, "REV-2")).count, 0);
  });

  await t.step("the list shows published reviews, sorted and filtered", async () => {
    const list = await h.call("GET", "/products/REV-1/reviews?sort=rating_desc");
    assert.equal(list.status, 200, list.text);
    assert.equal(list.body.total, 2);
    assert.deepEqual(Object.keys(list.body.items[0]).sort(), [
      "author",
      "body",
      "createdAt",
      "helpfulCount",
      "id",
      "rating",
      "title",
      "updatedAt",
      "verifiedPurchase",
    ]);
    assert.deepEqual(list.body.items.map((r: { id: string }) => r.id), [adaReview, bobReview]);
    const ones = await h.call("GET", "/products/REV-1/reviews?rating=1");
    assert.deepEqual(ones.body.items.map((r: { id: string }) => r.id), [bobReview]);
    assert.deepEqual(invalidFields(await h.call("GET", "/products/REV-1/reviews?rating=7")), [
      "rating",
    ]);
    assert.deepEqual(invalidFields(await h.call("GET", "/products/REV-1/reviews?sort=best")), [
      "sort",
    ]);
    assertProblem(await h.call("GET", "/products/NOPE-1/reviews"), 404, "not_found");
  });

  await t.step("another user's review is 404 to edit or delete", async () => {
    assertProblem(
      await h.call("PATCH", `/reviews/${adaReview}`, { token: bob.token, body: { rating: 1 } }),
      404,
      "not_found",
    );
    assertProblem(
      await h.call("DELETE", `/reviews/${adaReview}`, { token: bob.token }),
      404,
      "not_found",
    );
    assertProblem(
      await h.call("PATCH", "/reviews/nope", { token: bob.token, body: { rating: 1 } }),
      404,
      "not_found",
    );
    assertProblem(
      await h.call("PATCH", `/reviews/${adaReview}`, { body: { rating: 1 } }),
      401,
      "unauthenticated",
    );
    assert.deepEqual(
      invalidFields(await h.call("PATCH", `/reviews/${adaReview}`, { token: ada.token, body: {} })),
      [""],
    );
  });

  await t.step("the author's edit changes the ratings", async () => {
    const res = await h.call("PATCH", `/reviews/${adaReview}`, {
      token: ada.token,
      body: { rating: 5, title: "Even better" },
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.rating, 5);
    assert.equal(res.body.body, REVIEW.body);
    assert.equal((await ratingsOf(h, "REV-1")).avg, 3);
  });

  await t.step("helpful counts once per customer; twice is 200 with counted false", async () => {
    const once = await h.call("POST", `/reviews/${adaReview}/helpful`, { token: bob.token });
    assert.equal(once.status, 200, once.text);
    assert.equal(once.body.counted, true);
    assert.equal(once.body.review.helpfulCount, 1);
    const twice = await h.call("POST", `/reviews/${adaReview}/helpful`, { token: bob.token });
    assert.equal(twice.status, 200, twice.text);
    assert.equal(twice.body.counted, false);
    assert.equal(twice.body.review.helpfulCount, 1);
    assertProblem(
      await h.call("POST", "/reviews/nope/helpful", { token: bob.token }),
      404,
      "not_found",
    );
    assertProblem(await h.call("POST", `/reviews/${adaReview}/helpful`), 401, "unauthenticated");
    const helpful = await h.call("GET", "/products/REV-1/reviews?sort=helpful");
    assert.equal(helpful.body.items[0].helpfulCount, 1);
  });

  await t.step("a renamed author's reviews follow through the feed", async () => {
    const me = await h.call("PATCH", "/me", { token: ada.token, body: { displayName: "Ada L." } });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.displayName, "Ada L.");
    assert.deepEqual(invalidFields(await h.call("PATCH", "/me", { token: ada.token, body: {} })), [
      "displayName",
    ]);
    await h.memory.syncAll();
    const list = await h.call("GET", "/products/REV-1/reviews?sort=rating_desc");
    assert.equal(list.body.items[0].author.displayName, "Ada L.");
    assert.equal(list.body.items[1].author.displayName, "bob");
  });

  await t.step("deleting recomputes the ratings and frees the slot", async () => {
    const res = await h.call("DELETE", `/reviews/${bobReview}`, { token: bob.token });
    assert.equal(res.status, 204, res.text);
    assert.deepEqual(await ratingsOf(h, "REV-1"), {
      avg: 5,
      count: 1,
      distribution: { "1": 0, "2": 0, "3": 0, "4": 0, "5": 1 },
    });
    assertProblem(
      await h.call("DELETE", `/reviews/${bobReview}`, { token: bob.token }),
      404,
      "not_found",
    );
    const again = await h.call("POST", "/products/REV-1/reviews", {
      token: bob.token,
      body: REVIEW,
    });
    assert.equal(again.status, 201, again.text);
  });
});

Deno.test("reviews under REVIEWS_REQUIRE_APPROVAL wait for an admin", async (t) => {
  const h = await setup({ requireApproval: true });
  const { token } = await h.register();
  const admin = await h.admin();
  let id = "";

  await t.step("a new review is pending: not listed, not counted", async () => {
    const res = await h.call("POST", "/products/REV-1/reviews", { token, body: REVIEW });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.status, "pending");
    id = res.body.id;
    assert.equal((await h.call("GET", "/products/REV-1/reviews")).body.total, 0);
    assert.equal((await ratingsOf(h, "REV-1")).count, 0);
    assertProblem(await h.call("POST", `/reviews/${id}/helpful`, { token }), 404, "not_found");
  });

  await t.step("admins list the queue; customers cannot", async () => {
    assertProblem(await h.call("GET", "/admin/reviews", { token }), 403, "forbidden");
    const queue = await h.call("GET", "/admin/reviews?status=pending", { token: admin });
    assert.equal(queue.status, 200, queue.text);
    assert.deepEqual(queue.body.items.map((r: { id: string }) => r.id), [id]);
    assert.equal(queue.body.items[0].productSku, "REV-1");
    assert.deepEqual(
      invalidFields(await h.call("GET", "/admin/reviews?status=gone", { token: admin })),
      [
        "status",
      ],
    );
  });

  await t.step("approving publishes and counts it; rejecting takes it back", async () => {
    const approved = await h.call("POST", `/admin/reviews/${id}/approve`, { token: admin });
    assert.equal(approved.status, 200, approved.text);
    assert.equal(approved.body.status, "published");
    assert.equal((await h.call("GET", "/products/REV-1/reviews")).body.total, 1);
    assert.equal((await ratingsOf(h, "REV-1")).avg, 4);
    const rejected = await h.call("POST", `/admin/reviews/${id}/reject`, { token: admin });
    assert.equal(rejected.body.status, "rejected");
    assert.equal((await ratingsOf(h, "REV-1")).count, 0);
    assertProblem(
      await h.call("POST", "/admin/reviews/nope/approve", { token: admin }),
      404,
      "not_found",
    );
    assertProblem(
      await h.call("POST", `/admin/reviews/${id}/approve`, { token }),
      403,
      "forbidden",
    );
  });

  await t.step("an edit under moderation waits for approval again", async () => {
    await h.call("POST", `/admin/reviews/${id}/approve`, { token: admin });
    const edited = await h.call("PATCH", `/reviews/${id}`, { token, body: { rating: 2 } });
    assert.equal(edited.body.status, "pending");
    assert.equal((await ratingsOf(h, "REV-1")).count, 0);
  });
});

Deno.test("a review through a variant SKU belongs to its product", async () => {
  const h = await harness({ seed: true });
  const { token } = await h.register();
  const res = await h.call("POST", "/products/LAP-001-32-1024/reviews", { token, body: REVIEW });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.body.productSku, "LAP-001");
  const list = await h.call("GET", "/products/LAP-001-32-1024/reviews");
  assert.ok(list.body.items.some((r: { id: string }) => r.id === res.body.id));
  const again = await h.call("POST", "/products/LAP-001/reviews", { token, body: REVIEW });
  assertProblem(again, 409, "review_exists");
});
