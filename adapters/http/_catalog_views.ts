/** Catalog answers to JSON, field by field (see _views.ts): products and search results. */
import { emptyDistribution } from "../../domain/reviews/review.ts";
import type { ProductView } from "../../domain/catalog/product_view.ts";
import type { SearchResult as DomainSearchResult } from "../../domain/search/search.ts";
import { iso, isoOrNull, type Json } from "./_view_helpers.ts";
import type * as S from "./schemas.ts";

export function productJson(p: ProductView): Json<typeof S.Product> {
  return {
    sku: p.sku,
    name: p.name,
    slug: p.slug,
    category: p.category,
    brand: p.brand,
    description: p.description,
    priceCents: p.priceCents,
    currency: p.currency,
    images: [...p.images],
    attrs: { ...p.attrs },
    variants: p.variants.map((v) => ({
      sku: v.sku,
      label: v.label,
      attrs: { ...v.attrs },
      priceCents: v.priceCents,
      availability: { available: v.availability.available, inStock: v.availability.inStock },
    })),
    priceRange: { minCents: p.priceRange.minCents, maxCents: p.priceRange.maxCents },
    tags: [...p.tags],
    ratings: {
      avg: p.ratings.avg,
      count: p.ratings.count,
      distribution: { ...(p.ratings.distribution ?? emptyDistribution()) },
    },
    publishedAt: isoOrNull(p.publishedAt),
    updatedAt: iso(p.updatedAt),
    availability: { available: p.availability.available, inStock: p.availability.inStock },
    breadcrumbs: (p.breadcrumbs ?? []).map((b) => ({ slug: b.slug, name: b.name })),
    vendor: p.vendor ? { id: p.vendor.id, slug: p.vendor.slug, name: p.vendor.name } : null,
  };
}

export function searchJson(r: DomainSearchResult): Json<typeof S.SearchResult> {
  return {
    items: r.items.map((h) => ({
      sku: h.sku,
      name: h.name,
      slug: h.slug,
      category: h.category,
      brand: h.brand,
      priceCents: h.priceCents,
      rating: h.rating,
      inStock: h.inStock,
      vendor: h.vendor === null ? null : { slug: h.vendor.slug, name: h.vendor.name },
      highlight: Object.fromEntries(
        Object.entries(h.highlight).map(([field, fragments]) => [field, [...fragments]]),
      ),
    })),
    page: r.page,
    size: r.size,
    total: r.total,
    facets: {
      category: r.facets.category.map((f) => ({ value: f.value, count: f.count })),
      brand: r.facets.brand.map((f) => ({ value: f.value, count: f.count })),
      vendor: r.facets.vendor.map((f) => ({ value: f.value, count: f.count })),
      price: r.facets.price.map((b) => ({
        key: b.key,
        fromCents: b.fromCents,
        toCents: b.toCents,
        count: b.count,
      })),
      attrs: Object.fromEntries(
        Object.entries(r.facets.attrs).map((
          [name, counts],
        ) => [name, counts.map((f) => ({ value: f.value, count: f.count }))]),
      ),
    },
    suggestions: [...r.suggestions],
  };
}
