package io.poolmta.identity;

import java.util.List;

/** Looks up the TXT records at a name. */
@FunctionalInterface
public interface TxtLookup {
    /** The outcome of one lookup. */
    sealed interface Result {}

    /** The name has TXT records: each record's strings joined. */
    record Found(List<String> records) implements Result {}

    /** The name does not exist, or has no TXT records. */
    record Missing(VerificationError why) implements Result {}

    /** The resolver failed or did not answer. */
    record Failed(String reason) implements Result {}

    Result lookup(String name);
}
