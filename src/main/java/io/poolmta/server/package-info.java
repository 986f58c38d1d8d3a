/** Wires the features into one running server: configuration, data directory, start and stop. */
package io.poolmta.server;
