export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export interface PageRequest {
  readonly page: number; // from 1
  readonly size: number; // 1..MAX_PAGE_SIZE
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly page: number;
  readonly size: number;
  readonly total: number;
}

export function offsetOf(req: PageRequest): number {
  return (req.page - 1) * req.size;
}

export function pageOf<T>(all: readonly T[], req: PageRequest): Page<T> {
  const start = offsetOf(req);
  return {
    items: all.slice(start, start + req.size),
    page: req.page,
    size: req.size,
    total: all.length,
  };
}
