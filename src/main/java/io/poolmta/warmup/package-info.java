/** Warm-up of new dedicated IPs: where an IP stands on the 45-day plan. */
package io.poolmta.warmup;
