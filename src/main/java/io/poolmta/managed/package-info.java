/**
 * Managed dedicated IP pools (ScalingMode=MANAGED): PoolMTA warms each IP separately per mailbox
 * provider, draws IPs from the operator's reserve when a provider's demand exceeds what the pool may
 * send it today, and gives idle IPs back to the reserve.
 */
package io.poolmta.managed;
