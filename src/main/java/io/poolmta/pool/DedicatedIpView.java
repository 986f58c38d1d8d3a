package io.poolmta.pool;

import io.poolmta.ip.Ipv4;
import io.poolmta.warmup.WarmupProgress;

/** A dedicated IP as its account sees it: the address, warm-up progress and pool. */
public record DedicatedIpView(Ipv4 ip, WarmupProgress warmup, String poolName) {}
