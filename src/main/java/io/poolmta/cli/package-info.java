/** The {@code poolmta} command line: {@code serve}, and the operator commands that talk to a running server. */
package io.poolmta.cli;
