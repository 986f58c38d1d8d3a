/** JDBC adapters of the domain's stores, the embedded H2 database and its migrations. */
package io.poolmta.store;
