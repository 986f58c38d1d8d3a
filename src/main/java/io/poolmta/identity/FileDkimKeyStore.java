package io.poolmta.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Private DKIM keys as files: {@code ROOT/ACCOUNT/DOMAIN/SELECTOR.pk8} (PKCS#8 DER), directories
 * 0700 and files 0600, so only the server's user reads them. Kept out of the database on purpose:
 * a database dump, a SQL console or a PostgreSQL replica never carries signing keys, and the keys
 * stay in the data directory the operator already protects (as the operator token and TLS key
 * do). A key is written to a temporary file, synced, and renamed into place. Names are validated
 * identity domains and selectors (no dots in selectors, no slashes anywhere), so paths cannot
 * leave the root. A cluster on PostgreSQL keeps its keys in the database instead; {@link #list}
 * finds the files a node kept before, to move them there.
 */
public final class FileDkimKeyStore implements DkimKeyStore {
    private final Path root;

    /** Where one key file is: the key's account, domain and selector. */
    public record KeyFile(String accountId, String domain, String selector) {}

    public FileDkimKeyStore(Path root) {
        this.root = root;
    }

    @Override
    public void save(String accountId, String domain, String selector, byte[] pkcs8) {
        Path dir = dir(accountId, domain);
        try {
            createPrivateDirectories(dir);
            Path target = dir.resolve(DkimKeys.requireValidSelector(selector) + ".pk8");
            Path tmp = dir.resolve(selector + ".pk8.tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(
                        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(tmp);
            }
            try (var channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(pkcs8));
                channel.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the DKIM key of " + domain, e);
        }
    }

    @Override
    public Optional<byte[]> load(String accountId, String domain, String selector) {
        try {
            return Optional.of(Files.readAllBytes(dir(accountId, domain).resolve(selector + ".pk8")));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the DKIM key of " + domain, e);
        }
    }

    @Override
    public void delete(String accountId, String domain, String selector) {
        try {
            Files.deleteIfExists(dir(accountId, domain).resolve(DkimKeys.requireValidSelector(selector) + ".pk8"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete a DKIM key of " + domain, e);
        }
    }

    @Override
    public void deleteAll(String accountId, String domain) {
        Path dir = dir(accountId, domain);
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the DKIM keys of " + domain, e);
        }
    }

    /** Every key file under the root (none when there is no root). */
    public List<KeyFile> list() {
        List<KeyFile> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(root, 3)) {
            for (Path p : files.sorted().toList()) {
                String name = p.getFileName().toString();
                if (Files.isRegularFile(p)
                        && name.endsWith(".pk8")
                        && root.relativize(p).getNameCount() == 3) {
                    out.add(new KeyFile(
                            p.getParent().getParent().getFileName().toString(),
                            p.getParent().getFileName().toString(),
                            name.substring(0, name.length() - ".pk8".length())));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the DKIM key files in " + root, e);
        }
        return out;
    }

    private Path dir(String accountId, String domain) {
        if (accountId.contains("/") || domain.contains("/") || domain.startsWith(".") || accountId.startsWith(".")) {
            throw new IllegalArgumentException("not a key path: " + accountId + "/" + domain);
        }
        return root.resolve(accountId).resolve(domain);
    }

    private void createPrivateDirectories(Path dir) throws IOException {
        for (Path d : new Path[] {root, dir.getParent(), dir}) {
            try {
                Files.createDirectory(
                        d, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException exists) {
                // made before
            } catch (UnsupportedOperationException notPosix) {
                Files.createDirectories(d);
            }
        }
    }
}
