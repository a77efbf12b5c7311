-- Issue 11, orders with delivery: an order snapshots its shipping and billing addresses and
-- its shipping option (id, name, price and that price's tax as ordered), and keeps its
-- subtotal, shipping and tax beside the total it charges. Each item keeps its own tax.
-- Snapshots are jsonb: later edits of the address book, the option or the tax table never
-- reach a placed order. Orders placed before this migration had no shipping and no tax:
-- their subtotal is their total, and their snapshots are NULL.
ALTER TABLE orders
  ADD COLUMN subtotal_cents     bigint,
  ADD COLUMN shipping_cents     bigint NOT NULL DEFAULT 0 CHECK (shipping_cents >= 0),
  ADD COLUMN tax_cents          bigint NOT NULL DEFAULT 0 CHECK (tax_cents >= 0),
  ADD COLUMN prices_include_tax boolean NOT NULL DEFAULT false,
  ADD COLUMN shipping_address   jsonb,
  ADD COLUMN billing_address    jsonb,
  ADD COLUMN shipping           jsonb;
UPDATE orders SET subtotal_cents = total_cents;
-- Inserts that do not name the column (a build from before this migration, during a rolling
-- deploy) place orders without shipping or tax: the trigger fills it as the backfill does.
CREATE FUNCTION orders_default_subtotal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.subtotal_cents IS NULL THEN NEW.subtotal_cents := NEW.total_cents; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER orders_default_subtotal BEFORE INSERT ON orders
  FOR EACH ROW EXECUTE FUNCTION orders_default_subtotal();
ALTER TABLE orders
  ALTER COLUMN subtotal_cents SET NOT NULL,
  ADD CONSTRAINT orders_subtotal_cents_check CHECK (subtotal_cents >= 0),
  -- Delivery terms come together or not at all.
  ADD CONSTRAINT orders_delivery_snapshot_check CHECK (
    (shipping_address IS NULL) = (billing_address IS NULL)
    AND (shipping_address IS NULL) = (shipping IS NULL));

ALTER TABLE order_items ADD COLUMN tax_cents bigint NOT NULL DEFAULT 0 CHECK (tax_cents >= 0);
