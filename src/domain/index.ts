/**
 * Service-desk domain rules, pure and I/O-free: tenant status/priority mapping, business-hours
 * calendars, the SLA clock, the status workflow, escalation and metrics. Tools and the sandbox import
 * from here; nothing in this folder reads the clock, the network or the disk (`now` is always passed in).
 */
export * from "./calendar.js";
export * from "./escalation.js";
export * from "./metrics.js";
export * from "./sla.js";
export * from "./states.js";
export { DAY_MS, HOUR_MS, MINUTE_MS, parseInstant, toEpochMs } from "./time.js";
export * from "./workflow.js";
export { fixedOffsetMinutes, zoneOffsetMinutes } from "./zones.js";
