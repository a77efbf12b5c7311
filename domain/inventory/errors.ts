/**
 * Inventory failures: not enough stock, a stock level that would break its bounds.
 * Re-exported from ../errors.ts; only the HTTP adapter maps a `code` to a status.
 */
import { DomainError } from "../domain_error.ts";

export class InsufficientStock extends DomainError {
  readonly code = "insufficient_stock";
  constructor(readonly skus: readonly string[]) {
    super(`insufficient stock for ${skus.join(", ")}`);
  }
}

export class InvalidStockLevel extends DomainError {
  readonly code = "invalid_stock_level";
  constructor(readonly sku: string, readonly stock: number, readonly reserved: number) {
    super(`stock ${stock} for ${sku} would fall below 0 or below reserved ${reserved}`);
  }
}
