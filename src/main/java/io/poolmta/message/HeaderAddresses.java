package io.poolmta.message;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The addr-specs found in the From, Sender, To, Cc and Bcc fields of a raw message, in order, all
 * occurrences of a field together, group members included. They are as written and not yet
 * validated: run each through {@link EmailAddresses} before it goes into an envelope.
 */
public record HeaderAddresses(
        List<String> from, List<String> sender, List<String> to, List<String> cc, List<String> bcc) {

    public HeaderAddresses {
        from = List.copyOf(from);
        sender = List.copyOf(sender);
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        bcc = List.copyOf(bcc);
    }

    /** To, Cc and Bcc together, in that order, each address once: the recipients when the request names none. */
    public List<String> recipients() {
        LinkedHashSet<String> all = new LinkedHashSet<>(to);
        all.addAll(cc);
        all.addAll(bcc);
        return List.copyOf(new ArrayList<>(all));
    }
}
