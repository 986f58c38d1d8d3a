package io.poolmta.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * The settings of identity verification, with their config-file keys: {@code feedbackHost} (the
 * host name bounces are received on: a custom MAIL FROM domain's MX must point at it; default: the
 * server's {@code hostname}), {@code verificationFrom} (the operator's address that sends the
 * verification link of an email-address identity; default {@code no-reply@} and the host name) and
 * {@code publicUrl} (the base URL those links start with, e.g. {@code https://mta.example.com};
 * default: the API listener's URL).
 */
public record IdentityOptions(
        Optional<String> feedbackHost, Optional<String> verificationFrom, Optional<String> publicUrl) {
    static final Set<String> KEYS = Set.of("feedbackHost", "verificationFrom", "publicUrl");

    public IdentityOptions {
        publicUrl.ifPresent(url -> {
            URI uri = URI.create(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("publicUrl must be an http:// or https:// URL, got '" + url + "'");
            }
        });
        verificationFrom.ifPresent(from -> {
            if (!from.matches("[^@\\s<>]+@[^@\\s<>]+")) {
                throw new IllegalArgumentException("verificationFrom must be a plain address, got '" + from + "'");
            }
        });
    }

    public static IdentityOptions defaults() {
        return new IdentityOptions(Optional.empty(), Optional.empty(), Optional.empty());
    }

    public IdentityOptions withFeedbackHost(String host) {
        return new IdentityOptions(Optional.of(host), verificationFrom, publicUrl);
    }

    public IdentityOptions withVerificationFrom(String address) {
        return new IdentityOptions(feedbackHost, Optional.of(address), publicUrl);
    }

    public IdentityOptions withPublicUrl(String url) {
        return new IdentityOptions(feedbackHost, verificationFrom, Optional.of(url));
    }

    /** The feedback host, or the server's host name. */
    public String feedbackHostOr(String hostName) {
        return feedbackHost.orElse(hostName);
    }

    /** The verification sender, or no-reply@ the server's host name. */
    public String verificationFromOr(String hostName) {
        return verificationFrom.orElse("no-reply@" + hostName);
    }

    /** Layers the keys present in a config file's root object over these. */
    IdentityOptions from(JsonNode root, Path file) {
        IdentityOptions options = this;
        Optional<String> host = text(root, "feedbackHost", file);
        if (host.isPresent()) {
            options = options.withFeedbackHost(host.get());
        }
        Optional<String> from = text(root, "verificationFrom", file);
        if (from.isPresent()) {
            options = options.withVerificationFrom(from.get());
        }
        Optional<String> url = text(root, "publicUrl", file);
        if (url.isPresent()) {
            options = options.withPublicUrl(url.get());
        }
        return options;
    }

    private static Optional<String> text(JsonNode root, String key, Path file) {
        JsonNode value = root.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isTextual() || value.textValue().isBlank()) {
            throw new IllegalArgumentException(file + ": '" + key + "' must be a non-empty string");
        }
        return Optional.of(value.textValue());
    }
}
