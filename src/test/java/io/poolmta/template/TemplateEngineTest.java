package io.poolmta.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolmta.common.ErrorKind;
import io.poolmta.common.PoolMtaException;
import org.junit.jupiter.api.Test;

/** SES's template language on Handlebars.java: what renders, what is escaped, what fails and how. */
class TemplateEngineTest {
    private final TemplateEngine engine = new TemplateEngine();

    private RenderedEmail render(String subject, String text, String html, String json) {
        return engine.render(
                engine.compile("t", TemplateContent.of(subject, text, html)), TemplateData.parse(json, "TemplateData"));
    }

    @Test
    void variablesNestedAttributesAndBlocksRender() {
        RenderedEmail out = render(
                "Hi {{name}}",
                """
                {{#if vip}}VIP{{else}}regular{{/if}} {{#unless admin}}user{{/unless}} {{#with address}}{{city}}{{/with}}\
                 {{address.city}} {{#each items}}[{{@index}}:{{this.n}}/{{../name}}]{{/each}}""",
                null,
                "{\"name\":\"Jo\",\"vip\":false,\"admin\":false,\"address\":{\"city\":\"Oslo\"},"
                        + "\"items\":[{\"n\":1},{\"n\":2.50}]}");

        assertThat(out.subject()).isEqualTo("Hi Jo");
        assertThat(out.text()).contains("regular user Oslo Oslo [0:1/Jo][1:2.5/Jo]");
        assertThat(out.html()).isEmpty();
    }

    @Test
    void onlyTheHtmlPartIsEscaped() {
        RenderedEmail out = render("{{x}}", "{{x}}", "<p>{{x}} {{{x}}}</p>", "{\"x\":\"<b>&'\\\"\"}");

        assertThat(out.subject()).isEqualTo("<b>&'\"");
        assertThat(out.text()).contains("<b>&'\"");
        assertThat(out.html().orElseThrow()).startsWith("<p>&lt;b&gt;&amp;&#x27;&quot; <b>&'\"</p>");
    }

    @Test
    void aMissingVariableIsARenderingFailureNamingIt() {
        CompiledTemplate t = engine.compile(
                "greeting", TemplateContent.of("Hello {{name}}", "Your colour is {{favorite.color}}", null));

        assertThatThrownBy(
                        () -> engine.render(t, TemplateData.parse("{\"name\":\"Jo\",\"favorite\":{}}", "TemplateData")))
                .isInstanceOfSatisfying(RenderingFailure.class, f -> {
                    assertThat(f.templateName()).isEqualTo("greeting");
                    assertThat(f.getMessage())
                            .isEqualTo("Attribute 'favorite.color' is not present in the rendering data.");
                });
        assertThatThrownBy(() -> engine.render(
                        t, TemplateData.parse("{\"favorite\":{\"color\":\"red\"},\"name\":null}", "TemplateData")))
                .isInstanceOf(RenderingFailure.class)
                .hasMessageContaining("'name'");
    }

    @Test
    void aMissingValueInAConditionOrSectionIsFalseNotAFailure() {
        RenderedEmail out =
                render("s", "{{#if gone}}yes{{else}}no{{/if}}{{#each gone}}x{{/each}}{{#gone}}z{{/gone}}", null, "{}");

        assertThat(out.text()).contains("no");
    }

    @Test
    void namesResolveInTheCurrentScopeOnlyAsInHandlebarsJs() {
        CompiledTemplate t = engine.compile("t", TemplateContent.of("s", "{{#each items}}{{name}}{{/each}}", null));

        assertThatThrownBy(() -> engine.render(t, TemplateData.parse("{\"name\":\"Jo\",\"items\":[{}]}", "d")))
                .isInstanceOf(RenderingFailure.class);
    }

    @Test
    void syntaxErrorsNameThePartLineAndColumn() {
        assertThatThrownBy(() -> engine.compile("t", TemplateContent.of("ok", null, "<p>\n{{#if x}}open")))
                .isInstanceOfSatisfying(
                        PoolMtaException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST))
                .hasMessageContaining("Html part")
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> engine.compile("t", TemplateContent.of("Hi {{name", "x", null)))
                .hasMessageContaining("Subject part");
    }

    @Test
    void partialsDecoratorsAndHelpersOutsideTheLanguageAreRefused() {
        assertThatThrownBy(() -> engine.compile("t", TemplateContent.of("s", "{{> header}}", null)))
                .isInstanceOf(PoolMtaException.class)
                .hasMessageContaining("partial");
        assertThatThrownBy(() -> engine.compile("t", TemplateContent.of("s", "{{log 'x'}}", null)))
                .isInstanceOf(PoolMtaException.class)
                .hasMessageContaining("'log'");
        assertThatThrownBy(() -> engine.compile("t", TemplateContent.of("s", "{{embedded 'pom.xml'}}", null)))
                .isInstanceOf(PoolMtaException.class)
                .hasMessageContaining("'embedded'");
    }

    @Test
    void outputIsBounded() {
        StringBuilder items = new StringBuilder("[");
        for (int i = 0; i < 2000; i++) {
            items.append(i == 0 ? "" : ",").append(i);
        }
        String list = items.append(']').toString();
        String big = "x".repeat(20_000);
        CompiledTemplate t = engine.compile(
                "big", TemplateContent.of("s", "{{#each a}}{{#each ../a}}" + big + "{{/each}}{{/each}}", null));

        assertThatThrownBy(() -> engine.render(t, TemplateData.parse("{\"a\":" + list + "}", "d")))
                .isInstanceOf(RenderingFailure.class)
                .hasMessageContaining("more than");
    }

    @Test
    void templateDataMustBeAJsonObjectOfBoundedSize() {
        assertThatThrownBy(() -> TemplateData.parse("{not json", "TemplateData"))
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> TemplateData.parse("[1]", "TemplateData")).hasMessageContaining("JSON object");
        assertThatThrownBy(() ->
                        TemplateData.parse("{\"a\":\"" + "x".repeat(TemplateData.MAX_CHARS) + "\"}", "TemplateData"))
                .hasMessageContaining("at most " + TemplateData.MAX_CHARS);
    }
}
