package io.poolmta.template;

import com.github.jknack.handlebars.Context;
import com.github.jknack.handlebars.EscapingStrategy;
import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.HandlebarsError;
import com.github.jknack.handlebars.HandlebarsException;
import com.github.jknack.handlebars.Helper;
import com.github.jknack.handlebars.Options;
import com.github.jknack.handlebars.TagType;
import com.github.jknack.handlebars.Template;
import com.github.jknack.handlebars.context.MapValueResolver;
import com.github.jknack.handlebars.io.AbstractTemplateLoader;
import com.github.jknack.handlebars.io.TemplateSource;
import io.poolmta.common.PoolMtaException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * SES's template language on Handlebars.java: {@code {{var}}}, {@code {{a.b}}}, {@code {{#if}}} /
 * {@code {{else}}}, {@code {{#unless}}}, {@code {{#each}}} (with {@code @index}, {@code this},
 * {@code ../}), {@code {{#with}}}, {@code {{lookup}}}. The Html part escapes {@code {{var}}} as HTML
 * ({@code {{{var}}}} does not); Subject and Text are never escaped. Names resolve only in the
 * current scope, as in Handlebars.js ({@code ../name} reaches the parent).
 * <p>
 * Failures: {@link #compile} throws BAD_REQUEST naming the part, line, column and problem for a
 * syntax error, a partial, a decorator or a helper outside the language (log, i18n, embedded, ...);
 * {@link #render} throws {@link RenderingFailure} when a {@code {{var}}} the template reaches has
 * no value in the data (a missing value in a condition is false, and a section over a missing list
 * renders nothing), or when a part's output would pass {@link #MAX_OUTPUT_CHARS}. The engine never
 * reads files or classpath resources.
 */
public final class TemplateEngine {
    /** A rendered part may not grow past the largest message PoolMTA takes (40 MB). */
    public static final int MAX_OUTPUT_CHARS = 40 * 1024 * 1024;

    /** Built-in Handlebars.java helpers that are not part of SES's language: they fail at create time. */
    private static final Set<String> REFUSED_HELPERS =
            Set.of("log", "precompile", "block", "embedded", "partial", "i18n", "i18nJs");

    private static final Pattern PARTIAL_OR_DECORATOR = Pattern.compile("\\{\\{~?\\s*(#\\s*>|>|#\\s*\\*|\\*)");

    private final Handlebars escaped = handlebars(EscapingStrategy.HTML_ENTITY);
    private final Handlebars plain = handlebars(EscapingStrategy.NOOP);

    /** Compiles the three parts; {@code name} is the template's name in failures. */
    public CompiledTemplate compile(String name, TemplateContent content) {
        return new CompiledTemplate(
                name,
                content.subject().map(s -> compile(plain, "Subject", s)),
                content.text().map(t -> compile(plain, "Text", t)),
                content.html().map(h -> compile(escaped, "Html", h)));
    }

    /** The template's parts rendered with {@code data}. */
    public RenderedEmail render(CompiledTemplate template, TemplateData data) {
        Context context = Context.newBuilder(data.values())
                .resolver(MapValueResolver.INSTANCE)
                .build();
        try {
            String subject =
                    template.subject().map(t -> apply(template, t, context)).orElse("");
            return new RenderedEmail(
                    subject,
                    template.text().map(t -> apply(template, t, context)),
                    template.html().map(t -> apply(template, t, context)));
        } finally {
            context.destroy();
        }
    }

    private static String apply(CompiledTemplate template, Template part, Context context) {
        BoundedWriter out = new BoundedWriter(template.name());
        try {
            part.apply(context, out);
        } catch (HandlebarsException e) {
            throw failure(template.name(), e);
        } catch (RenderingFailure e) {
            throw new RenderingFailure(template.name(), e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The {@link RenderingFailure} inside {@code e} (Handlebars wraps what a helper throws), or a new one. */
    private static RenderingFailure failure(String name, HandlebarsException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RenderingFailure failure) {
                return new RenderingFailure(name, failure.getMessage());
            }
        }
        HandlebarsError error = e.getError();
        return new RenderingFailure(
                name,
                "Template " + name + " could not be rendered: " + (error != null ? error.reason : e.getMessage()));
    }

    private Template compile(Handlebars handlebars, String part, String source) {
        if (PARTIAL_OR_DECORATOR.matcher(source).find()) {
            throw PoolMtaException.badRequest(
                    "The " + part
                            + " part uses a partial ({{> name}}) or a decorator ({{* name}}); PoolMTA's templates do not support them.");
        }
        Template template;
        try {
            template = handlebars.compileInline(source);
        } catch (HandlebarsException e) {
            HandlebarsError error = e.getError();
            if (error == null) {
                throw PoolMtaException.badRequest("The " + part + " part is not a valid template: " + e.getMessage());
            }
            throw PoolMtaException.badRequest("The " + part + " part is not a valid template: line " + error.line
                    + ", column " + error.column + ": " + shown(error.reason) + ".");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> used = template.collect(TagType.values());
        for (String name : used) {
            if (REFUSED_HELPERS.contains(name)) {
                throw PoolMtaException.badRequest("The " + part + " part uses the helper '" + name
                        + "', which is not part of the SES template language.");
            }
        }
        return template;
    }

    private static String shown(String text) {
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
    }

    private static Handlebars handlebars(EscapingStrategy escaping) {
        Handlebars handlebars = new Handlebars(new NoPartials()).with(escaping).parentScopeResolution(false);
        handlebars.registerHelperMissing(MISSING);
        Helper<Object> refused = (context, options) -> {
            throw new RenderingFailure(
                    "", "The helper '" + options.helperName + "' is not part of the SES template language.");
        };
        REFUSED_HELPERS.forEach(name -> handlebars.registerHelper(name, refused));
        return handlebars;
    }

    /**
     * Called for a name with no value: a {@code {{var}}} is a rendering failure (as SES), a block
     * over a missing name renders its {@code {{else}}} part.
     */
    private static final Helper<Object> MISSING = (Object context, Options options) -> {
        if (!options.tagType.inline()) {
            return options.inverse();
        }
        throw new RenderingFailure("", "Attribute '" + options.helperName + "' is not present in the rendering data.");
    };

    /** Refuses every partial: templates never read files or classpath resources. */
    private static final class NoPartials extends AbstractTemplateLoader {
        @Override
        public TemplateSource sourceAt(String location) throws IOException {
            throw new FileNotFoundException("partials are not supported");
        }
    }

    /** A StringBuilder writer that fails with a RenderingFailure past {@link #MAX_OUTPUT_CHARS}. */
    private static final class BoundedWriter extends Writer {
        private final StringBuilder out = new StringBuilder(256);
        private final String name;

        BoundedWriter(String name) {
            this.name = name;
        }

        @Override
        public void write(char[] chars, int offset, int length) {
            room(length);
            out.append(chars, offset, length);
        }

        @Override
        public void write(String text, int offset, int length) {
            room(length);
            out.append(text, offset, offset + length);
        }

        @Override
        public Writer append(CharSequence text) {
            CharSequence s = text == null ? "null" : text;
            room(s.length());
            out.append(s);
            return this;
        }

        private void room(int length) {
            if ((long) out.length() + length > MAX_OUTPUT_CHARS) {
                throw new RenderingFailure(
                        name,
                        "Template " + name + " renders to more than " + MAX_OUTPUT_CHARS
                                + " characters with this data.");
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}

        @Override
        public String toString() {
            return out.toString();
        }
    }
}
