-- Issue 10, variants are SKUs: an inventory row knows the product its SKU sells and the
-- variant's label, and an order item snapshots both, so checkout records "T-shirt, Blue / L"
-- from PostgreSQL alone, without reading MongoDB.
--   product_sku:   the product's own SKU; equal to sku for a product sold under its own SKU
--                  (every row before this migration).
--   variant_label: the variant's label; NULL for a product without variants.
-- Raw inserts that do not name the columns (fixtures, the benchmark) are products sold under
-- their own SKU: a trigger fills product_sku from sku, as the backfill does.
ALTER TABLE inventory
  ADD COLUMN product_sku   text COLLATE "C",
  ADD COLUMN variant_label text;
UPDATE inventory SET product_sku = sku;

CREATE FUNCTION inventory_default_product_sku() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.product_sku IS NULL THEN NEW.product_sku := NEW.sku; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER inventory_default_product_sku BEFORE INSERT ON inventory
  FOR EACH ROW EXECUTE FUNCTION inventory_default_product_sku();

ALTER TABLE inventory
  ALTER COLUMN product_sku SET NOT NULL,
  ADD CONSTRAINT inventory_product_sku_not_empty CHECK (product_sku <> '');
-- A product's variants are found by their product SKU.
CREATE INDEX inventory_product_sku_idx ON inventory (product_sku, sku);

ALTER TABLE order_items
  ADD COLUMN product_sku   text COLLATE "C",
  ADD COLUMN variant_label text;
UPDATE order_items SET product_sku = sku;
ALTER TABLE order_items ALTER COLUMN product_sku SET NOT NULL;
