/**
 * Preload for test/bundle-startup.test.ts (`node --import`): when the server writes its `tools/list`
 * answer, records which Node built-in modules are loaded at that moment, and whether a log line had been
 * written to fd 2 before it (pino writes with `fs.writeSync`). Prints, to stderr when the process exits,
 * `LOADED-AT-TOOLS-LIST <json>` and `LOG-BEFORE-TOOLS-LIST <true|false>` lines.
 */
import fs from "node:fs";

const write = process.stdout.write.bind(process.stdout);
let snapshot;
let logBeforeToolsList = false;
process.stdout.write = (chunk, ...rest) => {
  if (snapshot === undefined && String(chunk).includes('"tools":[')) snapshot = [...process.moduleLoadList];
  return write(chunk, ...rest);
};
const writeSync = fs.writeSync;
fs.writeSync = (fd, data, ...rest) => {
  if (fd === 2 && snapshot === undefined && String(data).startsWith('{"level"')) logBeforeToolsList = true;
  return writeSync(fd, data, ...rest);
};
process.on("exit", () => {
  process.stderr.write(`\nLOADED-AT-TOOLS-LIST ${JSON.stringify(snapshot ?? null)}\n`);
  process.stderr.write(`LOG-BEFORE-TOOLS-LIST ${logBeforeToolsList}\n`);
});
