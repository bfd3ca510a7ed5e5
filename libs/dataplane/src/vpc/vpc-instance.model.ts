/**
 * A VM network interface as the VPC data plane sees it: the inputs firewall rules and routes select on.
 * Shapes follow the Compute v1 Instance resource (`networkInterfaces[0]`, `tags.items`, `serviceAccounts[0]`).
 */
export interface VpcInstance {
  readonly name?: string;
  /** The NIC's network: a full URL, `projects/p/global/networks/n`, `global/networks/n` or a bare name. */
  readonly network: string;
  /** Network tags (`tags.items`). */
  readonly tags?: readonly string[];
  /** The VM's service account email (`serviceAccounts[0].email`); a VM has at most one. */
  readonly serviceAccount?: string;
  /** The NIC's IPv4 addresses; the first is the primary internal address (`networkIP`). */
  readonly ipAddresses?: readonly string[];
}
