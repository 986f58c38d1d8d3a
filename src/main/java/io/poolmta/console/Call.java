package io.poolmta.console;

import io.poolmta.http.HttpRequest;
import java.util.Map;

/** One request to a signed-in page: the request, its path labels, the session and the form. */
record Call(HttpRequest request, Map<String, String> labels, ConsoleSessions.Session session, Form form) {
    String accountId() {
        return session.principal().accountId();
    }

    String label(String name) {
        return labels.get(name);
    }
}
