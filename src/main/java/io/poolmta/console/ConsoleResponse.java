package io.poolmta.console;

/**
 * What a page handler answers: a template with its model and status, or a redirect (303, so the
 * browser follows a POST with a GET).
 */
sealed interface ConsoleResponse {
    record Render(int status, String template, String title, String active, Object view) implements ConsoleResponse {}

    record Redirect(String location) implements ConsoleResponse {}

    static ConsoleResponse page(String template, String title, String active, Object view) {
        return new Render(200, template, title, active, view);
    }

    static ConsoleResponse status(int status, String template, String title, String active, Object view) {
        return new Render(status, template, title, active, view);
    }

    static ConsoleResponse redirect(String location) {
        return new Redirect(location);
    }
}
