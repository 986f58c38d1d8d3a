package io.poolmta.submission;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** AWS's SES SMTP password algorithm (version 4), checked against a published vector. */
class SesSmtpPasswordTest {
    /** AWS's documentation example secret key. */
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    /**
     * The SMTP password of {@link #SECRET} in us-east-1, from the test of
     * github.com/challgren/php-aws-smtp-password (tests/TestCase/PhpAwsSmtpPasswordTest.php); the
     * same value comes out of AWS's Python script smtp_credentials_generate.py.
     */
    private static final String US_EAST_1 = "BLBM/9hSUELfq8Gw+rU1YcBjkOxGbhT2XG763xVLGWL9";

    @Test
    void derivesThePublishedVector() {
        assertThat(SesSmtpPassword.derive(SECRET, "us-east-1")).isEqualTo(US_EAST_1);
    }

    @Test
    void passwordIsVersion4AndDependsOnTheRegion() {
        String euWest1 = SesSmtpPassword.derive(SECRET, "eu-west-1");
        assertThat(euWest1).hasSize(44).startsWith("B"); // 0x04 then 32 bytes, base64
        assertThat(euWest1).isNotEqualTo(US_EAST_1);
    }

    @Test
    void acceptsThePasswordOfEverySesRegion() {
        assertThat(SesSmtpPassword.REGIONS)
                .hasSize(29)
                .doesNotHaveDuplicates()
                .contains("us-east-1", "eu-central-2", "ap-southeast-5", "il-central-1", "us-gov-west-1");
        for (String region : SesSmtpPassword.REGIONS) {
            assertThat(SesSmtpPassword.matchesAnyRegion(SECRET, SesSmtpPassword.derive(SECRET, region)))
                    .as(region)
                    .isTrue();
        }
    }

    @Test
    void refusesOtherPasswords() {
        assertThat(SesSmtpPassword.matchesAnyRegion(SECRET, SECRET)).isFalse();
        assertThat(SesSmtpPassword.matchesAnyRegion(SECRET, "")).isFalse();
        assertThat(SesSmtpPassword.matchesAnyRegion(SECRET, SesSmtpPassword.derive(SECRET, "us-central-9")))
                .isFalse();
        assertThat(SesSmtpPassword.matchesAnyRegion("another secret", US_EAST_1))
                .isFalse();
    }
}
