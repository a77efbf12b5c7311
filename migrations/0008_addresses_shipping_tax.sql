-- Issue 11, checkout foundations: each user's address book, shipping zones with their priced
-- options, and the tax table. Additive: no existing table changes. Orders do not reference
-- these yet (the order integration snapshots addresses and the option later).

CREATE TABLE addresses (
  id                  text COLLATE "C" PRIMARY KEY,
  user_id             text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- Listing order: creation order, even for rows created in the same instant.
  seq                 bigserial NOT NULL,
  name                text NOT NULL CHECK (name <> ''),
  line1               text NOT NULL CHECK (line1 <> ''),
  line2               text,
  city                text NOT NULL CHECK (city <> ''),
  region              text,
  postal_code         text NOT NULL CHECK (postal_code <> ''),
  country             text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  phone               text,
  is_default_shipping boolean NOT NULL DEFAULT false,
  is_default_billing  boolean NOT NULL DEFAULT false,
  created_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX addresses_user_idx ON addresses (user_id, seq);
-- At most one default of each kind per user; the adapter clears the old one first, under a
-- lock on the user's row, and these indexes hold the line whatever a writer does.
CREATE UNIQUE INDEX addresses_default_shipping_key ON addresses (user_id) WHERE is_default_shipping;
CREATE UNIQUE INDEX addresses_default_billing_key ON addresses (user_id) WHERE is_default_billing;

CREATE TABLE shipping_zones (
  id         text COLLATE "C" PRIMARY KEY,
  name       text NOT NULL CHECK (name <> ''),
  countries  text[] NOT NULL
);

CREATE TABLE shipping_options (
  id               text COLLATE "C" PRIMARY KEY,
  zone_id          text COLLATE "C" NOT NULL REFERENCES shipping_zones (id) ON DELETE CASCADE,
  name             text NOT NULL CHECK (name <> ''),
  price_cents      bigint NOT NULL CHECK (price_cents >= 0),
  currency         text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  free_over_cents  bigint CHECK (free_over_cents >= 0),
  min_days         integer NOT NULL CHECK (min_days >= 0),
  max_days         integer NOT NULL,
  CHECK (max_days >= min_days)
);
CREATE INDEX shipping_options_zone_idx ON shipping_options (zone_id);

CREATE TABLE tax_rates (
  id                 text COLLATE "C" PRIMARY KEY,
  country            text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  region             text CHECK (region <> ''),
  rate_basis_points  integer NOT NULL CHECK (rate_basis_points BETWEEN 0 AND 10000),
  prices_include_tax boolean NOT NULL,
  shipping_taxed     boolean NOT NULL
);
-- One rate per (country, region); the country-wide rate has region NULL.
CREATE UNIQUE INDEX tax_rates_place_key ON tax_rates (country, coalesce(region, ''));
