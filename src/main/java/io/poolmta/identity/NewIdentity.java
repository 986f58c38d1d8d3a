package io.poolmta.identity;

import io.poolmta.tag.Tag;
import java.util.List;
import java.util.Optional;

/** CreateEmailIdentity's input: the name, tags, how to sign (domains only) and a default configuration set. */
public record NewIdentity(
        String name, List<Tag> tags, Optional<SigningInput> signing, Optional<String> configurationSetName) {
    public NewIdentity {
        tags = List.copyOf(tags);
    }
}
