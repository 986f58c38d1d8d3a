package io.poolmta.sim;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a receiver does with a DKIM-Signature (RFC 6376), written on the receiving side's terms
 * and apart from PoolMTA's signer: for the simulated providers, so the demo reports signatures
 * checked as a receiver checks them. Handles {@code rsa-sha256} with relaxed or simple
 * canonicalization (each of header and body), the {@code l=} body length absent. The key comes
 * from a TXT lookup of {@code <s>._domainkey.<d>} (the simulators' published keys). The first
 * signature of the message decides.
 */
public final class DkimCheck {
    /** The outcome for one message. */
    public enum Result {
        PASS,
        FAIL,
        NONE
    }

    private DkimCheck() {}

    /** Checks {@code message} (header, empty line, body; CRLF lines) with keys from {@code txt}. */
    public static Result verify(byte[] message, Function<String, Optional<String>> txt) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        int split = text.indexOf("\r\n\r\n");
        String head = split < 0 ? text + "\r\n" : text.substring(0, split + 2);
        String body = split < 0 ? "" : text.substring(split + 4);
        List<String> fields = fields(head);
        String signature = null;
        for (String field : fields) {
            if (name(field).equals("dkim-signature")) {
                signature = field;
                break;
            }
        }
        if (signature == null) {
            return Result.NONE;
        }
        try {
            Map<String, String> tags = tags(value(signature));
            if (!"1".equals(tags.get("v")) || !"rsa-sha256".equals(tags.get("a")) || tags.containsKey("l")) {
                return Result.FAIL;
            }
            String[] c = tags.getOrDefault("c", "simple/simple").split("/", -1);
            boolean relaxedHeaders = c[0].equals("relaxed");
            boolean relaxedBody = c.length > 1 && c[1].equals("relaxed");
            byte[] bodyHash = MessageDigest.getInstance("SHA-256")
                    .digest(canonicalBody(body, relaxedBody).getBytes(StandardCharsets.ISO_8859_1));
            if (!Base64.getEncoder().encodeToString(bodyHash).equals(tags.get("bh"))) {
                return Result.FAIL;
            }
            Optional<PublicKey> key =
                    txt.apply(tags.get("s") + "._domainkey." + tags.get("d")).flatMap(DkimCheck::publicKey);
            if (key.isEmpty()) {
                return Result.FAIL;
            }
            ByteArrayOutputStream signed = new ByteArrayOutputStream();
            Map<String, Integer> used = new HashMap<>();
            for (String wanted : tags.get("h").split(":")) {
                String name = wanted.trim().toLowerCase(Locale.ROOT);
                int seen = used.merge(name, 1, Integer::sum);
                // the n-th use of a name signs its n-th instance from the bottom; none left: nothing
                int count = 0;
                for (int i = fields.size() - 1; i >= 0; i--) {
                    if (name(fields.get(i)).equals(name) && ++count == seen) {
                        signed.writeBytes(
                                canonicalField(fields.get(i), relaxedHeaders).getBytes(StandardCharsets.ISO_8859_1));
                        break;
                    }
                }
            }
            // the signature field itself, its b= value empty and without its final CRLF
            String bare = signature.substring(0, signature.length() - 2);
            String withoutB = bare.replaceAll("(?s)(;\\s*b\\s*=)[^;]*", "$1");
            String last = relaxedHeaders ? canonicalField(withoutB + "\r\n", true) : withoutB + "\r\n";
            signed.writeBytes(last.substring(0, last.length() - 2).getBytes(StandardCharsets.ISO_8859_1));
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(key.get());
            rsa.update(signed.toByteArray());
            return rsa.verify(Base64.getDecoder().decode(tags.get("b"))) ? Result.PASS : Result.FAIL;
        } catch (GeneralSecurityException | RuntimeException e) {
            return Result.FAIL;
        }
    }

    /** Header fields, each with its folded lines and its final CRLF. */
    private static List<String> fields(String head) {
        List<String> out = new ArrayList<>();
        for (String line : head.split("(?<=\r\n)")) {
            if (!out.isEmpty() && (line.startsWith(" ") || line.startsWith("\t"))) {
                out.set(out.size() - 1, out.getLast() + line);
            } else if (!line.isEmpty()) {
                out.add(line);
            }
        }
        return out;
    }

    private static String name(String field) {
        int colon = field.indexOf(':');
        return colon < 0 ? "" : field.substring(0, colon).strip().toLowerCase(Locale.ROOT);
    }

    private static String value(String field) {
        return field.substring(field.indexOf(':') + 1);
    }

    private static Map<String, String> tags(String list) {
        Map<String, String> out = new HashMap<>();
        for (String part : list.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                out.put(part.substring(0, eq).strip(), part.substring(eq + 1).replaceAll("[ \t\r\n]", ""));
            }
        }
        return out;
    }

    private static String canonicalField(String field, boolean relaxed) {
        if (!relaxed) {
            return field;
        }
        String unfolded =
                value(field).replace("\r\n", "").replaceAll("[ \t]+", " ").strip();
        return name(field) + ":" + unfolded + "\r\n";
    }

    private static String canonicalBody(String body, boolean relaxed) {
        List<String> lines = new ArrayList<>(List.of(body.split("\r\n", -1)));
        if (!lines.isEmpty() && lines.getLast().isEmpty()) {
            lines.removeLast(); // the text after the last CRLF
        }
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(relaxed ? line.replaceAll("[ \t]+", " ").replaceAll(" $", "") : line)
                    .append("\r\n");
        }
        String canonical = out.toString();
        while (canonical.endsWith("\r\n\r\n")) {
            canonical = canonical.substring(0, canonical.length() - 2);
        }
        if (canonical.equals("\r\n")) {
            return relaxed ? "" : "\r\n";
        }
        return canonical.isEmpty() && !relaxed ? "\r\n" : canonical;
    }

    private static Optional<PublicKey> publicKey(String record) {
        Map<String, String> tags = tags(record);
        String p = tags.get("p");
        if (p == null || p.isEmpty() || !tags.getOrDefault("k", "rsa").equals("rsa")) {
            return Optional.empty();
        }
        try {
            return Optional.of(KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(p))));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
