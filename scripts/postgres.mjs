// Starts Debian's PostgreSQL cluster and makes a login role and database for the tests.
import { execFileSync } from 'node:child_process';
import { log, run } from './lib.mjs';

const role = 'hub';
const password = 'hub';

function psql(sql) {
  return execFileSync('su', ['postgres', '-c', `psql -tAq -c ${JSON.stringify(sql)}`], { encoding: 'utf8' }).trim();
}

function clusterOnline() {
  try {
    return execFileSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' })
      .split('\n')
      .some((l) => l.includes('online'));
  } catch {
    return false;
  }
}

/** Returns a connection URL for a fresh-enough database named `database` owned by the test role. */
export function ensurePostgres(database) {
  if (!clusterOnline()) {
    log('starting PostgreSQL');
    run('service', ['postgresql', 'start']);
  }
  if (psql(`SELECT 1 FROM pg_roles WHERE rolname='${role}'`) !== '1') {
    psql(`CREATE ROLE ${role} LOGIN PASSWORD '${password}' CREATEDB`);
  }
  // the suites drop their databases WITH (FORCE), which terminates whatever is connected to them; an
  // autovacuum worker busy on one belongs to no role of ours, and only pg_signal_backend may end it
  // (without it the drop failed now and then: "must be a member of the role whose process is being terminated")
  if (psql(`SELECT pg_has_role('${role}', 'pg_signal_backend', 'MEMBER')`) !== 't') {
    psql(`GRANT pg_signal_backend TO ${role}`);
  }
  if (psql(`SELECT 1 FROM pg_database WHERE datname='${database}'`) !== '1') {
    psql(`CREATE DATABASE ${database} OWNER ${role}`);
  }
  return `postgresql://${role}:${password}@127.0.0.1:5432/${database}`;
}
