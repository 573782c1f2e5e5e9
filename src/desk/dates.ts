/** Autotask stores and compares times in UTC; a date-time without an offset is taken as UTC. */
export function toUtcIso(value: string): string {
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(value);
  const withTime = value.length === 10 ? `${value}T00:00:00` : value;
  return new Date(hasZone ? withTime : `${withTime}Z`).toISOString();
}
