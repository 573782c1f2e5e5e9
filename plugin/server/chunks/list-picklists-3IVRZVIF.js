import { createRequire as __bundleCreateRequire } from "node:module"; const require = __bundleCreateRequire(import.meta.url);
import{a}from"./chunk-U2JH3M4Z.js";import"./chunk-SSQVKXH4.js";import"./chunk-VDHLUT27.js";import"./chunk-MQ76JQ36.js";import"./chunk-VFUJWQJS.js";import"./chunk-5RZERJ5O.js";import"./chunk-G6FEVNNL.js";export{a as default};
