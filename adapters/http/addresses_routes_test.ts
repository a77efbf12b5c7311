import assert from "node:assert/strict";
import { assertProblem, harness, invalidFields } from "./_harness_test.ts";

const home = {
  name: "Ada Lovelace",
  line1: "12 St James's Square",
  city: "London",
  postalCode: "SW1Y 4JH",
  country: "GB",
};

Deno.test("/me/addresses: the caller's address book", async (t) => {
  const h = await harness({ seed: false });
  const { token } = await h.register();
  const other = await h.register();

  let firstId = "";
  await t.step("POST creates an address with defaults filled in", async () => {
    const res = await h.call("POST", "/me/addresses", {
      token,
      body: { ...home, isDefaultShipping: true, isDefaultBilling: true },
    });
    assert.equal(res.status, 201, res.text);
    firstId = res.body.id;
    assert.deepEqual({ ...res.body, id: "x" }, {
      id: "x",
      ...home,
      line2: null,
      region: null,
      phone: null,
      isDefaultShipping: true,
      isDefaultBilling: true,
    });
  });

  await t.step("a second default shipping address clears the first's flag only", async () => {
    const res = await h.call("POST", "/me/addresses", {
      token,
      body: { ...home, city: "Bath", isDefaultShipping: true },
    });
    assert.equal(res.status, 201, res.text);
    const list = await h.call("GET", "/me/addresses", { token });
    assert.deepEqual(
      list.body.items.map((
        a: { city: string; isDefaultShipping: boolean; isDefaultBilling: boolean },
      ) => [
        a.city,
        a.isDefaultShipping,
        a.isDefaultBilling,
      ]),
      [["London", false, true], ["Bath", true, false]],
    );
  });

  await t.step("PATCH changes fields and null clears an optional one", async () => {
    const set = await h.call("PATCH", `/me/addresses/${firstId}`, {
      token,
      body: { line2: "Flat 2", phone: "+44 20 7946 0000" },
    });
    assert.equal(set.status, 200, set.text);
    assert.equal(set.body.line2, "Flat 2");
    const cleared = await h.call("PATCH", `/me/addresses/${firstId}`, {
      token,
      body: { line2: null },
    });
    assert.equal(cleared.body.line2, null);
    assert.equal(cleared.body.phone, "+44 20 7946 0000");
  });

  await t.step("another user's address is 404 to read, change and delete", async () => {
    assertProblem(
      await h.call("GET", `/me/addresses/${firstId}`, { token: other.token }),
      404,
      "not_found",
    );
    assertProblem(
      await h.call("PATCH", `/me/addresses/${firstId}`, {
        token: other.token,
        body: { city: "Paris" },
      }),
      404,
      "not_found",
    );
    assertProblem(
      await h.call("DELETE", `/me/addresses/${firstId}`, { token: other.token }),
      404,
      "not_found",
    );
    assert.equal(
      (await h.call("GET", "/me/addresses", { token: other.token })).body.items.length,
      0,
    );
    assert.equal((await h.call("GET", `/me/addresses/${firstId}`, { token })).status, 200);
  });

  await t.step("a country that is two letters but not a code is 400", async () => {
    for (const country of ["XX", "UK", "gb", "GBR"]) {
      const res = await h.call("POST", "/me/addresses", { token, body: { ...home, country } });
      assertProblem(res, 400, "validation_failed");
      assert.deepEqual(invalidFields(res), ["country"]);
    }
    const patch = await h.call("PATCH", `/me/addresses/${firstId}`, {
      token,
      body: { country: "ZZ" },
    });
    assertProblem(patch, 400, "validation_failed");
  });

  await t.step("missing, empty or unknown fields are 400", async () => {
    const missing = await h.call("POST", "/me/addresses", {
      token,
      body: { ...home, city: undefined },
    });
    assertProblem(missing, 400, "validation_failed");
    const empty = await h.call("PATCH", `/me/addresses/${firstId}`, { token, body: {} });
    assertProblem(empty, 400, "validation_failed");
    const unknown = await h.call("POST", "/me/addresses", {
      token,
      body: { ...home, userId: "x" },
    });
    assertProblem(unknown, 400, "validation_failed");
  });

  await t.step("without a token it is 401", async () => {
    assertProblem(await h.call("GET", "/me/addresses"), 401, "unauthenticated");
  });

  await t.step("DELETE removes the address once", async () => {
    assert.equal((await h.call("DELETE", `/me/addresses/${firstId}`, { token })).status, 204);
    assertProblem(await h.call("DELETE", `/me/addresses/${firstId}`, { token }), 404, "not_found");
  });
});
