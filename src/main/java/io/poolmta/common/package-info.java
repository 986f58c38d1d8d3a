/** Values and errors shared by every feature: the error kinds the domain raises, pages and page tokens. */
package io.poolmta.common;
