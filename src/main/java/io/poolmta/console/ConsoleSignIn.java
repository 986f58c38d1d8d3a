package io.poolmta.console;

import io.poolmta.account.AccessKey;
import io.poolmta.account.AccountService;
import io.poolmta.submission.AuthThrottle;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Checks console sign-ins: an account's access key ID and secret access key, or the operator
 * token. Each check is admitted and counted by the same {@link AuthThrottle} rules as SMTP AUTH
 * (per client address: the n-th failure within the window is answered after n × the failure delay,
 * five failures in ten minutes lock the address out for fifteen). Secrets are compared in constant
 * time. A refusal never says which half of the credentials was wrong.
 */
public final class ConsoleSignIn {
    public static final Duration DEFAULT_FAILURE_DELAY = Duration.ofSeconds(1);

    /** The outcome: the principal, or the message to show. */
    public record Result(Optional<Principal> principal, String message) {
        static Result refused(String message) {
            return new Result(Optional.empty(), message);
        }
    }

    static final String WRONG = "The access key ID or the secret access key is not correct.";
    static final String WRONG_TOKEN = "The operator token is not correct.";

    private final AccountService accounts;
    private final Supplier<String> operatorToken;
    private final AuthThrottle throttle;

    public ConsoleSignIn(AccountService accounts, Supplier<String> operatorToken, AuthThrottle throttle) {
        this.accounts = accounts;
        this.operatorToken = operatorToken;
        this.throttle = throttle;
    }

    public Result account(String clientAddress, String accessKeyId, String secret) {
        return check(
                clientAddress,
                WRONG,
                () -> accounts.key(accessKeyId.strip())
                        .filter(k -> same(k.secretAccessKey(), secret.strip()))
                        .map(AccessKey::accountId)
                        .map(id -> Principal.account(id, accounts.get(id).name())));
    }

    public Result operator(String clientAddress, String token) {
        return check(
                clientAddress,
                WRONG_TOKEN,
                () -> same(operatorToken.get(), token.strip())
                        ? Optional.of(Principal.theOperator())
                        : Optional.empty());
    }

    private Result check(String clientAddress, String wrong, Supplier<Optional<Principal>> verify) {
        InetAddress client = address(clientAddress);
        try {
            AuthThrottle.Admission admission = throttle.admit(client);
            if (admission.attempt().isEmpty()) {
                return Result.refused("Too many failed sign-in attempts from your address; try again later.");
            }
            try (AuthThrottle.Attempt attempt = admission.attempt().get()) {
                Optional<Principal> principal = verify.get();
                if (principal.isPresent()) {
                    attempt.succeeded();
                    return new Result(principal, "");
                }
                throttle.pause(attempt.failed());
                return Result.refused(wrong);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.refused("The server is stopping; try again later.");
        }
    }

    private static boolean same(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text == null || text.isEmpty() ? "0.0.0.0" : text);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("not an address: " + text, e);
        }
    }
}
