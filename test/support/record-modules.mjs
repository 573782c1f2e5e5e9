/**
 * Preload for test/bundle-startup.test.ts (`node --import`): when the server writes its `tools/list`
 * answer, records which Node built-in modules are loaded at that moment, and prints them to stderr as
 * one `LOADED-AT-TOOLS-LIST <json>` line when the process exits.
 */
const write = process.stdout.write.bind(process.stdout);
let snapshot;
process.stdout.write = (chunk, ...rest) => {
  if (snapshot === undefined && String(chunk).includes('"tools":[')) snapshot = [...process.moduleLoadList];
  return write(chunk, ...rest);
};
process.on("exit", () => {
  process.stderr.write(`\nLOADED-AT-TOOLS-LIST ${JSON.stringify(snapshot ?? null)}\n`);
});
