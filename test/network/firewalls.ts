/**
 * nftables rulesets for a lab host, as the commune firewalls the hub has to get through. Dropped, not
 * rejected: a real firewall says nothing, so ICE and TURN must time out the paths that fail.
 */
export const firewalls = {
  /** No UDP at all, either way: a browser's media must go over TCP. */
  noUdp: (): string => `
table inet commune {
  chain output { type filter hook output priority filter; policy accept; meta l4proto udp drop; }
  chain input { type filter hook input priority filter; policy accept; meta l4proto udp drop; }
}
`,
  /** Only TCP connections to `ports` of `address` (and their replies); nothing else leaves the host. */
  onlyTcpTo: (address: string, ports: number[]): string => `
table inet commune {
  chain output {
    type filter hook output priority filter; policy drop;
    oif "lo" accept
    ct state established,related accept
    ip daddr ${address} tcp dport { ${ports.join(', ')} } accept
  }
  chain input {
    type filter hook input priority filter; policy drop;
    iif "lo" accept
    ct state established,related accept
  }
}
`,
  /**
   * Everything `from` sends this host policed to `bitsPerSecond` (a token bucket of a quarter second's
   * worth): what exceeds it is dropped, as a commune's thin line does.
   */
  downlinkLimit: (from: string, bitsPerSecond: number): string => `
table inet commune {
  chain input {
    type filter hook input priority filter; policy accept;
    ip saddr ${from} limit rate over ${Math.round(bitsPerSecond / 8 / 1000)} kbytes/second burst ${Math.round(bitsPerSecond / 8 / 4 / 1000)} kbytes drop
  }
}
`,
  /**
   * `percent` of the UDP packets (the media) this host receives from `from` dropped at random, as a lossy line
   * does. Dropped where they arrive: a drop in the sender's own output chain fails its send() (EPERM), and the
   * browser simply sends again.
   */
  udpLossFrom: (from: string, percent: number): string => `
table inet line {
  chain input {
    type filter hook input priority filter; policy accept;
    ip saddr ${from} meta l4proto udp numgen random mod 100 < ${percent} drop
  }
}
`,
  /** Nothing in or out: the line is cut. */
  cut: (): string => `
table inet commune {
  chain output { type filter hook output priority filter; policy drop; oif "lo" accept; }
  chain input { type filter hook input priority filter; policy drop; iif "lo" accept; }
}
`,
};
