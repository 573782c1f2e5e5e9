import { describe, expect, it } from "vitest";
import { generateTenant, iso } from "./generator.js";
import { loadProfile } from "./profile.js";

const NOW = new Date("2026-11-27T12:00:00Z");

describe("tenant generator", () => {
  it("is deterministic for a seed and differs between seeds", () => {
    const profile = loadProfile("default");
    const first = generateTenant(profile, { tickets: 150, seed: 8, now: NOW });
    const again = generateTenant(profile, { tickets: 150, seed: 8, now: NOW });
    const other = generateTenant(profile, { tickets: 150, seed: 9, now: NOW });
    expect(again.tickets()).toEqual(first.tickets());
    expect(again.notesFor(100010)).toEqual(first.notesFor(100010));
    expect(other.tickets().map((t) => t.title)).not.toEqual(first.tickets().map((t) => t.title));
  });

  for (const profileName of ["default", "real-tenant"]) {
    it(`builds a consistent tenant for the ${profileName} profile`, () => {
      const profile = loadProfile(profileName);
      const store = generateTenant(profile, { tickets: 400, seed: 2, now: NOW });
      const tickets = store.tickets();
      expect(tickets).toHaveLength(400);
      const activeValue = (field: string) => new Set(profile.activeValues("Tickets", field).map((value) => Number(value.value)));
      const statuses = activeValue("status");
      const priorities = activeValue("priority");
      expect(tickets.every((t) => statuses.has(t.status as number) && priorities.has(t.priority as number))).toBe(true);
      expect(new Set(tickets.map((t) => t.status))).toEqual(statuses);
      const ninetyDaysAgo = NOW.getTime() - 90 * 86_400_000;
      const pairs = store.resourceServiceDeskRoles();
      const contacts = new Map(store.contacts().map((contact) => [contact.id, contact]));
      for (const ticket of tickets) {
        const created = Date.parse(ticket.createDate as string);
        expect(created).toBeGreaterThanOrEqual(ninetyDaysAgo - 86_400_000);
        expect(created).toBeLessThanOrEqual(NOW.getTime());
        expect(ticket.ticketNumber).toBe(
          `T${(ticket.createDate as string).slice(0, 10).replaceAll("-", "")}.${String(ticket.ticketNumber).split(".")[1]}`,
        );
        if (ticket.status === profile.completeStatus) {
          expect(ticket.completedDate).not.toBeNull();
          expect(ticket.resolution).not.toBeNull();
        } else {
          expect(ticket.completedDate).toBeNull();
        }
        if (ticket.assignedResourceID !== null) {
          expect(pairs.some((p) => p.resourceID === ticket.assignedResourceID && p.roleID === ticket.assignedResourceRoleID && p.isActive)).toBe(true);
        }
        if (ticket.contactID !== null) expect(contacts.get(ticket.contactID as number)?.companyID).toBe(ticket.companyID);
        const lastNote = store.notesFor(ticket.id as number).at(-1);
        if (lastNote) expect(Date.parse(ticket.lastActivityDate as string)).toBeGreaterThanOrEqual(Date.parse(lastNote.createDateTime as string));
      }
      const ids = tickets.map((t) => t.id as number);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(store.companies()[0]?.id).toBe(0);
    });
  }

  it("formats instants exactly like Date#toISOString", () => {
    for (const ms of [0, 951_782_400_000, 1_709_164_800_123, NOW.getTime(), 4_102_444_799_999, 1_000_000_000_001]) {
      expect(iso(ms)).toBe(new Date(ms).toISOString());
    }
  });
});
