package io.poolmta.tag;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of resource that carry tags, with their ARN resource-type word. */
public enum ResourceType {
    DEDICATED_IP_POOL("dedicated-ip-pool"),
    CONFIGURATION_SET("configuration-set"),
    IDENTITY("identity"),
    TEMPLATE("template");

    private final String arnWord;

    ResourceType(String arnWord) {
        this.arnWord = arnWord;
    }

    public String arnWord() {
        return arnWord;
    }

    public static Optional<ResourceType> ofArnWord(String word) {
        return Arrays.stream(values()).filter(t -> t.arnWord.equals(word)).findFirst();
    }
}
