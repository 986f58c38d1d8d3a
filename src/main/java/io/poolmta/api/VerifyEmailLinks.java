package io.poolmta.api;

import io.poolmta.http.Endpoint;
import io.poolmta.http.HttpRequest;
import io.poolmta.http.HttpResponse;
import io.poolmta.identity.EmailVerification;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code GET /verify-email/{token}}: the page the verification link of an email-address identity
 * opens. Unauthenticated (the token is the credential). 200 when the address is verified now; 410
 * when the link was used before or has expired; 404 for a link that does not exist. Each page says
 * in words what happened and what to do next. Other methods are 405.
 */
public final class VerifyEmailLinks implements Endpoint {
    private final EmailVerification verification;

    public VerifyEmailLinks(EmailVerification verification) {
        this.verification = verification;
    }

    @Override
    public String pathPrefix() {
        return EmailVerification.PATH;
    }

    @Override
    public long maxBodyBytes(String rawPath) {
        return 0;
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            return new HttpResponse(
                    405,
                    Map.of("Allow", "GET"),
                    "text/plain; charset=utf-8",
                    "Open the link in a browser.\n".getBytes(StandardCharsets.UTF_8));
        }
        if (request.method().equals("HEAD")) {
            // link checkers look before they follow: a HEAD never uses the link up
            return new HttpResponse(200, Map.of(), "text/html; charset=utf-8", new byte[0]);
        }
        String token = request.rawPath().substring(EmailVerification.PATH.length());
        return switch (verification.confirm(token)) {
            case EmailVerification.Verified v ->
                page(
                        200,
                        "Email address verified",
                        escape(v.identity()) + " is verified. Mail can now be sent from this address.");
            case EmailVerification.AlreadyUsed used ->
                page(
                        410,
                        "Link already used",
                        "This link was already used: " + escape(used.identity())
                                + " was verified then. Nothing more to do.");
            case EmailVerification.Expired expired ->
                page(
                        410,
                        "Link expired",
                        "This link has expired (links work for 24 hours). " + escape(expired.identity())
                                + " is not verified: delete the identity and create it again to get a new link.");
            case EmailVerification.Unknown unknown ->
                page(
                        404,
                        "Unknown link",
                        "This verification link is not valid: check that it was copied whole, or create the"
                                + " identity again to get a new link.");
        };
    }

    private static HttpResponse page(int status, String title, String text) {
        String html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title
                + "</title></head>\n<body><h1>" + title + "</h1>\n<p>" + text + "</p></body></html>\n";
        return new HttpResponse(
                status,
                Map.of("Cache-Control", "no-store"),
                "text/html; charset=utf-8",
                html.getBytes(StandardCharsets.UTF_8));
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
