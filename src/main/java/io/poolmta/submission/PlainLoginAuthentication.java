package io.poolmta.submission;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.AuthenticationHandler;
import org.subethamail.smtp.AuthenticationHandlerFactory;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.RejectException;

/**
 * SMTP AUTH mechanisms PLAIN (RFC 4616, with or without an initial response) and LOGIN. The
 * credentials go to the {@link SmtpAuthenticator}; on success the session's identity is the account
 * id. Every check is first admitted by the {@link AuthThrottle} (counted before it is made; refused
 * with 454 4.7.0 when the client's IP is locked out, has used up its attempts or has too many in
 * flight); a wrong user name or password is answered 535 5.7.8 after the delay the throttle asks
 * for; malformed input is answered 501 5.5.2; a failing authenticator is answered 454 4.7.0 (try
 * again later) and logged, never shown to the client.
 */
final class PlainLoginAuthentication implements AuthenticationHandlerFactory {
    static final String PLAIN = "PLAIN";
    static final String LOGIN = "LOGIN";
    private static final Logger LOG = LoggerFactory.getLogger(PlainLoginAuthentication.class);
    private static final String USERNAME_CHALLENGE = "334 VXNlcm5hbWU6"; // "Username:"
    private static final String PASSWORD_CHALLENGE = "334 UGFzc3dvcmQ6"; // "Password:"

    private final SmtpAuthenticator authenticator;
    private final AuthThrottle throttle;

    PlainLoginAuthentication(SmtpAuthenticator authenticator, AuthThrottle throttle) {
        this.authenticator = authenticator;
        this.throttle = throttle;
    }

    @Override
    public List<String> getAuthenticationMechanisms() {
        return List.of(PLAIN, LOGIN);
    }

    @Override
    public AuthenticationHandler create() {
        return new Exchange();
    }

    /** One AUTH exchange: the first call gets the AUTH command line, later calls the client's answers. */
    private final class Exchange implements AuthenticationHandler {
        private String mechanism;
        private String username;
        private String accountId;

        @Override
        public Optional<String> auth(String line, MessageContext context) throws RejectException {
            if (mechanism == null) {
                String[] words = line.trim().split("\\s+");
                if (words.length < 2 || words.length > 3) {
                    throw new RejectException(501, "5.5.4 Syntax: AUTH mechanism [initial-response]");
                }
                mechanism = words[1].toUpperCase(Locale.ROOT);
                Optional<String> initial = words.length == 3 ? Optional.of(words[2]) : Optional.empty();
                return switch (mechanism) {
                    case PLAIN -> initial.isPresent() ? plain(initial.get(), context) : Optional.of("334 ");
                    case LOGIN -> {
                        if (initial.isEmpty()) {
                            yield Optional.of(USERNAME_CHALLENGE);
                        }
                        username = decode(initial.get());
                        yield Optional.of(PASSWORD_CHALLENGE);
                    }
                    default -> throw new RejectException(504, "5.5.4 Unrecognized authentication mechanism");
                };
            }
            if (mechanism.equals(PLAIN)) {
                return plain(line.trim(), context);
            }
            if (username == null) {
                username = decode(line.trim());
                return Optional.of(PASSWORD_CHALLENGE);
            }
            check(username, decode(line.trim()), false, context);
            return Optional.empty();
        }

        private Optional<String> plain(String response, MessageContext context) throws RejectException {
            // authzid NUL authcid NUL passwd; "=" is an empty initial response
            String decoded = response.equals("=") ? "" : decode(response);
            int first = decoded.indexOf('\0');
            int second = first < 0 ? -1 : decoded.indexOf('\0', first + 1);
            if (second < 0) {
                throw new RejectException(501, "5.5.2 Malformed PLAIN response");
            }
            String authzid = decoded.substring(0, first);
            String authcid = decoded.substring(first + 1, second);
            // acting as another identity is not supported: a failed attempt like a wrong password
            boolean proxying = !authzid.isEmpty() && !authzid.equals(authcid);
            check(authcid, decoded.substring(second + 1), proxying, context);
            return Optional.empty();
        }

        /**
         * Checks the credentials once the throttle has admitted (and counted) the attempt; an
         * address that is locked out, has used up its attempts or has too many in flight gets 454.
         */
        private void check(String user, String password, boolean refuse, MessageContext context)
                throws RejectException {
            Optional<InetAddress> client = clientAddress(context);
            if (client.isEmpty()) {
                throw new RejectException(454, "4.7.0 Temporary authentication failure, try again later");
            }
            AuthThrottle.Admission admission;
            try {
                admission = throttle.admit(client.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the server is stopping
                throw new RejectException(454, "4.7.0 Temporary authentication failure, try again later");
            }
            if (admission.attempt().isEmpty()) {
                throw new RejectException(
                        454, "4.7.0 " + admission.refusal().orElseThrow().text());
            }
            try (AuthThrottle.Attempt attempt = admission.attempt().get()) {
                Optional<String> account;
                try {
                    account = refuse ? Optional.empty() : authenticator.authenticate(user, password);
                } catch (RuntimeException e) {
                    LOG.warn("SMTP authentication failed with an internal error", e);
                    throw new RejectException(454, "4.7.0 Temporary authentication failure, try again later");
                }
                if (account.isEmpty()) {
                    Duration delay = attempt.failed();
                    try {
                        throttle.pause(delay); // slows a guesser down; only this session's thread waits
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt(); // the server is stopping: answer at once
                    }
                    throw new RejectException(535, "5.7.8 Authentication credentials invalid");
                }
                attempt.succeeded();
                accountId = account.get();
            }
        }

        @Override
        public Object getIdentity() {
            return accountId;
        }
    }

    static Optional<InetAddress> clientAddress(MessageContext context) {
        return context.getRemoteAddress() instanceof InetSocketAddress address && address.getAddress() != null
                ? Optional.of(address.getAddress())
                : Optional.empty();
    }

    private static String decode(String base64) throws RejectException {
        try {
            return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new RejectException(501, "5.5.2 Cannot decode base64 response");
        }
    }
}
