import { createRequire as __bundleCreateRequire } from "node:module"; const require = __bundleCreateRequire(import.meta.url);
import{a}from"./chunk-6FB4OY4N.js";import"./chunk-SSQVKXH4.js";import"./chunk-5RZERJ5O.js";import"./chunk-G6FEVNNL.js";export{a as default};
