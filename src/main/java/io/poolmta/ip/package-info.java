/** The operator's sending addresses: which are leased to which account, shared, or kept in reserve. */
package io.poolmta.ip;
