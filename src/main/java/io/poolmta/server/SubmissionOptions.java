package io.poolmta.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * The SMTP submission settings of {@code poolmta serve} beyond its address, with their config-file
 * keys: {@code smtpAllowCleartextAuth} (default false: AUTH only after STARTTLS or on SMTPS; true
 * only for loopback-only set-ups), {@code tlsCertificate} and {@code tlsPrivateKey} (PEM files,
 * both or neither; default: a generated self-signed certificate in the data directory; re-read at
 * the next TLS handshake after they change), {@code smtps} (HOST:PORT of an implicit-TLS listener;
 * default none) and {@code smtpMaxConnectionsPerAddress} (default 100).
 */
public record SubmissionOptions(
        boolean allowCleartextAuth,
        Optional<Path> tlsCertificate,
        Optional<Path> tlsPrivateKey,
        Optional<HostPort> smtps,
        int maxConnectionsPerAddress) {
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 100;
    static final Set<String> KEYS = Set.of(
            "smtpAllowCleartextAuth", "tlsCertificate", "tlsPrivateKey", "smtps", "smtpMaxConnectionsPerAddress");

    public SubmissionOptions {
        if (tlsCertificate.isPresent() != tlsPrivateKey.isPresent()) {
            throw new IllegalArgumentException("tlsCertificate and tlsPrivateKey go together: give both or neither");
        }
        if (maxConnectionsPerAddress < 1) {
            throw new IllegalArgumentException("smtpMaxConnectionsPerAddress must be 1 or more");
        }
    }

    public static SubmissionOptions defaults() {
        return new SubmissionOptions(
                false, Optional.empty(), Optional.empty(), Optional.empty(), DEFAULT_MAX_CONNECTIONS_PER_ADDRESS);
    }

    public SubmissionOptions withAllowCleartextAuth(boolean allowed) {
        return new SubmissionOptions(allowed, tlsCertificate, tlsPrivateKey, smtps, maxConnectionsPerAddress);
    }

    public SubmissionOptions withTls(Path certificate, Path privateKey) {
        return new SubmissionOptions(
                allowCleartextAuth, Optional.of(certificate), Optional.of(privateKey), smtps, maxConnectionsPerAddress);
    }

    public SubmissionOptions withSmtps(HostPort address) {
        return new SubmissionOptions(
                allowCleartextAuth, tlsCertificate, tlsPrivateKey, Optional.of(address), maxConnectionsPerAddress);
    }

    public SubmissionOptions withMaxConnectionsPerAddress(int count) {
        return new SubmissionOptions(allowCleartextAuth, tlsCertificate, tlsPrivateKey, smtps, count);
    }

    /** Layers the keys present in a config file's root object over these. */
    SubmissionOptions from(JsonNode root, Path file) {
        SubmissionOptions options = this;
        JsonNode cleartext = root.get("smtpAllowCleartextAuth");
        if (cleartext != null) {
            if (!cleartext.isBoolean()) {
                throw new IllegalArgumentException(file + ": 'smtpAllowCleartextAuth' must be true or false");
            }
            options = options.withAllowCleartextAuth(cleartext.booleanValue());
        }
        Optional<String> certificate = text(root, "tlsCertificate", file);
        Optional<String> key = text(root, "tlsPrivateKey", file);
        if (certificate.isPresent() || key.isPresent()) {
            if (certificate.isEmpty() || key.isEmpty()) {
                throw new IllegalArgumentException(file + ": 'tlsCertificate' and 'tlsPrivateKey' go together");
            }
            options = options.withTls(Path.of(certificate.get()), Path.of(key.get()));
        }
        Optional<String> smtpsAddress = text(root, "smtps", file);
        if (smtpsAddress.isPresent()) {
            options = options.withSmtps(HostPort.parse(smtpsAddress.get()));
        }
        JsonNode perAddress = root.get("smtpMaxConnectionsPerAddress");
        if (perAddress != null) {
            if (!perAddress.isIntegralNumber() || !perAddress.canConvertToInt()) {
                throw new IllegalArgumentException(file + ": 'smtpMaxConnectionsPerAddress' must be a whole number");
            }
            options = options.withMaxConnectionsPerAddress(perAddress.intValue());
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
