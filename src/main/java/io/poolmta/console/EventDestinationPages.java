package io.poolmta.console;

import io.poolmta.common.ErrorKind;
import io.poolmta.common.PoolMtaException;
import io.poolmta.events.DestinationKind;
import io.poolmta.events.EventDestination;
import io.poolmta.events.EventType;
import io.poolmta.http.Router;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A configuration set's event destinations on its page: add one (a webhook URL or a JSON-lines
 * file, the event types it wants, enabled or not), enable or disable one, delete one. Each is one
 * call of the {@link io.poolmta.events.EventDestinationService} the SES API's
 * Create/Update/DeleteConfigurationSetEventDestination call, so a refusal reads as the API words
 * it and what the console wrote reads back the same through the API.
 */
final class EventDestinationPages {
    /** The event types in the API's words (MatchingEventTypes), in the order the form lists them. */
    static final List<String> EVENT_TYPES =
            Arrays.stream(EventType.values()).map(Enum::name).toList();

    /** Renders the configuration set's page with a message, field errors and the add form as submitted. */
    @FunctionalInterface
    interface SetPage {
        ConsoleResponse render(
                Call call,
                String message,
                Views.Errors errors,
                int status,
                Optional<Form> submitted,
                Views.NewDestination newDestination);
    }

    private final ConsoleServices s;
    private final SetPage page;

    EventDestinationPages(ConsoleServices services, SetPage page) {
        this.s = services;
        this.page = page;
    }

    void register(Router<Page> router) {
        router.add("POST", "/console/configuration-sets/{set}/event-destinations", this::add)
                .add("POST", "/console/configuration-sets/{set}/event-destinations/{name}/enabled", this::enable)
                .add("POST", "/console/configuration-sets/{set}/event-destinations/{name}/delete", this::delete);
    }

    static Views.DestinationRow row(EventDestination d) {
        return new Views.DestinationRow(
                d.name(),
                d.kind() == DestinationKind.WEBHOOK ? "Webhook" : "File",
                d.kind() == DestinationKind.WEBHOOK ? d.target() : "file:" + d.target(),
                d.matchingTypes().stream().sorted().map(Enum::name).toList(),
                d.enabled());
    }

    private ConsoleResponse add(Call call) {
        String set = call.label("set");
        Form form = call.form();
        Views.NewDestination submitted = new Views.NewDestination(
                form.get("destination-name").strip(),
                form.get("kind").equals("FILE") ? "FILE" : "WEBHOOK",
                form.get("target").strip(),
                form.all("event-type"),
                form.get("enabled").equals("true"));
        Set<EventType> types = EnumSet.noneOf(EventType.class);
        for (String type : submitted.eventTypes()) {
            try {
                types.add(EventType.valueOf(type));
            } catch (IllegalArgumentException e) {
                return refused(call, "event-types", "Unknown event type " + type + ".", submitted);
            }
        }
        DestinationKind kind = DestinationKind.valueOf(submitted.kind());
        String target = submitted.target();
        if (kind == DestinationKind.FILE && target.startsWith("file:")) {
            target = target.substring("file:".length());
        }
        try {
            s.destinations()
                    .create(new EventDestination(
                            call.accountId(), set, submitted.name(), submitted.enabled(), types, kind, target));
        } catch (PoolMtaException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                throw e;
            }
            return refused(call, "destination", e.getMessage(), submitted);
        }
        return done(set, submitted.name(), "added");
    }

    private ConsoleResponse enable(Call call) {
        String set = call.label("set");
        String name = call.label("name");
        boolean enabled = call.form().get("enabled").equals("true");
        EventDestination current = s.destinations().list(call.accountId(), set).stream()
                .filter(d -> d.name().equals(name))
                .findFirst()
                .orElseThrow(() -> PoolMtaException.notFound("Event destination " + name + " does not exist."));
        try {
            s.destinations()
                    .update(new EventDestination(
                            current.accountId(),
                            current.configurationSet(),
                            current.name(),
                            enabled,
                            current.matchingTypes(),
                            current.kind(),
                            current.target()));
        } catch (PoolMtaException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                throw e;
            }
            return refused(call, "destinations", e.getMessage(), Views.NewDestination.EMPTY);
        }
        return done(set, name, enabled ? "enabled" : "disabled");
    }

    private ConsoleResponse delete(Call call) {
        String set = call.label("set");
        String name = call.label("name");
        s.destinations().delete(call.accountId(), set, name); // NotFound: a 404 page with the API's words
        return done(set, name, "deleted");
    }

    private ConsoleResponse refused(Call call, String field, String message, Views.NewDestination submitted) {
        return page.render(call, "", Views.Errors.of(field, message), 400, Optional.empty(), submitted);
    }

    private static ConsoleResponse done(String set, String name, String what) {
        return ConsoleResponse.redirect("/console/configuration-sets/" + AccountPages.encode(set) + "?destination="
                + AccountPages.encode(name) + "&done=" + what + "#event-destinations");
    }

    /** The notice after a change, from the redirect's query ("" when there was none). */
    static String notice(Call call) {
        Optional<String> name = call.request().query().first("destination");
        Optional<String> done = call.request()
                .query()
                .first("done")
                .filter(d -> List.of("added", "enabled", "disabled", "deleted").contains(d));
        return name.isPresent() && done.isPresent()
                ? "Event destination " + name.get() + " was " + done.get() + "."
                : "";
    }
}
