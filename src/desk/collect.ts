/**
 * Gathers every record of a paged query. The client's iterators already stop at `maxTotal`, so a
 * caller that wants "limit + 1 to know whether there are more" passes that as `maxTotal`.
 */
export async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const records: T[] = [];
  for await (const page of pages) records.push(...page);
  return records;
}
