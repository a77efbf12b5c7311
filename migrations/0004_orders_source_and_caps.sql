-- Issue 9: orders remember where their lines came from, the per-user pending cap counts
-- cheaply, and the revenue report reads refunded orders too.
--   source: 'cart' when the lines came from the cart (paying then removes exactly those
--           quantities from it), 'items' when the request named them (the cart is left alone).
--           Orders placed before this migration are taken as 'items': their cart is not touched.
ALTER TABLE orders
  ADD COLUMN source text NOT NULL DEFAULT 'items' CHECK (source IN ('cart', 'items'));
ALTER TABLE orders ALTER COLUMN source DROP DEFAULT;

-- Placing counts the user's live pending orders under a lock on the user's row.
CREATE INDEX orders_user_pending_idx ON orders (user_id, expires_at) WHERE status = 'pending';

-- Revenue reports scan paid orders by payment time, refunded ones included (as refunds).
CREATE INDEX orders_paid_or_refunded_at_idx ON orders (paid_at)
  WHERE status IN ('confirmed', 'shipped', 'delivered', 'refunded');
DROP INDEX orders_paid_at_idx;
