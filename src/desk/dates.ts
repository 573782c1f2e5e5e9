/** Autotask stores and compares times in UTC; a date-time without an offset is taken as UTC. */
export function toUtcIso(value: string): string {
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(value);
  const withTime = value.length === 10 ? `${value}T00:00:00` : value;
  return new Date(hasZone ? withTime : `${withTime}Z`).toISOString();
}

/**
 * THE parser of search bounds (`createdAfter`, `completedBefore`, `lastActivityAfter`, `dueBefore`, …):
 * an ISO 8601 date or date-time -> the UTC instant Autotask compares with (ISO string). A date-only
 * bound is the start of that day; every bound in the desk goes through this one function, so the
 * zone it is read in is decided here (signature kept stable for the time-zone work).
 */
export function searchBoundToUtc(value: string): string {
  return toUtcIso(value);
}
