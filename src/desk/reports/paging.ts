/**
 * Streams every ticket a query matches, page by page, to a consumer: nothing is held beyond the page
 * being read, so a report over 100,000 tickets keeps only its aggregates.
 *
 * Autotask pages with `nextPageUrl` (re-POSTed with the same body), so pages of one query are read
 * one after the other. The count (`/Tickets/query/count`) runs beside the first page and gives the
 * progress total. Cancellation is checked before every page.
 */
import type { AutotaskApi } from "../../autotask/api.js";
import type { QuerySpec } from "../../autotask/query.js";
import type { Ticket, TicketField } from "../../autotask/schemas.js";
import type { ReportCallOptions } from "./types.js";

export interface PagingSummary {
  /** Tickets read. */
  tickets: number;
  /** Ticket pages requested (the count request not included). */
  pages: number;
  /** Autotask's count for the query, when it answered. */
  total: number | undefined;
}

/**
 * Calls `onPage` with each page of tickets (at most 500 each) in Autotask's order.
 * @throws the client's errors; `AbortError`-style `signal.reason` when cancelled between pages.
 */
export async function streamTickets(
  api: AutotaskApi,
  spec: QuerySpec<TicketField>,
  options: ReportCallOptions & { label: string; maxTotal?: number },
  onPage: (tickets: Ticket[]) => void | Promise<void>,
): Promise<PagingSummary> {
  const { signal, onProgress } = options;
  signal?.throwIfAborted();
  // The count is only for progress; when progress is not asked for, it is not requested.
  const counting = onProgress
    ? api.countTickets({ filter: spec.filter }, { signal }).catch(() => undefined)
    : Promise.resolve(undefined);
  let total: number | undefined;
  let read = 0;
  let pages = 0;
  const iterator = api.queryTickets({ ...spec, maxRecords: 500 }, { signal, maxTotal: options.maxTotal ?? Number.MAX_SAFE_INTEGER });
  for await (const page of iterator) {
    pages += 1;
    read += page.length;
    await onPage(page);
    if (onProgress) {
      total ??= await counting;
      await onProgress(read, total === undefined ? undefined : Math.max(total, read), `${options.label}: ${read}${total === undefined ? "" : ` of ${total}`} ticket${(total ?? read) === 1 ? "" : "s"} read`);
    }
    signal?.throwIfAborted();
  }
  if (onProgress && pages === 0) {
    total ??= await counting;
    await onProgress(0, 0, `${options.label}: no tickets match`);
  }
  return { tickets: read, pages, total: total ?? (await counting) };
}
