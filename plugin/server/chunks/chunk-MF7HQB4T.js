import { createRequire as __bundleCreateRequire } from "node:module"; const require = __bundleCreateRequire(import.meta.url);
import{I as e}from"./chunk-3AJENUQK.js";import{G as o}from"./chunk-SSQVKXH4.js";var n=e.extend({params:e.shape.params.extend({arguments:o.unknown().optional()})});export{n as a};
