import { HubError } from '../errors/index.js';
/** The environment does not describe a hub that can start; `problems` names each variable at fault. */
export class ConfigError extends HubError {
  readonly problems: string[];

  constructor(problems: string[]) {
    super('INTERNAL', `invalid configuration (see docs/configuration.md):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}
