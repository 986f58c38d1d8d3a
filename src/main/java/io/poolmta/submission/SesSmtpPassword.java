package io.poolmta.submission;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SES SMTP password of a SigV4 secret access key, by AWS's documented algorithm (version 4):
 * an HMAC-SHA256 chain keyed with {@code "AWS4" + secret} over the fixed date {@code 11111111},
 * the region, {@code ses}, {@code aws4_request} and {@code SendRawEmail}; the byte 0x04 prepended;
 * base64. The password depends on the region, so {@link #matchesAnyRegion} accepts the password of
 * any region in {@link #REGIONS}. Comparisons are constant-time.
 */
public final class SesSmtpPassword {
    /** The regions whose SES SMTP passwords are accepted. */
    public static final List<String> REGIONS = List.of(
            "us-east-1",
            "us-east-2",
            "us-west-1",
            "us-west-2",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "eu-central-1",
            "eu-central-2",
            "eu-north-1",
            "eu-south-1",
            "ap-south-1",
            "ap-south-2",
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-northeast-3",
            "ap-southeast-1",
            "ap-southeast-2",
            "ap-southeast-3",
            "ap-southeast-5",
            "ca-central-1",
            "ca-west-1",
            "sa-east-1",
            "me-south-1",
            "me-central-1",
            "af-south-1",
            "il-central-1",
            "us-gov-east-1",
            "us-gov-west-1");

    private static final String DATE = "11111111";
    private static final String SERVICE = "ses";
    private static final String TERMINAL = "aws4_request";
    private static final String MESSAGE = "SendRawEmail";
    private static final byte VERSION = 0x04;

    private SesSmtpPassword() {}

    public static String derive(String secretAccessKey, String region) {
        byte[] key = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), DATE);
        key = hmac(key, region);
        key = hmac(key, SERVICE);
        key = hmac(key, TERMINAL);
        key = hmac(key, MESSAGE);
        byte[] versioned = new byte[key.length + 1];
        versioned[0] = VERSION;
        System.arraycopy(key, 0, versioned, 1, key.length);
        return Base64.getEncoder().encodeToString(versioned);
    }

    /** Whether {@code password} is the SES SMTP password of the secret for one of {@link #REGIONS}. */
    public static boolean matchesAnyRegion(String secretAccessKey, String password) {
        byte[] given = password.getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (String region : REGIONS) {
            // no early exit: every region is checked
            match |= MessageDigest.isEqual(derive(secretAccessKey, region).getBytes(StandardCharsets.UTF_8), given);
        }
        return match;
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
