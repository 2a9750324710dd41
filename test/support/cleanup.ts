// vitest setup file: runs in every test file, so what a file made is removed even when its tests fail.
import { afterAll } from 'vitest';
import { removeTestTempDirs } from './tempDirs.js';

afterAll(removeTestTempDirs);
