/** Tags on pools and configuration sets, and the ARNs that name those resources. */
package io.poolmta.tag;
