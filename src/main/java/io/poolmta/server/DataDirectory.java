package io.poolmta.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The server's data directory (owner-only): the embedded database, {@code operator.json} (the
 * operator credential, generated on first start, mode 0600) and {@code server.json} (where the
 * running server listens, so the CLI can find it). Files are written to a temporary name and
 * renamed into place.
 */
public final class DataDirectory {
    public static final String OPERATOR_FILE = "operator.json";
    public static final String SERVER_FILE = "server.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;

    public DataDirectory(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public void create() throws IOException {
        Files.createDirectories(root);
        try {
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException notPosix) {
            // best effort on file systems without POSIX permissions
        }
    }

    /** The operator token, generated and stored on first call. */
    public String operatorToken() throws IOException {
        Optional<String> existing = readOperatorToken(root);
        if (existing.isPresent()) {
            return existing.get();
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = "pmta-op-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        ObjectNode node = JSON.createObjectNode().put("OperatorToken", token);
        writeOwnerOnly(
                root.resolve(OPERATOR_FILE),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
        return token;
    }

    public static Optional<String> readOperatorToken(Path dataDir) throws IOException {
        Path file = dataDir.resolve(OPERATOR_FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        JsonNode node = JSON.readTree(file.toFile());
        return Optional.ofNullable(node.get("OperatorToken")).map(JsonNode::asText);
    }

    public void writeServerInfo(String apiUrl, String smtpAddress) throws IOException {
        ObjectNode node = JSON.createObjectNode()
                .put("ApiUrl", apiUrl)
                .put("SmtpAddress", smtpAddress)
                .put("Pid", ProcessHandle.current().pid());
        writeOwnerOnly(
                root.resolve(SERVER_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
    }

    public void removeServerInfo() {
        try {
            Files.deleteIfExists(root.resolve(SERVER_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Optional<String> readApiUrl(Path dataDir) throws IOException {
        Path file = dataDir.resolve(SERVER_FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.ofNullable(JSON.readTree(file.toFile()).get("ApiUrl")).map(JsonNode::asText);
    }

    private static void writeOwnerOnly(Path target, byte[] content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(tmp);
        }
        Files.write(tmp, content);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
