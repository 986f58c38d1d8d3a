package io.poolmta.bench;

import io.poolmta.template.CompiledTemplate;
import io.poolmta.template.RenderedEmail;
import io.poolmta.template.TemplateContent;
import io.poolmta.template.TemplateData;
import io.poolmta.template.TemplateEngine;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What a templated send does per message before MIME: a typical order-confirmation template
 * (subject, text and HTML, the HTML escaped, a loop over 5 items in both bodies) rendered from
 * parsed data ({@code render}), the TemplateData parse a destination costs ({@code parseData}),
 * and, for comparison, compiling the template, which PoolMTA does once per template version and
 * never per message ({@code compile}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TemplateRenderingBenchmark {
    static final TemplateContent ORDER = TemplateContent.of("Your order {{order.id}}, {{name}}", """
            Dear {{name}},

            thank you for your order {{order.id}} of {{order.date}}.
            {{#each order.items}}
            - {{qty}} x {{title}} at {{price}}
            {{/each}}
            {{#if order.express}}It ships express.{{else}}It ships within 3 days.{{/if}}
            """, """
            <html><body><h1>Thank you, {{name}}!</h1>
            <p>Order <b>{{order.id}}</b> of {{order.date}}</p>
            <table>{{#each order.items}}<tr><td>{{qty}}</td><td>{{title}}</td><td>{{price}}</td></tr>{{/each}}</table>
            {{#if order.express}}<p>Express</p>{{else}}<p>Within 3 days</p>{{/if}}
            <p><a href="https://shop.example/orders/{{order.id}}">Your order</a></p></body></html>
            """);
    static final String DATA = "{\"name\":\"Jo <Smith>\",\"order\":{\"id\":\"A-1042\",\"date\":\"2025-06-03\","
            + "\"express\":true,\"items\":[{\"qty\":1,\"title\":\"Tea & biscuits\",\"price\":\"4.50\"},"
            + "{\"qty\":2,\"title\":\"Mug\",\"price\":\"7.00\"},{\"qty\":1,\"title\":\"Kettle\",\"price\":\"29.90\"},"
            + "{\"qty\":3,\"title\":\"Spoon\",\"price\":\"1.20\"},{\"qty\":1,\"title\":\"Tray\",\"price\":\"12.00\"}]}}";

    private TemplateEngine engine;
    private CompiledTemplate compiled;
    private TemplateData data;

    @Setup
    public void setUp() {
        engine = new TemplateEngine();
        compiled = engine.compile("order", ORDER);
        data = TemplateData.parse(DATA, "TemplateData");
    }

    @Benchmark
    public RenderedEmail render() {
        return engine.render(compiled, data);
    }

    @Benchmark
    public TemplateData parseData() {
        return TemplateData.parse(DATA, "TemplateData");
    }

    @Benchmark
    public CompiledTemplate compile() {
        return engine.compile("order", ORDER);
    }
}
