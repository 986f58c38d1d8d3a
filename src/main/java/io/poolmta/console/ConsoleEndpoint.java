package io.poolmta.console;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.Utf8ByteOutput;
import io.poolmta.common.ErrorKind;
import io.poolmta.common.PoolMtaException;
import io.poolmta.http.Endpoint;
import io.poolmta.http.HttpRequest;
import io.poolmta.http.HttpResponse;
import io.poolmta.http.Router;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console at {@code /console}. Every page but the sign-in pages and the static files needs a
 * session (its cookie is HttpOnly, SameSite=Strict, Secure when served over TLS); every POST must
 * carry the session's CSRF token (the sign-in forms a token of their own, matched to a cookie), or
 * it is refused with 403 before anything runs. Account pages act for the session's account only;
 * operator pages refuse account sessions, and account pages the operator's. Pages carry a
 * Content-Security-Policy that allows no inline script and nothing from another host. A refusal of
 * a service is shown as a page with its message: NotFound as 404, others as 400.
 */
public final class ConsoleEndpoint implements Endpoint {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleEndpoint.class);
    public static final String PREFIX = "/console";
    static final String SESSION_COOKIE = "poolmta_console";
    static final String SIGN_IN_COOKIE = "poolmta_console_signin";
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static final List<NavItem> ACCOUNT_NAV = List.of(
            new NavItem("dedicated-ips", "Dedicated IPs", "/console/dedicated-ips"),
            new NavItem("pools", "Dedicated IP pools", "/console/pools"),
            new NavItem("configuration-sets", "Configuration sets", "/console/configuration-sets"),
            new NavItem("identities", "Identities", "/console/identities"),
            new NavItem("suppression", "Suppression list", "/console/suppression"),
            new NavItem("advisor", "Advisor", "/console/advisor"),
            new NavItem("account", "Account", "/console/account"));

    private final ConsoleSessions sessions;
    private final ConsoleSignIn signIn;
    private final boolean secureCookies;
    private final TemplateEngine templates =
            TemplateEngine.createPrecompiled(null, ContentType.Html, null, "io.poolmta.console.pages");
    private final Router<Page> accountPages = new Router<>();
    private final Router<Page> operatorPages = new Router<>();
    private final List<NavItem> accountNav = new ArrayList<>(ACCOUNT_NAV);
    private final List<NavItem> operatorNav = new ArrayList<>();

    public ConsoleEndpoint(
            ConsoleServices services, ConsoleSessions sessions, ConsoleSignIn signIn, boolean secureCookies) {
        this.sessions = sessions;
        this.signIn = signIn;
        this.secureCookies = secureCookies;
        new AccountPages(services).register(accountPages);
        new PoolWizard(services).register(accountPages);
        new OperatorPages(services).register(operatorPages, operatorNav);
    }

    @Override
    public String pathPrefix() {
        return PREFIX;
    }

    @Override
    public long maxBodyBytes(String rawPath) {
        return 256 * 1024;
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        String path = request.rawPath();
        if (path.startsWith(PREFIX + "/static/")) {
            return StaticAssets.serve(path).orElseGet(() -> notFoundPlain());
        }
        if (!path.equals(PREFIX) && !path.startsWith(PREFIX + "/")) {
            return notFoundPlain();
        }
        Optional<ConsoleSessions.Session> session =
                cookie(request, SESSION_COOKIE).flatMap(sessions::find);
        String method = request.method().equals("HEAD") ? "GET" : request.method();
        try {
            return switch (path) {
                case PREFIX, PREFIX + "/" ->
                    redirect(session.map(s -> home(s.principal())).orElse(PREFIX + "/sign-in"));
                case PREFIX + "/sign-in" -> signInPage(request, method, false);
                case PREFIX + "/operator/sign-in" -> signInPage(request, method, true);
                case PREFIX + "/sign-out" -> signOut(request, method, session);
                default -> signedIn(request, method, session);
            };
        } catch (PoolMtaException e) {
            Optional<ConsoleSessions.Session> live = session;
            boolean notFound = e.kind() == ErrorKind.NOT_FOUND;
            return render(
                    live,
                    new ConsoleResponse.Render(
                            notFound ? 404 : 400,
                            "problem.jte",
                            notFound ? "Not found" : "Refused",
                            "",
                            new Views.Problem(
                                    notFound ? 404 : 400, notFound ? "Not found" : "Refused", e.getMessage())));
        }
    }

    private HttpResponse signedIn(HttpRequest request, String method, Optional<ConsoleSessions.Session> session) {
        if (session.isEmpty()) {
            return method.equals("GET") ? redirect(PREFIX + "/sign-in") : forbidden(session, "You are not signed in.");
        }
        ConsoleSessions.Session live = session.get();
        boolean operatorPath = request.rawPath().startsWith(PREFIX + "/operator/");
        Router<Page> router = operatorPath ? operatorPages : accountPages;
        Optional<Router.Match<Page>> match = router.match(method, request.rawPath());
        if (match.isEmpty()) {
            return problem(session, 404, "Not found", "There is no console page at this address.");
        }
        if (operatorPath != live.principal().operator()) {
            return operatorPath
                    ? problem(
                            session,
                            403,
                            "Operator only",
                            "This page is for the operator; sign in with the operator token.")
                    : problem(session, 404, "Not found", "The operator has no account pages; use the operator pages.");
        }
        Form form = Form.of(request);
        if (method.equals("POST") && !same(live.csrfToken(), form.get("csrf"))) {
            return forbidden(
                    session, "The form was refused: its CSRF token is missing or does not match this session.");
        }
        ConsoleResponse response =
                match.get().handler().handle(new Call(request, match.get().labels(), live, form));
        return switch (response) {
            case ConsoleResponse.Redirect r -> redirect(r.location());
            case ConsoleResponse.Render r -> render(session, r);
        };
    }

    private HttpResponse signInPage(HttpRequest request, String method, boolean operator) {
        if (method.equals("GET")) {
            return signInForm(operator, "", "", 200);
        }
        if (!method.equals("POST")) {
            return problem(Optional.empty(), 404, "Not found", "There is no console page at this address.");
        }
        Form form = Form.of(request);
        Optional<String> expected = cookie(request, SIGN_IN_COOKIE);
        if (expected.isEmpty() || !same(expected.get(), form.get("signin-token"))) {
            return signInForm(operator, form.get("access-key-id"), "The sign-in form expired; sign in again.", 403);
        }
        ConsoleSignIn.Result result = operator
                ? signIn.operator(request.clientAddress(), form.get("token"))
                : signIn.account(request.clientAddress(), form.get("access-key-id"), form.get("secret-access-key"));
        if (result.principal().isEmpty()) {
            return signInForm(operator, form.get("access-key-id"), result.message(), 401);
        }
        ConsoleSessions.Session session = sessions.open(result.principal().get());
        LOG.info("console sign-in: {} from {}", result.principal().get().label(), request.clientAddress());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Location", home(session.principal()));
        headers.put("Set-Cookie", cookieHeader(SESSION_COOKIE, session.id(), -1));
        headers.put("Cache-Control", "no-store");
        return new HttpResponse(303, headers, "text/plain; charset=utf-8", new byte[0]);
    }

    private HttpResponse signInForm(boolean operator, String accessKeyId, String error, int status) {
        String token = sessions.randomToken();
        HttpResponse page = render(
                Optional.empty(),
                new ConsoleResponse.Render(
                        status,
                        "sign-in.jte",
                        operator ? "Operator sign-in" : "Sign in",
                        "",
                        new Views.SignIn(operator, accessKeyId, error, token)));
        Map<String, String> headers = new LinkedHashMap<>(page.headers());
        headers.put("Set-Cookie", cookieHeader(SIGN_IN_COOKIE, token, 3600));
        return new HttpResponse(page.status(), headers, page.contentType(), page.body());
    }

    private HttpResponse signOut(HttpRequest request, String method, Optional<ConsoleSessions.Session> session) {
        if (!method.equals("POST")) {
            return problem(session, 404, "Not found", "Sign out with the Sign out button.");
        }
        if (session.isPresent()) {
            if (!same(session.get().csrfToken(), Form.of(request).get("csrf"))) {
                return forbidden(
                        session, "The form was refused: its CSRF token is missing or does not match this session.");
            }
            sessions.close(session.get().id());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Location", PREFIX + "/sign-in");
        headers.put("Set-Cookie", cookieHeader(SESSION_COOKIE, "", 0));
        return new HttpResponse(303, headers, "text/plain; charset=utf-8", new byte[0]);
    }

    private HttpResponse forbidden(Optional<ConsoleSessions.Session> session, String message) {
        return problem(session, 403, "Refused", message);
    }

    private HttpResponse problem(
            Optional<ConsoleSessions.Session> session, int status, String heading, String message) {
        return render(
                session,
                new ConsoleResponse.Render(
                        status, "problem.jte", heading, "", new Views.Problem(status, heading, message)));
    }

    HttpResponse render(Optional<ConsoleSessions.Session> session, ConsoleResponse.Render page) {
        Chrome chrome = new Chrome(
                page.title(),
                page.active(),
                session.map(ConsoleSessions.Session::principal),
                session.map(ConsoleSessions.Session::csrfToken).orElse(""),
                session.map(s -> s.principal().operator() ? operatorNav : accountNav)
                        .orElse(List.of()));
        Utf8ByteOutput out = new Utf8ByteOutput();
        templates.render(page.template(), Map.of("chrome", chrome, "view", page.view()), out);
        byte[] body = out.toByteArray();
        return new HttpResponse(page.status(), securityHeaders(), "text/html; charset=utf-8", body);
    }

    private static Map<String, String> securityHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Security-Policy", CSP);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("X-Frame-Options", "DENY");
        headers.put("Referrer-Policy", "same-origin");
        headers.put("Cache-Control", "no-store");
        return headers;
    }

    private static String home(Principal principal) {
        return principal.operator() ? PREFIX + "/operator/accounts" : PREFIX + "/dedicated-ips";
    }

    private String cookieHeader(String name, String value, long maxAgeSeconds) {
        StringBuilder h = new StringBuilder()
                .append(name)
                .append('=')
                .append(value)
                .append("; Path=")
                .append(PREFIX)
                .append("; HttpOnly; SameSite=Strict");
        if (maxAgeSeconds >= 0) {
            h.append("; Max-Age=").append(maxAgeSeconds);
        }
        if (secureCookies) {
            h.append("; Secure");
        }
        return h.toString();
    }

    static Optional<String> cookie(HttpRequest request, String name) {
        List<String> headers = request.headers().getOrDefault("cookie", List.of());
        for (String header : headers) {
            for (String part : header.split(";")) {
                int eq = part.indexOf('=');
                if (eq > 0 && part.substring(0, eq).strip().equals(name)) {
                    return Optional.of(part.substring(eq + 1).strip());
                }
            }
        }
        return Optional.empty();
    }

    private static HttpResponse redirect(String location) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Location", location);
        headers.put("Cache-Control", "no-store");
        return new HttpResponse(303, headers, "text/plain; charset=utf-8", new byte[0]);
    }

    private static HttpResponse notFoundPlain() {
        return new HttpResponse(
                404, Map.of(), "text/plain; charset=utf-8", "Not found\n".getBytes(StandardCharsets.UTF_8));
    }

    private static boolean same(String expected, String given) {
        return !expected.isEmpty()
                && MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
