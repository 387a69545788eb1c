// Docker Hub's pagination: `?page=N&page_size=M` in, `{count, next, previous, results}` out, where
// next/previous are absolute URLs (the agent follows them and checks they stay on this origin).
import type { FastifyRequest } from 'fastify';

export interface Page {
  page: number;
  pageSize: number;
  offset: number;
}

const MAX_PAGE_SIZE = 100;

export function pageOf(request: FastifyRequest): Page {
  const q = request.query as Record<string, string | undefined>;
  const page = Math.max(1, Math.floor(Number(q.page ?? 1)) || 1);
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(Number(q.page_size ?? 25)) || 25));
  return { page, pageSize, offset: (page - 1) * pageSize };
}

export function paginated<T>(request: FastifyRequest, p: Page, count: number, results: T[]) {
  const link = (page: number) => {
    const url = new URL(request.url, `${request.protocol}://${request.host}`);
    url.searchParams.set('page', String(page));
    url.searchParams.set('page_size', String(p.pageSize));
    return url.toString();
  };
  return {
    count,
    next: p.offset + results.length < count ? link(p.page + 1) : null,
    previous: p.page > 1 ? link(p.page - 1) : null,
    results,
  };
}
