export interface NetworkLabOptions {
  /** The hosts, in order: each gets a namespace and the address `<subnet>.<position from 1>`. */
  hosts: string[];
  /** The first three octets of the lab's /24 (default: 10.203.<derived from the process id>). */
  subnet?: string;
}

export interface LabHost {
  name: string;
  namespace: string;
  address: string;
}
