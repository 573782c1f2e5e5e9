/**
 * Reading the text rows list tools answer with (no structured copy). The shape is the one
 * `renderTicketRows` documents: a heading with the total, a columns line, one line per ticket, and
 * the cursor in the last line when more pages exist. Parsed strictly: a row that does not fit fails.
 */

export interface ParsedTicketRow {
  id: number;
  ticketNumber?: string;
  status: string;
  priority: string;
  /** "Contoso (7)" */
  company: string;
  companyID?: number;
  assignedResource: string;
  assignedResourceID?: number;
  due?: string;
  sla?: string;
  title: string;
}

export interface ParsedTicketPage {
  rows: ParsedTicketRow[];
  total?: number;
  nextCursor?: string;
  lines: string[];
}

const ROW = /^(\d+)(?: (T\S+))? \| /;

export function parseTicketPage(text: string): ParsedTicketPage {
  const lines = text.split("\n");
  const rows: ParsedTicketRow[] = [];
  for (const line of lines) {
    const head = ROW.exec(line);
    if (!head) continue;
    const titleAt = line.lastIndexOf(" | ");
    const parts = line.slice(head[0].length, titleAt).split(" | ");
    const [status, priority, company, assignedResource, ...rest] = parts;
    if (status === undefined || priority === undefined || company === undefined || assignedResource === undefined) {
      throw new Error(`not a ticket row: ${line}`);
    }
    const due = rest.find((part) => part.startsWith("due "))?.slice(4);
    const sla = rest.find((part) => !part.startsWith("due "));
    rows.push({
      id: Number(head[1]),
      ...(head[2] ? { ticketNumber: head[2] } : {}),
      status,
      priority,
      company,
      ...(idIn(company) !== undefined ? { companyID: idIn(company) } : {}),
      assignedResource,
      ...(idIn(assignedResource) !== undefined ? { assignedResourceID: idIn(assignedResource) } : {}),
      ...(due ? { due } : {}),
      ...(sla ? { sla } : {}),
      title: line.slice(titleAt + 3),
    });
  }
  const total = /^(\d+) tickets? match/m.exec(text);
  const cursor = /cursor "([^"]+)"/.exec(text);
  return {
    rows,
    ...(total ? { total: Number(total[1]) } : text.includes("No tickets match") ? { total: 0 } : {}),
    ...(cursor ? { nextCursor: cursor[1] } : {}),
    lines,
  };
}

function idIn(text: string): number | undefined {
  const match = /\((\d+)\)$/.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** `123 Name …` lines of autotask_search_companies / autotask_search_resources: the ids in order. */
export function listedIds(text: string): number[] {
  return text
    .split("\n")
    .map((line) => /^(\d+) /.exec(line)?.[1])
    .filter((id): id is string => id !== undefined)
    .map(Number);
}
