package io.poolmta.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolmta.common.ErrorKind;
import io.poolmta.common.PageRequest;
import io.poolmta.common.PoolMtaException;
import io.poolmta.store.Database;
import io.poolmta.store.JdbcTagStore;
import io.poolmta.store.JdbcTemplateStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Templates over the real JDBC store: compiled once per version, never per message. */
class TemplateServiceTest {
    @TempDir
    Path dir;

    Database database;
    TemplateService templates;

    @BeforeEach
    void setUp() {
        database = Database.openEmbedded(dir);
        templates = new TemplateService(
                new JdbcTemplateStore(database.jdbc()),
                new TemplateEngine(),
                new JdbcTagStore(database.jdbc()),
                database.jdbc(),
                Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        database.close();
    }

    @Test
    void aStoredTemplateIsCompiledOnceAndRecompiledOnlyAfterAnUpdate() {
        templates.create("111111111111", "t", TemplateContent.of("s {{a}}", "v1 {{a}}", null));

        CompiledTemplate first = templates.compiled("111111111111", "t");
        for (int i = 0; i < 100; i++) {
            assertThat(templates.compiled("111111111111", "t")).isSameAs(first);
        }
        assertThat(templates.keptCount()).isEqualTo(1);

        templates.update("111111111111", "t", TemplateContent.of("s", "v2 {{a}}", null));
        CompiledTemplate second = templates.compiled("111111111111", "t");
        assertThat(second).isNotSameAs(first);
        assertThat(templates
                        .render(second, TemplateData.parse("{\"a\":1}", "d"))
                        .text())
                .isEqualTo(Optional.of("v2 1"));
        assertThat(templates.keptCount()).isEqualTo(1);

        templates.delete("111111111111", "t");
        assertThat(templates.keptCount()).isZero();
        assertThatThrownBy(() -> templates.compiled("111111111111", "t"))
                .isInstanceOfSatisfying(
                        PoolMtaException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    @Test
    void aTemplateAfterARestartIsCompiledOnFirstUse() {
        templates.create("111111111111", "t", TemplateContent.of("s", "x", null));
        TemplateService restarted = new TemplateService(
                new JdbcTemplateStore(database.jdbc()),
                new TemplateEngine(),
                new JdbcTagStore(database.jdbc()),
                database.jdbc(),
                Clock.systemUTC());

        CompiledTemplate compiled = restarted.compiled("111111111111", "t");

        assertThat(restarted.compiled("111111111111", "t")).isSameAs(compiled);
        assertThat(restarted.compiled("111111111111", "t").name()).isEqualTo("t");
    }

    @Test
    void templatesAreCountedPerAccount() {
        templates.create("111111111111", "a", TemplateContent.of(null, "x", null));
        templates.create("222222222222", "a", TemplateContent.of(null, "y", null));

        assertThat(templates.get("222222222222", "a").content().text()).contains("y");
        assertThat(templates.list("111111111111", PageRequest.first(10)).items())
                .hasSize(1);
    }
}
