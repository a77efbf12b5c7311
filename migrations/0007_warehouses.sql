-- Issue 10, stock in several warehouses. Price, name and publication stay per SKU in
-- `inventory`; stock, reserved units and the low-stock threshold move to one row per
-- (SKU, warehouse) in `stock_levels`, and each order records which rows hold its units in
-- `order_allocations` (confirming deducts exactly those, cancel and expiry release them, a
-- refund restocks them). A SKU's stock and reserved as shoppers see them are the sums over
-- ACTIVE warehouses, computed on read.
--
-- Every existing row moves into the default warehouse `main` with its stock and reserved
-- units, and every existing order's items become allocations in `main`, so a pending order
-- placed before this migration is confirmed, cancelled or expired against exactly the units
-- it reserved, and an older paid order is refunded into `main`.
--
-- Lock order (no deadlocks): an order row, then inventory rows by SKU, then stock_levels rows
-- by (sku, warehouse). Warehouse rows are read, never locked, by stock moves.

CREATE TABLE warehouses (
  code       text COLLATE "C" PRIMARY KEY CHECK (code ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
  name       text NOT NULL CHECK (name <> ''),
  country    text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  -- Allocation order: smaller first, ties by code.
  priority   integer NOT NULL,
  active     boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO warehouses (code, name, country, priority) VALUES ('main', 'Main warehouse', 'US', 100);

CREATE TABLE stock_levels (
  sku                 text COLLATE "C" NOT NULL REFERENCES inventory (sku),
  warehouse           text COLLATE "C" NOT NULL REFERENCES warehouses (code),
  stock               integer NOT NULL CHECK (stock >= 0),
  reserved            integer NOT NULL DEFAULT 0,
  low_stock_threshold integer NOT NULL DEFAULT 0 CHECK (low_stock_threshold >= 0),
  PRIMARY KEY (sku, warehouse),
  CONSTRAINT stock_levels_reserved_within_stock CHECK (reserved >= 0 AND reserved <= stock)
);
CREATE INDEX stock_levels_warehouse_idx ON stock_levels (warehouse, sku);

INSERT INTO stock_levels (sku, warehouse, stock, reserved)
  SELECT sku, 'main', stock, reserved FROM inventory;

CREATE TABLE order_allocations (
  order_id  text COLLATE "C" NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  sku       text COLLATE "C" NOT NULL,
  warehouse text COLLATE "C" NOT NULL,
  qty       integer NOT NULL CHECK (qty > 0),
  PRIMARY KEY (order_id, sku, warehouse),
  FOREIGN KEY (sku, warehouse) REFERENCES stock_levels (sku, warehouse)
);

INSERT INTO order_allocations (order_id, sku, warehouse, qty)
  SELECT order_id, sku, 'main', qty FROM order_items;

-- The totals now live in stock_levels; inventory keeps the per-SKU facts.
DROP INDEX inventory_available_idx;
ALTER TABLE inventory DROP CONSTRAINT inventory_reserved_within_stock;
ALTER TABLE inventory DROP COLUMN stock, DROP COLUMN reserved;
