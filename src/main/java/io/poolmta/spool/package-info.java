/** Durable store of accepted messages: nothing acknowledged is lost, including across a crash. */
package io.poolmta.spool;
