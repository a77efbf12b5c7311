import { z } from "zod";
import { AlreadyExists, NotFound } from "../../domain/errors.ts";
import type { ShippingOption, ShippingZone } from "../../domain/shipping/shipping.ts";
import type { ShippingRates } from "../../ports/shipping/shipping_rates.ts";
import { int, isForeignKeyViolation, isUniqueViolation, parseRow } from "./_db.ts";
import type { Sql } from "./connect.ts";

const ZoneRow = z.object({ id: z.string(), name: z.string(), countries: z.array(z.string()) });

const OptionRow = z.object({
  id: z.string(),
  zone_id: z.string(),
  name: z.string(),
  price_cents: int,
  currency: z.string(),
  free_over_cents: int.nullable(),
  min_days: int,
  max_days: int,
});

function toZone(row: unknown): ShippingZone {
  return parseRow(ZoneRow, row, "shipping_zones");
}

function toOption(row: unknown): ShippingOption {
  const r = parseRow(OptionRow, row, "shipping_options");
  return {
    id: r.id,
    zoneId: r.zone_id,
    name: r.name,
    priceCents: r.price_cents,
    currency: r.currency,
    freeOverCents: r.free_over_cents,
    estimatedDays: { min: r.min_days, max: r.max_days },
  };
}

/** Zones in `shipping_zones`, options in `shipping_options` (deleted with their zone). */
export class PostgresShippingRates implements ShippingRates {
  constructor(private readonly sql: Sql) {}

  async zones(): Promise<ShippingZone[]> {
    const rows = await this.sql`
      SELECT id, name, countries FROM shipping_zones ORDER BY name COLLATE "C", id`;
    return rows.map(toZone);
  }

  async zone(id: string): Promise<ShippingZone | null> {
    const [row] = await this.sql`SELECT id, name, countries FROM shipping_zones WHERE id = ${id}`;
    return row ? toZone(row) : null;
  }

  async createZone(zone: ShippingZone): Promise<ShippingZone> {
    try {
      await this.sql`
        INSERT INTO shipping_zones (id, name, countries)
        VALUES (${zone.id}, ${zone.name}, ${[...zone.countries]})`;
      return zone;
    } catch (error) {
      if (isUniqueViolation(error)) throw new AlreadyExists("shipping zone", "id", zone.id);
      throw error;
    }
  }

  async replaceZone(zone: ShippingZone): Promise<ShippingZone> {
    const rows = await this.sql`
      UPDATE shipping_zones SET name = ${zone.name}, countries = ${[...zone.countries]}
      WHERE id = ${zone.id} RETURNING id`;
    if (rows.length === 0) throw new NotFound("shipping zone", zone.id);
    return zone;
  }

  async deleteZone(id: string): Promise<boolean> {
    return (await this.sql`DELETE FROM shipping_zones WHERE id = ${id} RETURNING id`).length > 0;
  }

  async options(): Promise<ShippingOption[]> {
    const rows = await this.sql`
      SELECT * FROM shipping_options ORDER BY zone_id, price_cents, id`;
    return rows.map(toOption);
  }

  async option(id: string): Promise<ShippingOption | null> {
    const [row] = await this.sql`SELECT * FROM shipping_options WHERE id = ${id}`;
    return row ? toOption(row) : null;
  }

  async optionWithZone(
    id: string,
  ): Promise<{ option: ShippingOption; zone: ShippingZone } | null> {
    const [row] = await this.sql`
      SELECT o.*, z.name AS zone_name, z.countries AS zone_countries
      FROM shipping_options o JOIN shipping_zones z ON z.id = o.zone_id
      WHERE o.id = ${id}`;
    if (!row) return null;
    const zone = toZone({ id: row.zone_id, name: row.zone_name, countries: row.zone_countries });
    return { option: toOption(row), zone };
  }

  async createOption(o: ShippingOption): Promise<ShippingOption> {
    try {
      await this.sql`
        INSERT INTO shipping_options (id, zone_id, name, price_cents, currency, free_over_cents,
          min_days, max_days)
        VALUES (${o.id}, ${o.zoneId}, ${o.name}, ${o.priceCents}, ${o.currency},
          ${o.freeOverCents}, ${o.estimatedDays.min}, ${o.estimatedDays.max})`;
      return o;
    } catch (error) {
      if (isForeignKeyViolation(error)) throw new NotFound("shipping zone", o.zoneId);
      if (isUniqueViolation(error)) throw new AlreadyExists("shipping option", "id", o.id);
      throw error;
    }
  }

  async replaceOption(o: ShippingOption): Promise<ShippingOption> {
    let rows;
    try {
      rows = await this.sql`
        UPDATE shipping_options SET zone_id = ${o.zoneId}, name = ${o.name},
          price_cents = ${o.priceCents}, currency = ${o.currency},
          free_over_cents = ${o.freeOverCents}, min_days = ${o.estimatedDays.min},
          max_days = ${o.estimatedDays.max}
        WHERE id = ${o.id} RETURNING id`;
    } catch (error) {
      if (isForeignKeyViolation(error)) throw new NotFound("shipping zone", o.zoneId);
      throw error;
    }
    if (rows.length === 0) throw new NotFound("shipping option", o.id);
    return o;
  }

  async deleteOption(id: string): Promise<boolean> {
    return (await this.sql`DELETE FROM shipping_options WHERE id = ${id} RETURNING id`).length >
      0;
  }
}
