import { createRequire as __bundleCreateRequire } from "node:module"; const require = __bundleCreateRequire(import.meta.url);
import{a,b}from"./chunk-5RZERJ5O.js";import"./chunk-G6FEVNNL.js";export{a as defineTool,b as isWriteTool};
