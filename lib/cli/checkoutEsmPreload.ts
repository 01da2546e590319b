/** Registers checkoutEsmHooks.ts (a source checkout only; see there): `node --import <this file>`. */
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

register(pathToFileURL(`${__dirname}/checkoutEsmHooks.mjs`).href);
