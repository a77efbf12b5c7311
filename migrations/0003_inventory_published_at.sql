-- Inventory carries a copy of the catalog's publishedAt (issue 9, bug 1), written by the
-- catalog use cases with the name and price, so checkout refuses drafts (NULL) and scheduled
-- products (a future time) from PostgreSQL alone, without reading MongoDB.
--
-- Existing rows were all on sale before this column existed, so they stay on sale: they get
-- their updated_at, a time in the past at which the row was already sold. A row whose catalog
-- product is in fact a draft or scheduled is repaired by the search sync, which copies the
-- catalog's publishedAt over a differing inventory copy the next time it applies that SKU
-- (any catalog or inventory write, or an admin touch). Rows inserted without the column
-- (raw SQL fixtures, the benchmark) are on sale from their insert, as a new product is.
ALTER TABLE inventory ADD COLUMN published_at timestamptz;
UPDATE inventory SET published_at = updated_at;
ALTER TABLE inventory ALTER COLUMN published_at SET DEFAULT now();
