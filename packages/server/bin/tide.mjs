#!/usr/bin/env node
// Runs the TypeScript sources directly: Tide ships as source and needs no build step for the server.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
