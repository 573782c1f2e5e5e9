import { createRequire as __bundleCreateRequire } from "node:module"; const require = __bundleCreateRequire(import.meta.url);
function t(e){return e}function o(e){return!e.annotations.readOnlyHint}export{t as a,o as b};
